// What the JS API's suites share: authtest's URL (make test starts it and
// passes AUTHTEST_URL) and its exchange counts.

export const BASE = process.env.AUTHTEST_URL;
if (!BASE) throw new Error('AUTHTEST_URL is not set: run through make test, which starts authtest');

/** uniq returns prefix with a random tail: a path no other test uses. */
export const uniq = (prefix) => prefix + Math.random().toString(36).slice(2);

/** exchanges is how many requests authtest's /stats counts for path. */
export async function exchanges(path) {
  const s = await (await fetch(BASE + '/stats')).json();
  return s.exchanges[path] ?? 0;
}

/**
 * startRedis starts redis-server on a free loopback port (make test
 * installs it), keeping nothing on disk; it resolves to { url, addr, stop }.
 */
export async function startRedis() {
  const { spawn } = await import('node:child_process');
  const { createServer, connect } = await import('node:net');
  const port = await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
  const proc = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  proc.on('error', () => {});
  for (let i = 0; ; i++) {
    const up = await new Promise((resolve) => {
      const c = connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (up) break;
    if (i > 200 || proc.exitCode !== null) throw new Error('redis-server did not start: make test installs it (Debian: apt-get install redis-server)');
    await new Promise((r) => setTimeout(r, 10));
  }
  return { url: `redis://127.0.0.1:${port}`, addr: `127.0.0.1:${port}`, stop: () => proc.kill() };
}
