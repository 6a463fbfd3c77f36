// wire.mjs, the JS side of the JS↔Go codec (the Go side, authlib/internal/wire, is
// tested natively, and a Go test checks the two field tables agree).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Message, decode, BAD, FIELDS } from '../../wire.mjs';

test('any string crosses whole, lists keep their order, a value of the wrong type is BAD', () => {
  const odd = 'a\\b\nc\r\\n=:';
  const m = new Message().add('url', odd).add('header', 'X-A:1').add('header', 'X-A:2').add('timeout', 5)
    .add('timeout', '5').add('allowInsecure', true).add('allowInsecure', 1n).add('follow', undefined).add('auth.password', {});
  const back = decode(m.text());
  assert.deepEqual(back.get('url'), [odd]);
  assert.deepEqual(back.get('header'), ['X-A:1', 'X-A:2']);
  assert.deepEqual(back.get('timeout'), ['5', BAD]);
  assert.deepEqual(back.get('allowInsecure'), ['true', BAD]);
  assert.deepEqual(back.get('follow'), ['1']);
  assert.deepEqual(back.get('auth.password'), [BAD]);
  assert.equal(m.text().split('\n').length, 9, 'one line a field');
  assert.deepEqual([...decode('')], []);
});

test('a field the table does not have is a programming error, not a message', () => {
  assert.throws(() => new Message().add('nope', 'x'), /no field nope/);
  assert.ok(FIELDS.length > 20);
  assert.equal(new Set(FIELDS.map(([n]) => n)).size, FIELDS.length, 'each field once');
});
