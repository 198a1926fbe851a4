// A tiny cookie-keeping HTTP client, like a browser without JavaScript: it reads the CSRF cookie and sends it back.
export class SiteClient {
  private readonly cookies = new Map<string, string>();

  /** `headers` go with every request, e.g. the `X-Forwarded-For` of a client behind a proxy. */
  constructor(
    readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  get csrfToken(): string {
    return this.cookies.get('dp_csrf') ?? '';
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.headers))
      if (!headers.has(name)) headers.set(name, value);
    if (this.cookies.size > 0) {
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await fetch(`${this.baseUrl}${path}`, { redirect: 'manual', ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute)) || value === '';
      if (expired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.trim());
    }
    return response;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { headers });
  }

  /** Gets the CSRF cookie from a page with a form, as a browser has it before posting one. */
  private async ensureCsrfToken(): Promise<void> {
    // A member's pages carry it; an anonymous visitor's list pages do not, the log-in form does.
    for (const path of ['/', '/login']) if (!this.csrfToken) await (await this.get(path)).arrayBuffer();
  }

  /** Posts a form with the CSRF token unless `csrf` is false. */
  async postForm(path: string, fields: Record<string, string>, options: { csrf?: boolean | string } = {}) {
    await this.ensureCsrfToken();
    const token =
      options.csrf === false ? undefined : typeof options.csrf === 'string' ? options.csrf : this.csrfToken;
    const body = new URLSearchParams({ ...fields, ...(token !== undefined && { _csrf: token }) });
    return this.request(path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  async postJson(path: string, value: unknown, options: { csrf?: boolean } = {}) {
    await this.ensureCsrfToken();
    return this.request(path, {
      method: 'POST',
      body: JSON.stringify(value),
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(options.csrf !== false && { 'x-csrf-token': this.csrfToken }),
      },
    });
  }
}
