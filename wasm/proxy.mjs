// proxy.mjs — the proxy option in Node: an undici ProxyAgent carries the
// proxy's credentials.

import { AuthError, isNode, nodeImport, unwrap, knownKeys } from './common.mjs';

// proxyAgent makes an undici ProxyAgent for the proxy option
// {url, auth, ProxyAgent}: Node's fetch reaches a proxy only through one,
// and undici sends the proxy's credentials only as the token given to its
// constructor (it refuses Proxy-Authorization on a request). Go checks the
// credentials and builds the token, as for any request; they go to the
// proxy and never to the origin.
export async function proxyAgent(raw, proxy) {
  if (!isNode) {
    throw new AuthError('authlib: a browser chooses its proxy itself, and forbids scripts to send proxy credentials; the proxy option is for Node', 'unsupported');
  }
  if (typeof proxy !== 'object' || proxy === null || typeof proxy.url !== 'string' && !(proxy.url instanceof URL)) {
    throw new AuthError('authlib: proxy is {url, auth}, with url such as "http://proxy.example:3128"', 'invalid_request');
  }
  knownKeys('proxy', proxy, ['url', 'auth', 'ProxyAgent']);
  let url;
  try {
    url = new URL(proxy.url);
  } catch {
    throw new AuthError('authlib: proxy.url is not a URL', 'invalid_url');
  }
  if (url.username || url.password) {
    throw new AuthError('authlib: proxy.url contains user information (user:password@); remove it and pass the credentials as proxy.auth', 'invalid_url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AuthError('authlib: proxy.url must be an http or https URL', 'invalid_url');
  }
  const token = proxy.auth == null ? undefined : proxyToken(raw, proxy.auth);
  let ProxyAgent = proxy.ProxyAgent;
  if (ProxyAgent == null) {
    try {
      ({ ProxyAgent } = await nodeImport('undici'));
    } catch {
      throw new AuthError('authlib: the proxy option needs undici\'s ProxyAgent: install undici (npm install undici), or pass it as proxy.ProxyAgent', 'unsupported');
    }
  }
  return new ProxyAgent(token === undefined ? { uri: url.href } : { uri: url.href, token });
}

// proxyToken is the Proxy-Authorization value for auth: Basic or Bearer,
// the schemes whose value is the same on every request (undici sends one
// fixed token, so a proxy that asks for Digest cannot be answered).
export function proxyToken(raw, auth) {
  if (Array.isArray(auth)) return unwrap(raw.basic(auth[0], auth[1]));
  switch (typeof auth === 'object' ? auth.type ?? 'basic' : undefined) {
    case 'basic':
    case 'proxy':
      return unwrap(raw.basic(auth.username, auth.password));
    case 'bearer':
      return unwrap(raw.bearer(auth.token));
  }
  throw new AuthError('authlib: proxy.auth is [user, password], {type: "basic", username, password} or {type: "bearer", token}: undici sends one fixed token to a proxy, so Digest cannot answer it', 'unsupported');
}
