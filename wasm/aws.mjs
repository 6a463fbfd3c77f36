// aws.mjs — authlib.aws4: presigned URLs (AWS Signature Version 4 in the
// query). Signing each request is the auth option { type: 'aws4', … }.

import { Message } from './wire.mjs';
import { AuthError } from './common.mjs';
import { addAuth, attempt, canonical, readAuth, scalar } from './input.mjs';

// aws4API is authlib.aws4.
export function aws4API(raw) {
  return {
    // presign(url, { method?, expires? (seconds, default 900), accessKeyId,
    // secretAccessKey, sessionToken?, region?, service?, credentials? })
    // resolves to the URL, signed in its query.
    presign: (url, o) => attempt(() => {
      if (o === null || typeof o !== 'object') throw new AuthError('authlib: aws4.presign needs the credentials: { accessKeyId, secretAccessKey, … }', 'invalid_credentials');
      const u = canonical(typeof url === 'string' ? url : url instanceof URL ? url.href : scalar('url', url), globalThis.location?.href);
      const auth = readAuth({ ...o, type: 'aws4' });
      const m = new Message();
      m.add('url', typeof u === 'string' ? u : u.href);
      m.add('method', o.method === undefined ? 'GET' : scalar('method', o.method));
      m.add('expires', o.expires === undefined ? 900 : scalar('expires', o.expires));
      addAuth(m, auth);
      const msg = m.text();
      return new Promise((resolve, reject) => raw.aws4Presign(msg, auth.credentials, resolve, reject));
    }),
  };
}
