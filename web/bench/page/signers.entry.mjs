// The JS libraries a page would pick to sign requests, bundled for the
// browser by make bench (esbuild): oauth-1.0a with crypto-js for its
// HMAC-SHA1 (it needs a synchronous hash, which WebCrypto has not), and
// http-message-signatures, which needs Node's Buffer (the buffer package,
// as bundlers provide it) and never reaches node:crypto when given a
// signer of its own; and oauth4webapi, for DPoP.
import OAuth from 'oauth-1.0a';
import hmacSHA1 from 'crypto-js/hmac-sha1.js';
import Base64 from 'crypto-js/enc-base64.js';
import { httpbis } from 'http-message-signatures';
import * as oauth4webapi from 'oauth4webapi';

export { OAuth, hmacSHA1, Base64, httpbis, oauth4webapi };
