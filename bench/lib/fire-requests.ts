// A load generator in its own process, so that its CPU is not counted as the server's: GETs `amount` paths of a
// list (one a line in a file) in turn over `connections` keep-alive connections, with the Accept-Encoding given
// (none when empty); prints the non-2xx count.
//
//   node --import tsx bench/lib/fire-requests.ts BASE PATHS_FILE AMOUNT CONNECTIONS [ACCEPT_ENCODING]
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [base = '', pathsFile = '', amount = '0', connections = '4', encoding = ''] = process.argv.slice(2);
const paths = readFileSync(pathsFile, 'utf8').split('\n').filter(Boolean);
let next = 0;
const result = await autocannon({
  url: base + (paths[0] ?? '/'),
  connections: Number(connections),
  amount: Number(amount),
  ...(encoding && { headers: { 'accept-encoding': encoding } }),
  requests: [{ setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] ?? '/' }) }],
});
console.log(JSON.stringify({ non2xx: result.non2xx, total: result.requests.total, errors: result.errors }));
