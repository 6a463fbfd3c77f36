// oauth.mjs — authlib.oauth2: discovery, the authorization code with
// PKCE, the device flow, and revocation.

import { Message, decode } from './wire.mjs';
import { AuthError } from './common.mjs';
import { addOAuth, attempt, oauthFields, readOption } from './input.mjs';

// oauth2API is authlib.oauth2: discovery, the authorization code with
// PKCE, and the device flow. Tokens come back as objects with
// requests-oauthlib's field names.
export function oauth2API(raw) {
  const call = (op, o, extra, onCode, params) => attempt(() => {
    // Each option read once; a signal that is not an AbortSignal refused.
    const signal = o?.signal == null ? undefined : readOption('signal', o.signal);
    const m = new Message();
    addOAuth(m, oauthFields(o));
    for (let i = 0; params && i + 1 < params.length; i += 2) {
      m.add('oauth.param', encodeURIComponent(params[i]) + '=' + encodeURIComponent(params[i + 1]));
    }
    const msg = m.text();
    return new Promise((resolve, reject) => raw.oauth2(op, msg, extra, onCode, signal, resolve, reject));
  });
  return {
    discover: (issuer, o) => call('discover', o, typeof issuer === 'bigint' || typeof issuer === 'symbol' ? '' : String(issuer)).then(JSON.parse),
    authorize: (o) => {
      let params;
      try {
        params = [...new URLSearchParams(o?.params ?? {})].flat();
      } catch {
        return Promise.reject(new AuthError('authlib: params is a record of strings', 'invalid_request'));
      }
      return call('authorize', o, '', undefined, params).then((msg) => {
        const m = decode(msg);
        return { url: m.get('url')[0], state: m.get('oauth.state')[0], codeVerifier: m.get('oauth.codeVerifier')[0] };
      });
    },
    exchange: (o) => call('exchange', o, '').then(JSON.parse),
    // revoke({ …settings, token, tokenTypeHint? }) revokes token (RFC 7009)
    // at revocationURL or the issuer's revocation_endpoint; it resolves
    // when the server says the token is of no use now.
    revoke: (o) => {
      if (typeof o?.token !== 'string' || o.token === '') return Promise.reject(new AuthError('authlib: revoke needs token, the token string to revoke', 'invalid_request'));
      return call('revoke', { ...o, token: undefined }, o.token).then(() => undefined);
    },
    device: (o) => {
      const onCode = o?.onCode;
      const code = typeof onCode === 'function' ? (msg) => {
        const m = decode(msg);
        const one = (k) => m.get(k)?.[0] ?? '';
        return onCode({ user_code: one('code.user'), verification_uri: one('code.uri'), verification_uri_complete: one('code.uriComplete'), expires_in: Number(one('code.expiresIn')) });
      } : undefined;
      return call('device', o, '', code).then(JSON.parse);
    },
  };
}
