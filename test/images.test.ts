import assert from 'node:assert/strict';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../scripts/lib/free-port.ts';
import { SiteClient } from '../scripts/lib/http-client.ts';
import { fetchImage, ImageFetchError } from '../src/images/fetch-image.ts';
import { ImageFiles, imageKey } from '../src/images/image-files.ts';
import { initials } from '../src/web/views/images.ts';
import { type FakeCdn, PNG, startFakeCdn } from './helpers/fake-cdn.ts';
import { author, listedOn } from './helpers/records.ts';
import { type RunningSite, startSite } from './helpers/site.ts';
import { tempDir } from './helpers/temp.ts';

const LIMITS = { timeoutMs: 1_000, maxBytes: 1024 * 1024 };
let cdn: FakeCdn;
before(async () => {
  cdn = await startFakeCdn();
});
after(() => cdn.close());

test('fetchImage: raster images only, http(s) only, within the size and time limits', async () => {
  const image = await fetchImage(`${cdn.url}/a.png`, LIMITS);
  assert.equal(image.contentType, 'image/png');
  assert.deepEqual(image.data, PNG);
  for (const [url, reason] of [
    [`${cdn.url}/huge.png`, /larger than/],
    [`${cdn.url}/page.html`, /not an image we keep \(text\/html\)/],
    [`${cdn.url}/logo.svg`, /not an image we keep \(image\/svg\+xml\)/],
    ['file:///etc/passwd', /not an http\(s\) URL/],
    ['javascript:alert(1)', /not an http\(s\) URL/],
    ['not a url', /not an http\(s\) URL/],
  ] as const) {
    await assert.rejects(fetchImage(url, LIMITS), (error: Error) => {
      assert.ok(error instanceof ImageFetchError, `${url}: ${error}`);
      assert.match(error.message, reason);
      return true;
    });
  }
  await assert.rejects(fetchImage(`${cdn.url}/slow`, { ...LIMITS, timeoutMs: 200 }), /timeout|abort/i);
});

test('generated avatars take the first letters of the name', () => {
  assert.equal(initials('Google DeepMind'), 'GD');
  assert.equal(initials('nvidia'), 'NV');
  assert.equal(initials('  École  normale supérieure'), 'ÉN');
  assert.equal(initials('<>'), '?');
});

