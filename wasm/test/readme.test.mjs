// The README's JS examples run as written: every ```js block is run as a
// module, against authtest instead of the demo's port, with the package
// name mapped to web/dist, and each `console.log(...); // → expected`
// must print what the comment says. The proxy example goes through the
// Apache forward proxy that web/tools/with-apache starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
if (!process.env.AUTHTEST_URL || !process.env.APACHE_PROXY_URL) {
  throw new Error('AUTHTEST_URL and APACHE_PROXY_URL must be set: run through make test');
}
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

test('the README has JS examples', () => assert.ok(blocks.length >= 2));

blocks.forEach((code, i) => {
  test(`README JS example ${i + 1}`, () => {
    const expected = [...code.matchAll(/console\.log\(.*\);\s*\/\/ → (.*)$/gm)].map((m) => m[1]);
    assert.ok(expected.length > 0, 'an example shows its output');
    const src = code
      .replaceAll("'authlib-wasm'", JSON.stringify(new URL('web/dist/authlib.mjs', root).href))
      .replaceAll('http://127.0.0.1:8080', process.env.AUTHTEST_URL)
      .replaceAll('http://127.0.0.1:3128', process.env.APACHE_PROXY_URL)
      .replaceAll("'undici'", JSON.stringify(new URL('bin/npm/node_modules/undici/index.js', root).href));
    const dir = mkdtempSync(join(tmpdir(), 'authlib-readme-'));
    try {
      writeFileSync(join(dir, 'example.mjs'), src);
      const out = execFileSync(process.execPath, [join(dir, 'example.mjs')], { encoding: 'utf8' });
      assert.deepEqual(out.trimEnd().split('\n'), expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
