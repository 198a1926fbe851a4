// The Store contract for trending, upvotes, comments, submissions, run on every store kind (test/store/support/contract.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Member } from '../../src/domain/member.ts';
import { HiddenPaperError, NotFoundError } from '../../src/store/store.ts';
import { listedOn, paperRecord } from '../helpers/records.ts';
import { isIsoTime, member, openSeveral, range, sleep, storeContract } from './support/contract.ts';

storeContract({ areas: ['engagement'] }, ({ kind, freshDb, fresh }) => {
  test('trending candidates: recent listings and votes, stars gained since a time', async (t) => {
    const store = await fresh(t);
    const started = new Date();
    const today = started.toISOString().slice(0, 10);
    const since = new Date(started.getTime() - 14 * 86_400_000).toISOString();
    await store.papers.writeBatch([
      listedOn(today, '2611.00001', { importedUpvotes: 4, githubStars: 10 }),
      listedOn('2020-01-01', '2001.00001', { importedUpvotes: 50 }),
      listedOn(today, '2611.00002', { importedUpvotes: 1 }),
      paperRecord('2611.00003', { githubStars: 3 }),
      paperRecord('2611.00004', {
        daily: {
          day: today,
          submittedBy: { user: 'ada', fullname: null, avatarUrl: null },
          submittedAt: `${today}T08:30:00.000Z`,
        },
      }),
      paperRecord('2611.00005'),
    ]);
    await store.papers.setPaperHidden('2611.00002', true);
    await sleep(50);
    const starsSince = new Date().toISOString();
    await sleep(50);
    await store.papers.writeBatch([
      listedOn(today, '2611.00001', { importedUpvotes: 4, githubStars: 25 }),
      paperRecord('2611.00004', { githubStars: 7 }),
    ]);
    const voter = await member(store, 'voter');
    await store.engagement.setUpvote(voter.id, '2001.00001', true);
    await store.engagement.setUpvote(voter.id, '2611.00003', true);
    const finished = new Date();
    const candidates = (await store.engagement.trendingCandidates(since, starsSince)).sort((a, b) =>
      a.paperId.localeCompare(b.paperId),
    );
    assert.deepEqual(
      candidates.map((candidate) => candidate.paperId),
      ['2001.00001', '2611.00001', '2611.00003', '2611.00004'],
      'recently listed or upvoted, not hidden',
    );
    const [old, fresh1, unlisted, submitted] = candidates;
    const within = (time: string) => {
      const at = Date.parse(time);
      return isIsoTime(time) && at >= started.getTime() - 1000 && at <= finished.getTime() + 1000;
    };
    assert.equal(old?.listedAt, '2020-01-01T12:00:00.000Z');
    assert.equal(old?.importedUpvotes, 50);
    assert.equal(old?.voteTimes.length, 1);
    assert.ok(within(old?.voteTimes[0] ?? ''), `vote time ${old?.voteTimes[0]}`);
    assert.equal(old?.starsGained, null);
    assert.deepEqual(fresh1, {
      paperId: '2611.00001',
      listedAt: `${today}T12:00:00.000Z`,
      importedUpvotes: 4,
      voteTimes: [],
      starsGained: 15,
    });
    assert.ok(
      within(unlisted?.listedAt ?? ''),
      `an unlisted paper counts from when it was stored: ${unlisted?.listedAt}`,
    );
    assert.equal(unlisted?.starsGained, 0);
    assert.equal(unlisted?.voteTimes.length, 1);
    assert.equal(submitted?.listedAt, `${today}T08:30:00.000Z`);
    assert.equal(submitted?.starsGained, null, 'no stars known before starsSince');
    assert.deepEqual(
      (
        await store.engagement.trendingCandidates(
          new Date(finished.getTime() + 2 * 86_400_000).toISOString(),
          starsSince,
        )
      ).map((candidate) => candidate.paperId),
      [],
    );
  });

  describe('engagement', () => {
    test('a hidden paper takes no upvotes or comments, checked in the write; hidden concurrently, none slip in', async (t) => {
      const database = await freshDb(t);
      const [store, moderator] = await openSeveral(database, 2);
      if (!store || !moderator) throw new Error('two stores');
      await store.papers.writeBatch([paperRecord('2501.00060'), paperRecord('2501.00061')]);
      const voters = await Promise.all(range(8).map((i) => member(store, `hv${i}`)));
      await store.papers.setPaperHidden('2501.00060', true);
      await assert.rejects(
        store.engagement.setUpvote(voters[0]?.id ?? 0, '2501.00060', true),
        HiddenPaperError,
      );
      await assert.rejects(
        store.engagement.addComment({
          paperId: '2501.00060',
          memberId: voters[0]?.id ?? 0,
          parentId: null,
          body: 'hi',
        }),
        HiddenPaperError,
      );
      const paper = await store.papers.getPaper('2501.00060');
      assert.equal(paper?.upvotes, 0);
      assert.equal(paper?.numComments, 0);

      // Votes racing a hide: each vote either counted before the hide or was refused, never one in between.
      const votes = voters.map((voter) => store.engagement.setUpvote(voter.id, '2501.00061', true));
      const hide = moderator.papers.setPaperHidden('2501.00061', true);
      const outcomes = await Promise.allSettled(votes);
      await hide;
      for (const outcome of outcomes)
        if (outcome.status === 'rejected')
          assert.ok(outcome.reason instanceof HiddenPaperError, `${outcome.reason}`);
      const counted = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
      assert.equal(
        (await store.papers.getPaper('2501.00061'))?.upvotes,
        counted,
        'every counted vote is in the count',
      );
      await assert.rejects(
        store.engagement.setUpvote(voters[0]?.id ?? 0, '2501.00061', false),
        HiddenPaperError,
      );
    });

    test('upvotes: one per member, undo, exact counts on top of imported ones', async (t) => {
      const store = await fresh(t);
      await store.papers.writeBatch([
        listedOn('2025-01-06', '2501.00050', { importedUpvotes: 10 }),
        paperRecord('2501.00051'),
      ]);
      const [m1, m2] = (await Promise.all(['m1', 'm2', 'm3'].map((name) => member(store, name)))) as [
        Member,
        Member,
      ];
      assert.deepEqual(await store.engagement.setUpvote(m1.id, '2501.00050', true), {
        upvotes: 11,
        upvoted: true,
      });
      assert.deepEqual(
        await store.engagement.setUpvote(m1.id, '2501.00050', true),
        { upvotes: 11, upvoted: true },
        'once only',
      );
      assert.deepEqual(await store.engagement.setUpvote(m2.id, '2501.00050', true), {
        upvotes: 12,
        upvoted: true,
      });
      assert.deepEqual(await store.engagement.setUpvote(m1.id, '2501.00050', false), {
        upvotes: 11,
        upvoted: false,
      });
      assert.deepEqual(await store.engagement.setUpvote(m1.id, '2501.00050', false), {
        upvotes: 11,
        upvoted: false,
      });
      assert.deepEqual(await store.engagement.setUpvote(m2.id, '2501.00051', true), {
        upvotes: 1,
        upvoted: true,
      });
      assert.deepEqual(
        [...(await store.engagement.upvotedBy(m2.id, ['2501.00050', 'x', '2501.00051']))].sort(),
        ['2501.00050', '2501.00051'],
      );
      assert.deepEqual([...(await store.engagement.upvotedBy(m1.id, ['2501.00050', '2501.00051']))], []);
      assert.deepEqual([...(await store.engagement.upvotedBy(m2.id, []))], []);
      const recent = await store.engagement.recentUpvotes(m2.id, 10);
      assert.deepEqual(
        recent.map((vote) => vote.paperId),
        ['2501.00050', '2501.00051'],
        'oldest first',
      );
      assert.ok(
        recent.every((vote) => /^\d{4}-\d{2}-\d{2}T/.test(vote.createdAt)),
        'ISO times',
      );
      assert.deepEqual(
        (await store.engagement.recentUpvotes(m2.id, 1)).map((vote) => vote.paperId),
        ['2501.00051'],
        'the latest only',
      );
      assert.deepEqual(await store.engagement.recentUpvotes(m1.id, 10), [], 'a vote taken back is gone');
      assert.deepEqual(await store.engagement.recentUpvotes(m2.id, 0), []);
      await assert.rejects(store.engagement.setUpvote(m1.id, '2501.99999', true), NotFoundError);
      assert.equal((await store.papers.getPaper('2501.00050'))?.upvotes, 11);
      assert.equal((await store.papers.searchSignals(['2501.00050'])).get('2501.00050')?.upvotes, 11);
      assert.deepEqual(
        (await store.papers.listPapers({}, { sort: 'upvotes' })).map((paper) => paper.id),
        ['2501.00050', '2501.00051'],
      );
      // Imports keep writing the imported count; members' votes stay on top of it.
      await store.papers.writeBatch([listedOn('2025-01-06', '2501.00050', { importedUpvotes: 20 })]);
      assert.equal((await store.papers.getPaper('2501.00050'))?.upvotes, 21);
    });

    test('comments: one level of threading, counts, hiding', async (t) => {
      const store = await fresh(t);
      await store.papers.writeBatch([
        paperRecord('2501.00060', { importedComments: 2 }),
        paperRecord('2501.00061'),
      ]);
      const ada = await member(store, 'ada');
      const top = await store.engagement.addComment({
        paperId: '2501.00060',
        memberId: ada.id,
        parentId: null,
        body: 'Nice <b>',
      });
      const reply = await store.engagement.addComment({
        paperId: '2501.00060',
        memberId: ada.id,
        parentId: top.id,
        body: 'r1',
      });
      const nested = await store.engagement.addComment({
        paperId: '2501.00060',
        memberId: ada.id,
        parentId: reply.id,
        body: "r2 'quoted' \\ 日本",
      });
      assert.equal(top.parentId, null);
      assert.equal(reply.parentId, top.id);
      assert.equal(nested.parentId, top.id, 'a reply to a reply joins the top thread');
      assert.equal(top.author, 'ada');
      assert.equal(top.body, 'Nice <b>');
      assert.equal(top.paperId, '2501.00060');
      assert.equal(top.hidden, false);
      assert.ok(isIsoTime(top.createdAt), top.createdAt);
      await assert.rejects(
        store.engagement.addComment({
          paperId: '2501.00061',
          memberId: ada.id,
          parentId: top.id,
          body: 'x',
        }),
        NotFoundError,
        'the parent is on another paper',
      );
      await assert.rejects(
        store.engagement.addComment({
          paperId: '2501.00060',
          memberId: ada.id,
          parentId: 999_999,
          body: 'x',
        }),
        NotFoundError,
      );
      await assert.rejects(
        store.engagement.addComment({ paperId: '2501.99999', memberId: ada.id, parentId: null, body: 'x' }),
        NotFoundError,
      );
      assert.equal((await store.papers.getPaper('2501.00060'))?.numComments, 3, 'our comments only');
      assert.equal((await store.papers.getPaper('2501.00060'))?.importedComments, 2, "Hugging Face's, apart");
      assert.equal(
        (await store.papers.getPaper('2501.00061'))?.numComments,
        0,
        'refused comments are not counted',
      );
      await store.engagement.setCommentHidden(reply.id, true);
      await store.engagement.setCommentHidden(reply.id, true);
      assert.equal((await store.papers.getPaper('2501.00060'))?.numComments, 2);
      const visible = await store.engagement.listComments('2501.00060');
      assert.deepEqual(
        visible.map((comment) => comment.body),
        ['Nice <b>', "r2 'quoted' \\ 日本"],
      );
      assert.deepEqual(visible[0], top);
      const all = await store.engagement.listComments('2501.00060', { includeHidden: true });
      assert.deepEqual(
        all.map((comment) => [comment.id, comment.hidden]),
        [
          [top.id, false],
          [reply.id, true],
          [nested.id, false],
        ],
      );
      await store.engagement.setCommentHidden(reply.id, false);
      assert.equal((await store.papers.getPaper('2501.00060'))?.numComments, 3);
      assert.deepEqual(await store.engagement.listComments('2501.00061'), []);
      await assert.rejects(store.engagement.setCommentHidden(999_999, true), NotFoundError);
    });

    test('submissions: a member lists a paper on a day, counted for the daily limit', async (t) => {
      const store = await fresh(t);
      await store.papers.writeBatch([
        listedOn('2025-01-07', '2501.00080'),
        paperRecord('2501.00081'),
        paperRecord('2501.00082'),
      ]);
      const ada = await member(store, 'ada');
      const bob = await member(store, 'bob');
      assert.equal(await store.engagement.countSubmissionsSince(ada.id, '2025-01-01T00:00:00.000Z'), 0);
      assert.equal(
        await store.engagement.listSubmission('2501.00081', '2025-01-07', ada, '2025-01-07T15:00:00.000Z'),
        true,
      );
      assert.equal(
        await store.engagement.listSubmission('2501.00082', '2025-01-08', ada, '2025-01-08T09:00:00.000Z'),
        true,
      );
      assert.equal(
        await store.engagement.listSubmission('2501.00080', '2025-01-08', bob, '2025-01-08T10:00:00.000Z'),
        false,
        'already listed by an import',
      );
      assert.deepEqual((await store.papers.getPaper('2501.00081'))?.daily, {
        day: '2025-01-07',
        submittedBy: { user: 'ada', fullname: null, avatarUrl: null },
        submittedAt: '2025-01-07T15:00:00.000Z',
      });
      assert.equal(await store.engagement.countSubmissionsSince(ada.id, '2025-01-07T00:00:00.000Z'), 2);
      assert.equal(await store.engagement.countSubmissionsSince(ada.id, '2025-01-08T00:00:00.000Z'), 1);
      assert.equal(await store.engagement.countSubmissionsSince(bob.id, '2025-01-01T00:00:00.000Z'), 0);
      assert.deepEqual(
        (
          await store.papers.listPapers(
            { days: { fromDay: '2025-01-07', toDay: '2025-01-07' } },
            { sort: 'newest' },
          )
        ).map((paper) => paper.id),
        ['2501.00080', '2501.00081'],
        'a submission goes to the end of its day',
      );
      assert.equal(await store.papers.latestDay(), '2025-01-08');
    });
  });
});
