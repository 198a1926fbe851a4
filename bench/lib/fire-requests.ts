// A load generator in its own process, so that its CPU is not counted as the server's. Started once and kept for a
// whole run: each line read from stdin, `PATHS_FILE AMOUNT`, GETs `amount` paths of a list (one a line in the file)
// in turn over `connections` keep-alive connections, with the Accept-Encoding given (none when empty), then prints
// one line of JSON with the non-2xx count. Started once because starting a process forks the one that starts it:
// every page of the server's memory then takes a copy-on-write fault at its next write, which a server that
// started its load generator for each measure would count as its own CPU (some 14 faults a day page).
//
//   node --import tsx bench/lib/fire-requests.ts BASE CONNECTIONS [ACCEPT_ENCODING]
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const [base = '', connections = '4', encoding = ''] = process.argv.slice(2);

async function fire(pathsFile: string, amount: number) {
  const paths = readFileSync(pathsFile, 'utf8').split('\n').filter(Boolean);
  let next = 0;
  const result = await autocannon({
    url: base + (paths[0] ?? '/'),
    connections: Number(connections),
    amount,
    ...(encoding && { headers: { 'accept-encoding': encoding } }),
    requests: [{ setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] ?? '/' }) }],
  });
  return { non2xx: result.non2xx, total: result.requests.total, errors: result.errors };
}

for await (const line of createInterface({ input: process.stdin })) {
  const [pathsFile = '', amount = '0'] = line.split(' ');
  console.log(JSON.stringify(await fire(pathsFile, Number(amount))));
}
