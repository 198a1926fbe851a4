// The Store contract for locks and settings, run on every store kind (test/store/support/contract.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { storeContract } from './support/contract.ts';

storeContract({ areas: ['jobs'] }, ({ kind, freshDb, fresh }) => {
  describe('locks and settings', () => {
    test('locks: one owner at a time, expiry, replacing a dead owner, release by the owner only', async (t) => {
      const store = await fresh(t);
      const now = '2026-11-24T12:00:00.000Z';
      const later = '2026-11-24T12:05:00.000Z';
      assert.deepEqual(await store.jobs.tryLock('digest:daily', 'one', later, now), {
        acquired: true,
        holder: 'one',
      });
      assert.deepEqual(await store.jobs.tryLock('digest:daily', 'two', later, now), {
        acquired: false,
        holder: 'one',
      });
      assert.deepEqual(
        await store.jobs.tryLock('digest:daily', 'one', '2026-11-24T12:10:00.000Z', now),
        { acquired: true, holder: 'one' },
        'renewed by its owner',
      );
      assert.equal(
        (await store.jobs.tryLock('digest:daily', 'two', later, '2026-11-24T12:06:00.000Z')).acquired,
        false,
        'the renewal moved the expiry',
      );
      assert.deepEqual(
        await store.jobs.tryLock('digest:weekly', 'two', later, now),
        {
          acquired: true,
          holder: 'two',
        },
        'locks are separate by name',
      );
      await store.jobs.releaseLock('digest:daily', 'two');
      assert.equal(
        (await store.jobs.tryLock('digest:daily', 'three', later, now)).holder,
        'one',
        'only the owner releases',
      );
      assert.deepEqual(
        await store.jobs.tryLock('digest:daily', 'two', later, now, 'one'),
        { acquired: true, holder: 'two' },
        'replacing a dead owner',
      );
      assert.equal((await store.jobs.tryLock('digest:daily', 'four', later, now, 'one')).acquired, false);
      assert.deepEqual(
        await store.jobs.tryLock(
          'digest:daily',
          'three',
          '2026-11-24T13:00:00.000Z',
          '2026-11-24T12:06:00.000Z',
        ),
        { acquired: true, holder: 'three' },
        'expired',
      );
      await store.jobs.releaseLock('digest:daily', 'three');
      assert.equal((await store.jobs.tryLock('digest:daily', 'four', later, now)).acquired, true, 'released');
      await store.jobs.releaseLock('never-taken', 'x');
    });

    test('settings: the first value is kept', async (t) => {
      const store = await fresh(t);
      assert.equal(await store.jobs.ensureSetting('link-secret', 'first'), 'first');
      assert.equal(
        await store.jobs.ensureSetting('link-secret', 'second'),
        'first',
        'generated once, then kept',
      );
      assert.equal(await store.jobs.ensureSetting('other', 'it\'s "quoted"'), 'it\'s "quoted"');
      assert.equal(await store.jobs.ensureSetting('link-secret', ''), 'first');
    });
  });
});
