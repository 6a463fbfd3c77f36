// The npm package: `npm pack` of web/dist installs into an empty folder and
// runs there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BASE = process.env.AUTHTEST_URL;
const dist = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../../web/dist');

test('npm pack tarball installs into an empty folder, loads and authenticates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'authlib-pack-'));
  try {
    const out = execFileSync('npm', ['pack', dist, '--pack-destination', dir, '--silent'], { encoding: 'utf8' }).trim();
    const tgz = out.split('\n').pop();
    assert.match(tgz, /^authlib-wasm-\d+\.\d+\.\d+\.tgz$/);
    const app = join(dir, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', join(dir, tgz)], { cwd: app });
    const installed = readdirSync(join(app, 'node_modules', 'authlib-wasm')).sort();
    // Every module and typing of wasm/ ships (package.json's files must
    // name a new one), with the binary, its loader and the papers.
    const src = resolve(dist, '../../wasm');
    const modules = readdirSync(src).filter((f) => f.endsWith('.mjs') || f.endsWith('.d.ts'));
    assert.deepEqual(installed, [...modules, 'LICENSE', 'README.md', 'authlib.wasm', 'authlib-lite.wasm', 'package.json', 'wasm_exec.js'].sort());
    const pkg = JSON.parse(readFileSync(join(app, 'node_modules', 'authlib-wasm', 'package.json'), 'utf8'));
    for (const field of ['repository', 'homepage', 'bugs', 'sideEffects', 'types', 'engines', 'license']) {
      assert.ok(pkg[field], `package.json has no ${field}`);
    }
    // CommonJS, on every Node the package claims (require of an ES module);
    // and every file a user may need is exported.
    writeFileSync(join(app, 'main.cjs'), `
      const { load } = require('authlib-wasm');
      const { version } = require('authlib-wasm/package.json');
      require.resolve('authlib-wasm/wasm_exec.js');
      require.resolve('authlib-wasm/authlib.wasm');
      require.resolve('authlib-wasm/authlib-sw.mjs');
      load().then(async (authlib) => {
        const res = await authlib.fetch(process.env.AUTHTEST_URL + '/basic-auth/user/pass', { auth: ['user', 'pass'] });
        console.log(res.status, version === authlib.version);
      });
    `);
    const cjs = execFileSync(process.execPath, ['main.cjs'], { cwd: app, encoding: 'utf8', env: { ...process.env, AUTHTEST_URL: BASE } });
    assert.equal(cjs.trim(), '200 true');
    writeFileSync(join(app, 'main.mjs'), `
      import { load } from 'authlib-wasm';
      import { register } from 'authlib-wasm/sw';
      const authlib = await load();
      const res = await authlib.fetch(process.env.AUTHTEST_URL + '/basic-auth/user/pass', { auth: ['user', 'pass'] });
      const noWorkers = await register('/authlib-sw.mjs', { allow: ['https://api.example/'] }).catch((e) => e.code);
      console.log(res.status, (await res.json()).authenticated, noWorkers);
    `);
    const got = execFileSync(process.execPath, ['main.mjs'], { cwd: app, encoding: 'utf8', env: { ...process.env, AUTHTEST_URL: BASE } });
    assert.equal(got.trim(), '200 true unsupported');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('load() takes the wasm as a path or as bytes', () => {
  for (const how of ['path', 'bytes']) {
    const src = `
      import { readFileSync } from 'node:fs';
      const { load } = await import(${JSON.stringify(dist + '/authlib.mjs')});
      const file = ${JSON.stringify(dist + '/authlib.wasm')};
      const authlib = await load(${how === 'path' ? 'file' : 'readFileSync(file)'});
      console.log(authlib.basic('Aladdin', 'open sesame'));
    `;
    const got = execFileSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8' });
    assert.equal(got.trim(), 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==', how);
  }
});
