// Accept-Encoding as any client may send it, on the responses the caches keep (pages, API lists, feeds): never a
// failure, and always a body the client can read (compressed only in what it named).
import assert from 'node:assert/strict';
import { type IncomingHttpHeaders, request } from 'node:http';
import { after, before, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { listedOn } from '../helpers/records.ts';
import { type RunningSite, startSite } from '../helpers/site.ts';

let site: RunningSite;
const DAY = '2026-11-20';

before(async () => {
  site = await startSite({
    records: [
      listedOn(DAY, '2611.00001', { abstract: 'A long enough abstract to be compressed. '.repeat(60) }),
    ],
  });
});
after(async () => {
  await site?.close();
});

const get = (path: string, encoding: string) =>
  new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    request(`${site.url}${path}`, { agent: false, headers: { 'accept-encoding': encoding } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    })
      .on('error', reject)
      .end();
  });

test('odd Accept-Encoding values get a readable body from the caches, never an error', async () => {
  const values = ['', ',,,', 'br;q=', ';;;', 'br;q=abc, gzip', 'x'.repeat(8_000), 'GZIP', '*', 'x-gzip'];
  values.push('identity;q=0', 'br;q=0, gzip;q=0', 'gzip;q=1.5', 'deflate', 'br, gzip, br, gzip');
  for (const path of [`/papers/date/${DAY}`, `/api/daily_papers?date=${DAY}`, `/feeds/date/${DAY}.xml`]) {
    const plain = (await get(path, 'identity')).body.toString('utf8');
    for (const value of [...values, ...values]) {
      const answer = await get(path, value);
      assert.equal(answer.status, 200, `${path} ${value.slice(0, 30)}`);
      const encoding = answer.headers['content-encoding'];
      const body =
        encoding === 'br'
          ? brotliDecompressSync(answer.body)
          : encoding === 'gzip'
            ? gunzipSync(answer.body)
            : answer.body;
      assert.ok(
        encoding === undefined ||
          value.toLowerCase().includes(encoding === 'gzip' ? 'gzip' : 'br') ||
          value === '*',
      );
      const withoutToken = (text: string) => text.replace(/name="_csrf" value="[^"]+"/g, '');
      assert.equal(withoutToken(body.toString('utf8')), withoutToken(plain), `${path} ${value.slice(0, 30)}`);
    }
  }
});
