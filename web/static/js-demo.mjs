import { load } from './authlib.mjs';

const $ = (id) => document.getElementById(id);
const api = new URL('api', location.href).href;
// The mock API's accounts; its URLs carry the secret in the path, as
// httpbin's do, so the page shows them masked and never editable.
const mock = {
  basic: { secret: 'open-sesame', path: (s) => `/basic-auth/alice/${s}` },
  digest: { secret: 'open-sesame', path: (s) => `/digest-auth/auth/alice/${s}/SHA-256` },
  bearer: { secret: 'ghp_demo0000000000000000000000000000000', path: (s) => `/bearer/${s}` },
  token: { secret: 'demo-token-12345', path: (s) => `/token-auth/${s}` },
  none: { secret: '', path: () => '/headers' }, // what arrived: no credentials
};
const DOTS = '••••••••';
const authFor = (scheme, secret) => ({
  basic: ['alice', secret],
  digest: { type: 'digest', username: 'alice', password: secret },
  bearer: { type: 'bearer', token: secret },
  token: (request) => { request.headers.set('X-TokenAuth', secret); },
  none: null,
})[scheme];
// The code that runs, with the secret as a variable, never its value.
const codeFor = (scheme, urlCode) => ({
  basic: `authlib.fetch(${urlCode}, { auth: ['alice', password] })`,
  digest: `authlib.fetch(${urlCode}, { auth: { type: 'digest', username: 'alice', password } })`,
  bearer: `authlib.fetch(${urlCode}, { auth: { type: 'bearer', token } })`,
  token: `authlib.fetch(${urlCode}, { auth: (request) => { request.headers.set('X-TokenAuth', token); } })`,
  none: `authlib.fetch(${urlCode})`,
})[scheme];
const secretName = (scheme) => (scheme === 'bearer' || scheme === 'token' ? 'token' : 'password');

// target returns the URL to send to, and how the code shows it.
function target(scheme) {
  if ($('own').checked) return { url: $('jsurl').value.trim(), code: JSON.stringify($('jsurl').value.trim()) };
  const m = mock[scheme];
  return { url: api + m.path(m.secret), code: '`' + api + m.path('${' + secretName(scheme) + '}') + '`' };
}

const sync = () => {
  const scheme = $('scheme').value;
  const own = $('own').checked;
  $('jsurl').readOnly = !own;
  if (!own) {
    $('jsurl').value = api + mock[scheme].path(DOTS);
    $('secret').value = mock[scheme].secret;
  } else if ($('jsurl').value.includes(DOTS)) {
    $('jsurl').value = '';
  }
};
$('scheme').addEventListener('change', sync);
$('own').addEventListener('change', sync);
sync();

try {
  const authlib = await load();
  $('jsstatus').textContent = `authlib ${authlib.version} is loaded. Press Send.`;
  $('jsform').addEventListener('submit', async (e) => {
    e.preventDefault();
    const scheme = $('scheme').value;
    const { url, code } = target(scheme);
    $('jscode').textContent = `const res = await ${codeFor(scheme, code)};`;
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
