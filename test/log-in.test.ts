// The log-in service on each store: the attempt is counted and its session started in one write, the token is
// given only for the right password, a wrong one leaves no session behind, and the browser's old session ends.
import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { FormError, hashToken, logIn } from '../src/services/accounts.ts';
import { RateLimitedError } from '../src/services/rate-limit.ts';
import type { NewSession } from '../src/store/sessions.ts';
import { addMember } from './helpers/accounts.ts';
import { freshStore, STORE_KINDS, skipStoreKind } from './helpers/stores.ts';

const PASSWORD = 'a long and careful passphrase';

for (const kind of STORE_KINDS) {
  describe(`log-in on ${kind}`, { skip: skipStoreKind(kind) }, () => {
    test('one write per attempt; the session exists only for the right password; the old one ends', async (t) => {
      const store = await freshStore(kind, t);
      const ada = await addMember(store, 'ada', { password: PASSWORD });
      const started: Array<NewSession | null> = [];
      const countAndStart = store.sessions.countAndStart.bind(store.sessions);
      store.sessions.countAndStart = (hits, now, session) => {
        started.push(session);
        return countAndStart(hits, now, session);
      };
      const client = { address: '192.0.2.1', memberId: null };
      const now = new Date().toISOString();

      await assert.rejects(logIn(store, client, 'ada', 'not the password'), FormError);
      const wrong = started.at(-1);
      assert.ok(wrong, 'the attempt for a known member started a session in its counting write');
      assert.equal(await store.members.getSessionMember(wrong.tokenHash, now), null, 'and ended it');

      await assert.rejects(logIn(store, client, 'nobody', PASSWORD), FormError);
      assert.equal(started.at(-1), null, 'no session for an unknown login');

      const first = await logIn(store, client, 'ADA@example.org', PASSWORD);
      assert.equal(first.member.id, ada.id);
      assert.equal((await store.members.getSessionMember(hashToken(first.token), now))?.id, ada.id);
      const second = await logIn(store, client, 'ada', PASSWORD, first.token);
      assert.equal((await store.members.getSessionMember(hashToken(second.token), now))?.id, ada.id);
      assert.equal(
        await store.members.getSessionMember(hashToken(first.token), now),
        null,
        'the old session ended',
      );
      assert.equal(started.length, 4, 'one counting write per attempt');
    });

    test('a password hashed by an earlier version (scrypt) logs in once and is kept as Argon2id from then on', async (t) => {
      const store = await freshStore(kind, t);
      const cat = await addMember(store, 'cat', { password: PASSWORD });
      const salt = randomBytes(16);
      const key = scryptSync(PASSWORD, salt, 32, { N: 2 ** 14, r: 8, p: 1 });
      const legacy = ['scrypt', 2 ** 14, 8, 1, salt.toString('base64url'), key.toString('base64url')].join(
        '$',
      );
      await store.members.setPasswordHash(cat.id, legacy);
      const client = { address: '192.0.2.3', memberId: null };
      await assert.rejects(logIn(store, client, 'cat', 'not the password'), FormError);
      assert.equal(
        (await store.members.findMemberForLogin('cat'))?.passwordHash,
        legacy,
        'a wrong one changes nothing',
      );
      await logIn(store, client, 'cat', PASSWORD);
      const upgraded = (await store.members.findMemberForLogin('cat'))?.passwordHash ?? '';
      assert.match(upgraded, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      await logIn(store, client, 'cat', PASSWORD);
      assert.equal((await store.members.findMemberForLogin('cat'))?.passwordHash, upgraded, 'made once');
      await assert.rejects(logIn(store, client, 'cat', `${PASSWORD} `), FormError);
    });

    test('a refused attempt starts nothing and checks no password', async (t) => {
      const store = await freshStore(kind, t);
      await addMember(store, 'bob', { password: PASSWORD });
      const client = { address: '192.0.2.2', memberId: null };
      for (let i = 0; i < 10; i++) await assert.rejects(logIn(store, client, 'bob', 'guess'), FormError);
      await assert.rejects(logIn(store, client, 'bob', PASSWORD), RateLimitedError);
    });
  });
}
