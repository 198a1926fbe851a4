// A load generator in its own process, so that its CPU is not counted as the server's: GETs `amount` paths of a
// list (one a line in a file) in turn over `connections` keep-alive connections; prints the non-2xx count.
//
//   node --import tsx bench/lib/fire-requests.ts BASE PATHS_FILE AMOUNT CONNECTIONS
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [base = '', pathsFile = '', amount = '0', connections = '4'] = process.argv.slice(2);
const paths = readFileSync(pathsFile, 'utf8').split('\n').filter(Boolean);
let next = 0;
const result = await autocannon({
  url: base + (paths[0] ?? '/'),
  connections: Number(connections),
  amount: Number(amount),
  requests: [{ setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] ?? '/' }) }],
});
console.log(JSON.stringify({ non2xx: result.non2xx, total: result.requests.total, errors: result.errors }));
