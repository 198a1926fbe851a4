// Member pages, author claims and notifications over real HTTP on a real SQLite site (the store areas behind them
// run on PostgreSQL too in test/store/people.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SiteClient } from '../scripts/lib/http-client.ts';
import { author, listedOn } from './helpers/records.ts';
import { type RunningSite, startSite } from './helpers/site.ts';
import { STORE_KINDS } from './helpers/stores.ts';

const commentIdIn = (location: string | null) => Number(/#comment-(\d+)$/.exec(location ?? '')?.[1]);

// The pgvector kind adds nothing here: these pages do not search by meaning.
for (const kind of STORE_KINDS.filter((storeKind) => storeKind !== 'postgres+pgvector')) {
  describe(kind, () => {
    let site: RunningSite;

    before(async () => {
      site = await startSite({
        store: kind,
        records: [
          listedOn('2026-11-23', '2611.00001', {
            title: 'Claimed Paper',
            authors: [author('Grace Hopper'), author('Alan Turing')],
          }),
          listedOn('2026-11-23', '2611.00002', { title: 'Other Paper', authors: [author('Alan Turing')] }),
        ],
      });
    });
    after(async () => {
      await site?.close();
    });

    describe('member pages', () => {
      test('a member page shows submissions, visible comments and no collections section while there are none', async () => {
        const client = new SiteClient(site.url);
        await site.member(client, 'Pagey');
        const posted = await client.postForm('/papers/2611.00002/comments', { body: 'Nice <b>work</b>' });
        assert.equal(posted.status, 303);
        const hiddenComment = await client.postForm('/papers/2611.00002/comments', { body: 'to be hidden' });
        await site.store.engagement.setCommentHidden(
          commentIdIn(hiddenComment.headers.get('location')),
          true,
        );

        const page = await (await fetch(`${site.url}/users/pagey`)).text();
        assert.match(page, /<h1>Pagey<\/h1>/);
        assert.match(page, /Nice &lt;b&gt;work&lt;\/b&gt;/);
        assert.doesNotMatch(page, /to be hidden/);
        assert.match(page, /No submissions yet/);
        assert.doesNotMatch(page, /Collections/);
        assert.doesNotMatch(page, /pagey@example\.org/, 'no email on a public page');

        const paper = await (await client.get('/papers/2611.00002')).text();
        assert.match(paper, /<a class="member-link" href="\/users\/Pagey">Pagey<\/a>/);
      });

      test('an unknown member, a deleted one or a hostile name is a 404 page', async () => {
        for (const name of ['nobody', '%00', 'a'.repeat(500), "x' OR 1=1 --", '..%2F..%2Fetc']) {
          const response = await fetch(`${site.url}/users/${name}`);
          assert.equal(response.status, 404, name);
          assert.match(await response.text(), /Not found/);
        }
      });
    });

    describe('author claims', () => {
      test('claim, admin approval, then the author page names the member and their comments are marked', async () => {
        const grace = new SiteClient(site.url);
        await site.member(grace, 'grace');
        const admin = new SiteClient(site.url);
        await site.member(admin, 'boss', { admin: true });

        let page = await (await grace.get('/authors/Grace%20Hopper')).text();
        assert.match(page, />This is me</);
        assert.equal((await grace.postForm('/authors/Grace%20Hopper/claim', {})).status, 303);
        page = await (await grace.get('/authors/Grace%20Hopper')).text();
        assert.match(page, /waiting for an admin/);
        const twice = await grace.postForm('/authors/Grace%20Hopper/claim', {});
        assert.equal(twice.status, 409);
        assert.match(await twice.text(), /already waiting for an admin/);
        assert.equal((await grace.postForm('/authors/Nobody%20At%20All/claim', {})).status, 404);
        assert.equal((await grace.postForm('/authors/%00/claim', {})).status, 404);

        const rival = new SiteClient(site.url);
        await site.member(rival, 'rival');
        assert.equal((await rival.postForm('/authors/Grace%20Hopper/claim', {})).status, 303);

        assert.equal((await grace.postForm('/admin/author-claims/1', { decision: 'approve' })).status, 403);
        const adminPage = await (await admin.get('/admin')).text();
        assert.match(adminPage, /Author claims/);
        const ids = [...adminPage.matchAll(/action="\/admin\/author-claims\/(\d+)"/g)].map(
          (match) => match[1],
        );
        const [graceClaim, rivalClaim] = [...new Set(ids)];
        assert.ok(graceClaim && rivalClaim);
        assert.equal(
          (await admin.postForm(`/admin/author-claims/${graceClaim}`, { decision: 'maybe' })).status,
          400,
        );
        assert.equal(
          (await admin.postForm('/admin/author-claims/99999', { decision: 'approve' })).status,
          404,
        );
        assert.equal((await admin.postForm('/admin/author-claims/-1', { decision: 'approve' })).status, 404);
        assert.equal(
          (await admin.postForm(`/admin/author-claims/${graceClaim}`, { decision: 'approve' })).status,
          303,
        );
        const second = await admin.postForm(`/admin/author-claims/${rivalClaim}`, { decision: 'approve' });
        assert.equal(second.status, 409, 'one approved member per author name');
        assert.equal(
          (await admin.postForm(`/admin/author-claims/${rivalClaim}`, { decision: 'reject' })).status,
          303,
        );

        const again = await rival.postForm('/authors/Grace%20Hopper/claim', {});
        assert.equal(again.status, 409);
        assert.match(await again.text(), /already belongs to another member/);

        page = await (await fetch(`${site.url}/authors/Grace%20Hopper`)).text();
        assert.match(
          page,
          /author<\/span> On Dailypapers as <a class="member-link" href="\/users\/grace">grace<\/a>/,
        );
        await grace.postForm('/papers/2611.00001/comments', { body: 'Author here.' });
        await rival.postForm('/papers/2611.00001/comments', { body: 'Not the author.' });
        const paper = await (await fetch(`${site.url}/papers/2611.00001`)).text();
        const badges = [
          ...paper.matchAll(/href="\/users\/(\w+)">\w+<\/a><\/strong>(<span class="author-badge")?/g),
        ];
        assert.deepEqual(
          badges.map((match) => [match[1], Boolean(match[2])]),
          [
            ['grace', true],
            ['rival', false],
          ],
        );
        const other = await (await fetch(`${site.url}/papers/2611.00002`)).text();
        assert.doesNotMatch(other, /class="author-badge"/, 'only on papers of the claimed name');
        const me = await (await grace.get('/users/grace')).text();
        assert.match(me, /Author page: <a href="\/authors\/Grace%20Hopper">Grace Hopper<\/a>/);
      });

      test('claims are rate-limited per member', async () => {
        const client = new SiteClient(site.url);
        await site.member(client, 'claimer');
        const statuses = [];
        for (let i = 0; i < 6; i++)
          statuses.push((await client.postForm('/authors/Alan%20Turing/claim', {})).status);
        assert.deepEqual(statuses, [303, 409, 409, 409, 409, 429]);
      });
    });

    describe('notifications', () => {
      test('a reply shows in the header count and on the page until marked read', async () => {
        const asker = new SiteClient(site.url);
        await site.member(asker, 'asker');
        const answerer = new SiteClient(site.url);
        await site.member(answerer, 'answerer');
        const question = await asker.postForm('/papers/2611.00002/comments', { body: 'How does it scale?' });
        const parentId = String(commentIdIn(question.headers.get('location')));
        let home = await (await asker.get('/')).text();
        assert.doesNotMatch(home, /data-testid="unread-count"/);
        await asker.postForm('/papers/2611.00002/comments', { body: 'Self reply', parentId });
        await answerer.postForm('/papers/2611.00002/comments', { body: 'Linearly.', parentId });

        home = await (await asker.get('/')).text();
        assert.match(home, /data-testid="unread-count">1</);
        const page = await (await asker.get('/notifications')).text();
        assert.match(page, /answerer replied to your comment on “Other Paper”/);
        assert.match(page, /Linearly\./);
        assert.doesNotMatch(page, /Self reply/);
        assert.equal((await asker.postForm('/notifications/read', {}, { csrf: false })).status, 403);
        assert.equal((await asker.postForm('/notifications/read', {})).status, 303);
        home = await (await asker.get('/')).text();
        assert.doesNotMatch(home, /data-testid="unread-count"/);
        assert.match(await (await asker.get('/notifications')).text(), /All read/);

        const anonymous = await fetch(`${site.url}/notifications`, { redirect: 'manual' });
        assert.equal(anonymous.status, 302);
        assert.match(anonymous.headers.get('location') ?? '', /^\/login/);
      });
    });
  });
}
