// temporary: db copy + first pgvector open on the 80k db, timed (CPU of child via /usr/bin/time)
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { BENCH_SHARED_BUFFERS, createTestDatabase, useSharedBuffers } from '../scripts/lib/postgres.ts';
import { openPostgresStore } from '../src/store/postgres/index.ts';
import { CLI, FULL_DATABASE } from './lib/full-data.ts';

useSharedBuffers(BENCH_SHARED_BUFFERS);
const db = await createTestDatabase();
console.log('load', loadavg());
let t = performance.now();
const out = execFileSync(
  '/usr/bin/time',
  [
    '-f',
    'user %U sys %S wall %e maxrss %M',
    process.execPath,
    CLI,
    'db',
    'copy',
    '--from',
    `sqlite:${FULL_DATABASE}`,
    '--to',
    db.url,
  ],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
console.log('db copy wall', ((performance.now() - t) / 1000).toFixed(1));
console.log(out.toString().split('\n').slice(-3).join('\n'));
t = performance.now();
const cpu0 = process.cpuUsage();
const store = await openPostgresStore(db.url);
console.log(
  'first open (pgvector fill) wall',
  ((performance.now() - t) / 1000).toFixed(1),
  'cpu',
  JSON.stringify(process.cpuUsage(cpu0)),
);
await store.close();
console.log('load', loadavg());
await db.drop();
