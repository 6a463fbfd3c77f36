import { load } from './authlib.mjs';

const $ = (id) => document.getElementById(id);
const api = new URL('api', location.href).href;
const urls = {
  basic: `${api}/basic-auth/alice/open-sesame`,
  digest: `${api}/digest-auth/auth/alice/open-sesame/SHA-256`,
  bearer: `${api}/bearer/ghp_demo0000000000000000000000000000000`,
  token: `${api}/token-auth/demo-token-12345`,
  none: `${api}/basic-auth/alice/open-sesame`,
};
const authFor = (scheme, secret) => ({
  basic: ['alice', secret],
  digest: { type: 'digest', username: 'alice', password: secret },
  bearer: { type: 'bearer', token: secret },
  token: (request) => { request.headers.set('X-TokenAuth', secret); },
  none: null,
})[scheme];
const codeFor = (scheme, url) => ({
  basic: `authlib.fetch(${JSON.stringify(url)}, { auth: ['alice', password] })`,
  digest: `authlib.fetch(${JSON.stringify(url)}, { auth: { type: 'digest', username: 'alice', password } })`,
  bearer: `authlib.fetch(${JSON.stringify(url)}, { auth: { type: 'bearer', token } })`,
  token: `authlib.fetch(${JSON.stringify(url)}, { auth: (request) => { request.headers.set('X-TokenAuth', token); } })`,
  none: `authlib.fetch(${JSON.stringify(url)})`,
})[scheme];

const sync = () => { $('jsurl').value = urls[$('scheme').value]; };
$('scheme').addEventListener('change', sync);
sync();

try {
  const authlib = await load();
  $('jsstatus').textContent = `authlib ${authlib.version} is loaded. Press Send.`;
  $('jsform').addEventListener('submit', async (e) => {
    e.preventDefault();
    const scheme = $('scheme').value;
    const url = $('jsurl').value;
    $('jscode').textContent = `const res = await ${codeFor(scheme, url)};`;
    $('jsstatus').textContent = 'Sending…';
    $('jsbody').textContent = '';
    try {
      const res = await authlib.fetch(url, { auth: authFor(scheme, $('secret').value), timeout: 15000 });
      $('jsstatus').textContent = `${res.status} ${res.statusText || ''} (res.ok is ${res.ok})`;
      const text = await res.text();
      try { $('jsbody').textContent = JSON.stringify(JSON.parse(text), null, 2); } catch { $('jsbody').textContent = text; }
    } catch (err) {
      $('jsstatus').textContent = `AuthError ${err.code}: ${err.message}`;
    }
  });
} catch (err) {
  $('jsstatus').textContent = `authlib could not load: ${err.message}`;
}
