// The ceiling for bench:web, in its own process: a minimal node:http server answering every request with the
// bytes of one file (the site's `/` as the real server sent it). Prints "listening PORT" once it listens.
//
//   node bench/lib/static-server.ts FILE CONTENT-TYPE
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [file, contentType = 'text/html; charset=utf-8'] = process.argv.slice(2);
if (!file) throw new Error('usage: static-server.ts FILE [CONTENT-TYPE]');
const body = readFileSync(file);
const headers = { 'content-type': contentType, 'content-length': String(body.length) };

const server = createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