test('image copies another process adds are seen, whether the folder was listed or looked up key by key', () => {
  const dir = join(tempDir(), 'images');
  let clock = Date.now();
  const ours = new ImageFiles(dir, () => clock);
  const theirs = new ImageFiles(dir);
  const image = { contentType: 'image/png', data: PNG };
  const [first, second, third, never] = ['a', 'b', 'c', 'd'].map((name) =>
    imageKey(`https://cdn.example/${name}.png`),
  ) as [string, string, string, string];
  // No folder yet: nothing is there, and it is not looked for file by file.
  assert.equal(ours.has(first), false);
  theirs.write(first, image);
  assert.equal(ours.has(first), false, 'the folder is looked at again a moment later, not at every call');
  clock += 1_500;
  assert.equal(ours.has(first), true, 'a folder that just changed is not trusted: the key is looked up');
  // The folder as it is after a quiet while: listed, and a key it does not hold is absent.
  const quietSince = new Date(Date.now() - 60_000);
  utimesSync(dir, quietSince, quietSince);
  clock += 10_000;
  assert.equal(ours.has(second), false);
  theirs.write(second, image);
  clock += 1_500;
  assert.equal(ours.has(second), true, 'a change to the listed folder is seen');
  ours.write(third, image);
  assert.equal(ours.has(third), true, 'its own copies at once');
  utimesSync(dir, quietSince, quietSince);
  const later = new ImageFiles(dir);
  assert.deepEqual(
    [first, second, third, never].map((key) => later.has(key)),
    [true, true, true, false],
  );
  assert.equal(later.read(first)?.contentType, 'image/png');
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 30_000; !(await check()); ) {
    assert.ok(Date.now() < deadline, 'timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('avatars and thumbnails are copied once in the background and served by us; offline, a generated avatar', async () => {
  const offline = `http://127.0.0.1:${await freePort()}`; // nothing listens there
  const imagesDir = tempDir();
  let site: RunningSite | null = await startSite({
    env: { FETCH_IMAGES: 'on', IMAGES_DIR: imagesDir },
    records: [
      listedOn('2026-05-04', '2605.00001', {
        title: 'A paper with a thumbnail',
        thumbnail: `${cdn.url}/thumbs/2605.00001.png`,
        organization: { name: 'lab', fullName: 'Example Lab', avatarUrl: `${cdn.url}/avatars/lab.png` },
      }),
      listedOn('2026-05-04', '2605.00002', {
        title: 'A paper whose images are unreachable',
        authors: [author('Grace Hopper')],
        thumbnail: `${offline}/thumb.png`,
        organization: { name: 'far', fullName: 'Faraway Institute', avatarUrl: `${offline}/far.png` },
      }),
      listedOn('2026-05-04', '2605.00003', {
        title: 'A paper whose image is not an image',
        organization: { name: 'odd', fullName: 'Odd Org', avatarUrl: `${cdn.url}/avatar.html` },
      }),
    ],
  });
  try {
    const client = new SiteClient(site.url);
    const first = await (await client.get('/papers/date/2026-05-04')).text();
    assert.doesNotMatch(first, /127\.0\.0\.1:\d+\/(thumbs|avatars)/, 'never a remote image in a page');
    assert.match(first, /<svg class="org-avatar avatar-generated"[^>]*aria-label="Example Lab"/);

    const thumb = `/images/${imageKey(`${cdn.url}/thumbs/2605.00001.png`)}`;
    const avatar = `/images/${imageKey(`${cdn.url}/avatars/lab.png`)}`;
    let page = '';
    await waitFor(async () => {
      page = await (await client.get('/papers/date/2026-05-04')).text();
      return page.includes(thumb) && page.includes(avatar);
    });
    assert.match(
      page,
      new RegExp(`<a class="paper-thumb" href="/papers/2605.00001"[^>]*><img src="${thumb}"`),
    );
    assert.match(page, new RegExp(`<img class="org-avatar" src="${avatar}"`));
    assert.match(
      page,
      /<svg class="org-avatar avatar-generated"[^>]*aria-label="Faraway Institute"[^>]*>.*?>FI</,
    );
    assert.match(page, /<svg class="org-avatar avatar-generated"[^>]*aria-label="Odd Org"/);
    assert.doesNotMatch(page, /paper-thumb" href="\/papers\/2605.00002"/, 'no thumbnail without a copy');

    const served = await client.get(thumb);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.match(served.headers.get('cache-control') ?? '', /max-age=31536000, immutable/);
    assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), PNG);
    assert.match(
      await (await client.get('/orgs/lab')).text(),
      new RegExp(`<img class="profile-avatar" src="${avatar}"`),
    );
    assert.match(
      await (await client.get('/papers/2605.00001')).text(),
      new RegExp(`<meta property="og:image" content="${site.url}${thumb}">`),
    );

    for (const path of ['/images/0000', `/images/${'0'.repeat(64)}`, '/images/..%2F..%2Fetc%2Fpasswd']) {
      assert.equal((await client.get(path)).status, 404, path);
    }
    for (let i = 0; i < 3; i++) await client.get('/papers/date/2026-05-04');
    assert.equal(cdn.hits.get('/thumbs/2605.00001.png'), 1, 'fetched once');
    assert.equal(cdn.hits.get('/avatar.html'), 1, 'a failed copy is not retried at once');

    // Kept with the site: a restarted server serves the copies without asking the CDN again.
    await site.close();
    site = null;
    site = await startSite({ env: { FETCH_IMAGES: 'off', IMAGES_DIR: imagesDir }, records: [] });
    const again = await new SiteClient(site.url).get(thumb);
    assert.equal(again.status, 200);
    assert.equal(cdn.hits.get('/thumbs/2605.00001.png'), 1);
  } finally {
    await site?.close();
  }
});
