// The README's JS examples run as written: every ```js block is run as a
// module against what `make demo` serves (bin/demo, the demo server with
// the mock API at /api/, on a free port in place of 8080), with the
// package name mapped to web/dist, and each `console.log(...); // →
// expected` must print what the comment says. The proxy example goes
// through the Apache forward proxy that web/tools/with-apache starts.
import { test, before, after } from 'node:test';
import { spawn, spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis } from '../authtest.mjs';

const root = new URL('../../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
if (!process.env.AUTHTEST_URL || !process.env.APACHE_PROXY_URL) {
  throw new Error('AUTHTEST_URL and APACHE_PROXY_URL must be set: run through make test');
}
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

// The demo server, as make demo starts it, on a free port.
let demo, demoURL;
before(async () => {
  demo = spawn(new URL('bin/demo', root).pathname, ['-addr', '127.0.0.1:0', '-dir', new URL('web/dist', root).pathname],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  demoURL = await new Promise((resolve, reject) => {
    let out = '';
    demo.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/open (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) resolve(m[1]);
    });
    demo.on('exit', (code) => reject(new Error(`bin/demo exited (${code}): run through make test, which builds it`)));
  });
});
after(() => demo?.kill());

// A redis-server for the example that keeps its token in Redis.
let redis;
before(async () => {
  if (blocks.some((b) => b.includes('redis://'))) redis = await startRedis();
});
after(() => redis?.stop());

test('the README has JS examples', () => assert.ok(blocks.length >= 2));

test('the README\'s examples use the mock API where make demo serves it', () => {
  for (const code of blocks) {
    for (const m of code.matchAll(/'(http:\/\/127\.0\.0\.1:8080[^']*)'/g)) assert.match(m[1], /^http:\/\/127\.0\.0\.1:8080\/api$/);
  }
});

blocks.forEach((code, i) => {
  test(`README JS example ${i + 1}`, () => {
    const expected = [...code.matchAll(/console\.log\(.*\);\s*\/\/ → (.*)$/gm)].map((m) => m[1]);
    assert.ok(expected.length > 0, 'an example shows its output');
    const src = code
      .replaceAll("'authlib-wasm'", JSON.stringify(new URL('web/dist/authlib.mjs', root).href))
      .replaceAll('http://127.0.0.1:8080', demoURL)
      .replaceAll('http://127.0.0.1:3128', process.env.APACHE_PROXY_URL)
      .replaceAll("'undici'", JSON.stringify(new URL('bin/npm/node_modules/undici/index.js', root).href))
      .replaceAll("'authlib-wasm/redis'", JSON.stringify(new URL('web/dist/redis.mjs', root).href))
      .replaceAll("'authlib-wasm/lite'", JSON.stringify(new URL('web/dist/lite.mjs', root).href))
      .replaceAll("'redis'", JSON.stringify(new URL('bin/npm/node_modules/redis/dist/index.js', root).href))
      .replaceAll('redis://127.0.0.1:6379', redis?.url);
    const dir = mkdtempSync(join(tmpdir(), 'authlib-readme-'));
    try {
      writeFileSync(join(dir, 'example.mjs'), src);
      // An example that keeps its token in a file runs twice, as a CLI
      // would: the second run must not log in (it prints nothing to
      // stderr). Each runs in a directory of its own.
      const runs = /store: \{ file:/.test(code) ? 2 : 1;
      for (let run = 1; run <= runs; run++) {
        const r = spawnSync(process.execPath, [join(dir, 'example.mjs')], { encoding: 'utf8', cwd: dir });
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(r.stdout.trimEnd().split('\n'), expected);
        if (run === 2) assert.equal(r.stderr, '', 'the second run logged in again');
        else if (runs === 2) assert.match(r.stderr, /enter/, 'the first run logs in');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
