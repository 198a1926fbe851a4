/** Fetching from arXiv's services politely: 503 + Retry-After is honoured, other failures are clear errors. */
export interface PoliteFetchOptions {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** How many 503 answers to wait out before giving up. */
  maxRetries?: number;
  userAgent?: string;
  onRetry?: (info: { url: string; waitMs: number; attempt: number }) => void;
}

export class RemoteServiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemoteServiceError';
  }
}

const DEFAULT_WAIT_MS = 10_000;
const MAX_WAIT_MS = 10 * 60_000;

/** Seconds or an HTTP date, capped; a missing or unreadable value means "a little while". */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return DEFAULT_WAIT_MS;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (!Number.isFinite(ms)) return DEFAULT_WAIT_MS;
  return Math.min(Math.max(ms, 0), MAX_WAIT_MS);
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function politeFetch(url: string, options: PoliteFetchOptions = {}): Promise<Response> {
  const fetchImpl = options.fetch ?? fetch;
  const sleep = options.sleep ?? realSleep;
  const maxRetries = options.maxRetries ?? 5;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        headers: { 'user-agent': options.userAgent ?? 'dailypapers (self-hosted paper discovery)' },
      });
    } catch (error) {
      throw new RemoteServiceError(
        `${url}: could not connect (${(error as Error).cause ?? (error as Error).message})`,
      );
    }
    if (response.status === 503 && attempt <= maxRetries) {
      const waitMs = retryAfterMs(response.headers.get('retry-after'));
      await response.body?.cancel();
      options.onRetry?.({ url, waitMs, attempt });
      await sleep(waitMs);
      continue;
    }
    if (response.status === 503) {
      throw new RemoteServiceError(
        `${url}: still unavailable (503) after ${maxRetries} retries; try again later`,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new RemoteServiceError(`${url}: HTTP ${response.status} ${response.statusText}`.trim());
    }
    return response;
  }
}
