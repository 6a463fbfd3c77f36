// netrc.mjs — the netrc option in Node: JS reads the file (the caller's
// input, read once) and hands its text to Go as auth {type: 'netrc'},
// which parses it, checks its mode and picks the host's entry.

import { AuthError, isNode, nodeImport } from './common.mjs';

// netrcAuth reads the netrc file that opt names (true: $NETRC, or
// ~/.netrc, _netrc on Windows; a string: that path) into the auth option
// Go reads. A missing file is an empty one, as for requests.
export async function netrcAuth(opt) {
  if (opt !== true && typeof opt !== 'string') throw new AuthError('authlib: netrc is true or the path of a file', 'invalid_request');
  if (!isNode) throw new AuthError('authlib: netrc needs Node: a browser has no files to read', 'unsupported');
  const [fs, os, path] = await Promise.all([nodeImport('node:fs/promises'), nodeImport('node:os'), nodeImport('node:path')]);
  const windows = process.platform === 'win32';
  const file = typeof opt === 'string' ? opt : process.env.NETRC || path.join(os.homedir(), windows ? '_netrc' : '.netrc');
  let st;
  try {
    st = await fs.stat(file);
  } catch (err) {
    if (err?.code === 'ENOENT') return { type: 'netrc', text: '', mode: 0o600 };
    throw new AuthError('authlib: the netrc file cannot be read', 'invalid_credentials', { cause: err });
  }
  let text;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new AuthError('authlib: the netrc file cannot be read', 'invalid_credentials', { cause: err });
  }
  // Windows has no mode bits for others: Go checks none there.
  return { type: 'netrc', text, mode: windows ? 0o600 : st.mode & 0o777 };
}

// withNetrc returns init without its netrc option, and with the netrc
// file read into its auth when it asks for netrc (or the client does,
// given) and names no auth of its own.
export async function withNetrc(init, clientNetrc) {
  const { netrc, ...rest } = init ?? {};
  const opt = netrc ?? clientNetrc;
  if (opt == null || opt === false || rest.auth !== undefined) return rest;
  return { ...rest, auth: await netrcAuth(opt) };
}
