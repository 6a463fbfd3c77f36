// aws.mjs — authlib.aws4: presigned URLs (AWS Signature Version 4 in the
// query), and check, which explains AWS's "signature does not match".
// Signing each request is the auth option { type: 'aws4', … }.

import { Message, decode } from './wire.mjs';
import { signedRequests } from './send.mjs';
import { AuthError, scalar } from './common.mjs';
import { attempt, canonical } from './input.mjs';
import { addAuth, readAuth } from './auth.mjs';

// aws4API is authlib.aws4.
export function aws4API(raw) {
  return {
    // presign(url, { method?, expires? (seconds, default 900), accessKeyId,
    // secretAccessKey, sessionToken?, region?, service?, credentials? })
    // resolves to the URL, signed in its query.
    presign: (url, o) => attempt(() => {
      if (o === null || typeof o !== 'object') throw new AuthError('authlib: aws4.presign needs the credentials: { accessKeyId, secretAccessKey, … }', 'invalid_credentials');
      const u = canonical(typeof url === 'string' ? url : url instanceof URL ? url.href : scalar('url', url), globalThis.location?.href);
      const auth = readAuth({ ...o, type: 'aws4' }, 'aws4.presign', ['method', 'expires']);
      const m = new Message();
      m.add('url', typeof u === 'string' ? u : u.href);
      m.add('method', o.method === undefined ? 'GET' : scalar('method', o.method));
      m.add('expires', o.expires === undefined ? 900 : scalar('expires', o.expires));
      addAuth(m, auth);
      const msg = m.text();
      return new Promise((resolve, reject) => raw.aws4Presign(msg, auth.credentials, resolve, reject));
    }),
    // check(response) resolves to null, or to an AuthError (code
    // signature_mismatch) when response is AWS refusing the signature of
    // an aws4 request authlib sent: a 403 whose X-Amzn-ErrorType or body
    // says InvalidSignatureException or SignatureDoesNotMatch. The error
    // carries what authlib signed (canonicalRequest, stringToSign) and the
    // server's message (server), which for API Gateway and S3 shows what it
    // computed; the session token is masked in all three. It reads a clone
    // of the body.
    check: (res) => attempt(async () => {
      if (typeof Response === 'undefined' || !(res instanceof Response)) throw new AuthError('authlib: aws4.check takes a Response', 'invalid_request');
      if (res.status !== 403) return null;
      const kind = res.headers.get('x-amzn-errortype') ?? '';
      const text = res.bodyUsed ? '' : await res.clone().text().catch(() => '');
      const said = (s) => /SignatureDoesNotMatch|InvalidSignatureException/.test(s);
      if (!said(kind) && !said(text)) return null;
      const rec = signedRequests.get(res);
      const signed = rec?.signed();
      if (signed instanceof AuthError) throw signed;
      const err = new AuthError('authlib: aws4: the server computed another signature: compare canonicalRequest and stringToSign with the server\'s', 'signature_mismatch');
      if (typeof signed === 'string') {
        const m = decode(signed);
        err.canonicalRequest = m.get('aws4.canonicalRequest')?.[0];
        err.stringToSign = m.get('aws4.stringToSign')?.[0];
      }
      err.server = mask(text, rec?.token);
      return err;
    }),
  };
}

// mask takes a session token out of text, as sent and percent-encoded
// (AWS's encoding, and encodeURIComponent's).
function mask(text, token) {
  if (!token) return text;
  const uri = encodeURIComponent(token);
  const aws = uri.replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return text.split(token).join('[redacted]').split(aws).join('[redacted]').split(uri).join('[redacted]');
}
