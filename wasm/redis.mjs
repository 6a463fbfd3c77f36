// redis.mjs — an OAuth token store in Redis, for the processes and machines
// of a fleet (Node): auth { type: 'oauth2', …, store: redisStore(client,
// key) }, client a connected node-redis client (the redis package). It
// keeps what Go's authlib/oauth2/redisstore keeps, under the same lock, so
// that Go and Node services share one login and one refresh:
//
//   - key holds the token text (authlib's, which authlib checks when it
//     loads it: the client, server, scope and resources it is for);
//   - key + ':lock' is a lease: SET NX PX with a random owner, renewed
//     every third of the lease while its holder works, deleted only by its
//     owner; a crashed holder's runs out by itself;
//   - a save is a compare-and-swap of the text loaded, and requires the
//     lease to be still the saver's: a holder paused past its lease cannot
//     save over what another saved meanwhile.
//
// The store cannot seal the text as Go's Seal does: keep the key on an
// instance of your own or behind an ACL (see the README).

import { AuthError } from './common.mjs';

const SAVE = `local held = redis.call('get', KEYS[2])
if ARGV[3] ~= '' and held ~= ARGV[3] then return 'lost' end
local cur = redis.call('get', KEYS[1]) or ''
if string.sub(cur, 1, 7) == 'sealed:' then return 'sealed' end
if cur ~= ARGV[1] then return 'changed' end
if ARGV[2] == '' then redis.call('del', KEYS[1]) else redis.call('set', KEYS[1], ARGV[2]) end
return 'ok'`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/**
 * redisStore returns the store of one login under key in Redis, through
 * client (node-redis 4 or 5, connected). lease is the lock's lease in ms
 * (15000 unless given); timeout bounds each call (see the store option).
 */
export function redisStore(client, key, { lease = 15_000, timeout } = {}) {
  if (typeof client?.eval !== 'function' || typeof client?.set !== 'function') throw new AuthError('authlib: redisStore needs a connected node-redis client', 'invalid_request');
  if (typeof key !== 'string' || key === '') throw new AuthError('authlib: redisStore needs the key of the login', 'invalid_request');
  const lockKey = key + ':lock';
  let last = ''; // the text load gave last: what a save replaces
  let owner = ''; // this process's lease, while it holds the lock
  let queue = Promise.resolve(); // this process's holders, one at a time
  const store = {
    load: async () => {
      last = (await client.get(key)) ?? '';
      if (last.startsWith('sealed:')) throw new AuthError('authlib: the Redis key holds a token sealed by a Go store, which this store cannot open', 'store');
      return last === '' ? null : last;
    },
    save: async (token, previous) => {
      const r = await client.eval(SAVE, { keys: [key, lockKey], arguments: [previous == null ? '' : last, token == null ? '' : JSON.stringify(token), owner] });
      if (r === 'lost') throw new AuthError('authlib: the lock\'s lease ran out before the save (another holder may have saved since): the save is refused', 'store');
      if (r !== 'ok') throw new AuthError('authlib: the Redis key holds another token than the one to replace', 'store');
      last = token == null ? '' : JSON.stringify(token);
    },
    lock: () => {
      // In this process, one holder after the other; across processes,
      // the lease.
      let done;
      const mine = new Promise((r) => (done = r));
      const turn = queue.then(async () => {
        const me = crypto.randomUUID();
        for (let wait = 5; (await client.set(lockKey, me, { NX: true, PX: lease })) !== 'OK'; wait = Math.min(wait * 2, 100)) {
          await new Promise((r) => setTimeout(r, wait));
        }
        owner = me;
        const renew = setInterval(() => client.eval(RENEW, { keys: [lockKey], arguments: [me, String(lease)] }).catch(() => {}), lease / 3);
        return () => {
          clearInterval(renew);
          if (owner === me) owner = '';
          client.eval(RELEASE, { keys: [lockKey], arguments: [me] }).catch(() => {}).finally(done);
        };
      });
      queue = queue.then(() => mine);
      return turn.catch((err) => {
        done();
        throw err;
      });
    },
  };
  if (timeout !== undefined) store.timeout = timeout;
  return store;
}
