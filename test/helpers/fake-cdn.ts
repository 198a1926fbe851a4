// A local HTTP server standing in for an image CDN (tests never reach the internet): a PNG, an oversized PNG, an
// HTML page, an SVG and a request that never answers; it counts the requests it gets.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

export interface FakeCdn {
  url: string;
  /** Requests per path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startFakeCdn(): Promise<FakeCdn> {
  const hits = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path.endsWith('.png') && !path.includes('huge')) {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length }).end(PNG);
    } else if (path.includes('huge')) {
      // No content-length: the size cap must hold while reading.
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(Buffer.alloc(3 * 1024 * 1024, 1));
    } else if (path.endsWith('.svg')) {
      response
        .writeHead(200, { 'content-type': 'image/svg+xml' })
        .end('<svg><script>alert(1)</script></svg>');
    } else if (path.startsWith('/slow')) {
      // never answers
    } else {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html>not an image</html>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
