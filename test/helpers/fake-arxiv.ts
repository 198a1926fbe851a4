// A local stand-in for arXiv's OAI-PMH and API endpoints, serving the fixtures in test/fixtures/{oai,arxiv-api}.
// In-process: startFakeArxiv(); standalone: node --import tsx test/helpers/fake-arxiv.ts [--delay-ms N]
// (prints "listening on http://127.0.0.1:PORT").
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const fixture = (path: string) => readFileSync(`${FIXTURES}${path}`, 'utf8');
const PAGES: Record<string, string> = { 'token-page-2': 'oai/page-2.xml', 'token-page-3': 'oai/page-3.xml' };

export interface FakeArxivOptions {
  /** Answer this many requests with 503 + Retry-After: 1 before serving. */
  unavailable?: number;
  /** Wait this long before answering each OAI request. */
  delayMs?: number;
}

export interface FakeArxiv {
  url: string;
  /** Every request's path and query, in order. */
  requests: string[];
  close(): Promise<void>;
}

function atomFor(ids: string[]): string {
  if (ids.includes('nonsense')) return fixture('arxiv-api/error.xml');
  const entries = ids.flatMap((id) => {
    try {
      return [/<entry>[\s\S]*<\/entry>/.exec(fixture(`arxiv-api/${id}.xml`))?.[0] ?? ''];
    } catch {
      return [];
    }
  });
  return fixture('arxiv-api/empty.xml').replace('</feed>', `${entries.join('\n')}\n</feed>`);
}

export function startFakeArxiv(options: FakeArxivOptions = {}): Promise<FakeArxiv> {
  const requests: string[] = [];
  let unavailable = options.unavailable ?? 0;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push(`${url.pathname}${url.search}`);
    if (unavailable > 0) {
      unavailable--;
      response
        .writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' })
        .end('busy, come back later');
      return;
    }
    const xml = (body: string) =>
      response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(body);
    if (url.pathname === '/api/query') {
      xml(atomFor((url.searchParams.get('id_list') ?? '').split(',').filter(Boolean)));
      return;
    }
    if (url.pathname !== '/oai') {
      response.writeHead(404).end();
      return;
    }
    const token = url.searchParams.get('resumptionToken');
    const page = token
      ? (PAGES[token] ?? 'oai/bad-resumption-token.xml')
      : url.searchParams.get('from') === '2030-01-01'
        ? 'oai/no-records-match.xml'
        : 'oai/page-1.xml';
    setTimeout(() => xml(fixture(page)), options.delayMs ?? 0);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const delayIndex = process.argv.indexOf('--delay-ms');
  const delayMs = delayIndex > 0 ? Number(process.argv[delayIndex + 1]) : 0;
  const fake = await startFakeArxiv({ delayMs });
  process.stdout.write(`listening on ${fake.url}\n`);
}
