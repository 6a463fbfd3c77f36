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
