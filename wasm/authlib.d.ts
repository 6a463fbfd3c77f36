// Types for authlib.mjs.

export type AuthErrorCode =
  | 'invalid_credentials'
  | 'invalid_url'
  | 'invalid_request'
  | 'insecure_transport'
  | 'challenge'
  | 'redirect_blocked'
  | 'too_many_redirects'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'retries_exhausted'
  | 'unsupported'
  | 'oauth'
  | 'signature_mismatch'
  | 'login_required'
  | 'store'
  | 'internal';

/** The one error type of authlib. Its message never contains a secret. */
export class AuthError extends Error {
  constructor(message: string, code: AuthErrorCode, options?: { cause?: unknown });
  readonly name: 'AuthError';
  readonly code: AuthErrorCode;
  /** For code 'oauth': the server's error code (RFC 6749 §5.2, RFC 8628 §3.5), or invalid_token_response, invalid_metadata, invalid_callback. */
  readonly error?: string;
  /** For code 'oauth': the server's error_description, secrets taken out. */
  readonly errorDescription?: string;
  /** For code 'signature_mismatch' (aws4.check): the canonical request authlib signed, the session token masked. */
  readonly canonicalRequest?: string;
  /** For code 'signature_mismatch': the string to sign authlib signed. */
  readonly stringToSign?: string;
  /** For code 'signature_mismatch': the server's message (API Gateway and S3 show what they computed), the session token masked. */
  readonly server?: string;
}

/** A token, with requests-oauthlib's field names. */
export interface OAuthToken {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  expires_in?: number;
  /** Seconds since the epoch. */
  expires_at?: number;
  scope?: string;
  id_token?: string;
  /** A DPoP token's key: its RFC 7638 thumbprint. */
  dpop_jkt?: string;
  /** In a store: the client and the server (token endpoint, or issuer) the token belongs to. */
  client_id?: string;
  server?: string;
}

/** DPoP (RFC 9449): true makes a new ES256 key pair (private key not extractable); or give one to keep. */
export type DPoPOption = true | CryptoKeyPair | { keyPair?: CryptoKeyPair; alg?: 'ES256' | 'EdDSA' };

/** Where the authorization server is, and who the client is. */
export interface OAuthClientOptions {
  /** Discovers the endpoints (RFC 8414, then OpenID Connect). */
  issuer?: string;
  tokenURL?: string;
  deviceURL?: string;
  authorizationURL?: string;
  /** The revocation endpoint (RFC 7009); by default the issuer's revocation_endpoint. */
  revocationURL?: string;
  /** The registration endpoint (RFC 7591); by default the issuer's. */
  registrationURL?: string;
  /** The pushed authorization request endpoint (RFC 9126); by default the issuer's. */
  parURL?: string;
  clientId: string;
  /** Omit for a public client. */
  clientSecret?: string;
  /** Default: 'basic' with a secret, 'none' without. The JWT methods are RFC 7523's. */
  clientAuth?: 'basic' | 'post' | 'none' | 'private_key_jwt' | 'client_secret_jwt';
  /** private_key_jwt: the key that signs the assertions (a CryptoKey, a private JWK or a PKCS #8 PEM). */
  clientKey?: CryptoKey | JsonWebKey | string;
  /** private_key_jwt: needed for an RSA PEM key. */
  clientKeyAlg?: 'RS256' | 'PS256' | 'ES256' | 'EdDSA';
  /** private_key_jwt: the kid of the key in the client's registered JWK set. */
  clientKeyId?: string;
  /** Binds the tokens to a key (RFC 9449): sent as Authorization: DPoP with a proof, never as Bearer. */
  dpop?: DPoPOption;
  /** The resources the tokens are for (RFC 8707). */
  resource?: string | string[];
  scope?: string | string[];
  redirectURI?: string;
  /**
   * Where the token is kept, shared by every tab, process and run that names the same store: read before each token
   * request, written after it, under a lock, so that one of them renews and the others use what it saved. The flows
   * (exchange, device) save the token they get in it.
   */
  store?: OAuthStore;
}

/**
 * A file (Node; mode 0600), IndexedDB (browsers and Workers; with a Web Lock), or an object of yours. save should
 * fail when the store no longer holds previous; lock, when given, resolves to the function that releases it (without
 * it, the lock is this page's or process's only). A key authlib does not know, here or in any option object of its
 * own, is an AuthError invalid_request naming it.
 */
export type OAuthStore =
  | { file: string }
  | { indexedDB: string }
  | {
      load(): OAuthToken | string | null | Promise<OAuthToken | string | null>;
      save(token: OAuthToken | null, previous: OAuthToken | null): void | Promise<void>;
      lock?(): Promise<() => void>;
      /** Milliseconds each call of load, save and lock may take (default 65000): one that never settles is an AuthError. */
      timeout?: number;
    };

export interface OAuthAuth extends Omit<OAuthClientOptions, 'clientId'> {
  type: 'oauth2';
  /** Required, unless the client logs in from a resource's 401 (resource and onAuthorize), registering itself (RFC 7591). */
  clientId?: string;
  /**
   * Given with resource (one URL) and no issuer, the client logs in on the resource's first 401, as MCP clients do: its
   * metadata (RFC 9728), the server's, registration, PKCE for that resource. Take the user to url; resolve to the callback URL.
   */
  onAuthorize?: (url: string) => string | Promise<string>;
  /** Push the authorization request (RFC 9126) when logging in from a 401. */
  par?: boolean;
  /** A token saved earlier; its refresh token renews it. */
  token?: OAuthToken | null;
  /** Every new token, rotations included, once. */
  onToken?: (token: OAuthToken) => void;
}

/** Every flow of authlib.oauth2 also takes a signal that cancels it. */
export interface OAuthFlowOptions {
  signal?: AbortSignal;
}

export interface OAuth2 {
  discover(issuer: string, options?: OAuthFlowOptions): Promise<Record<string, unknown>>;
  /** Navigate to url; keep state and codeVerifier (sessionStorage) for exchange. */
  authorize(options: OAuthClientOptions & OAuthFlowOptions & { params?: Record<string, string>; par?: boolean }): Promise<{ url: string; state: string; codeVerifier: string; dpopKey?: CryptoKeyPair }>;
  /** callback is the URL the server sent the browser back to. */
  exchange(options: OAuthClientOptions & OAuthFlowOptions & { callback: string; state: string; codeVerifier: string }): Promise<OAuthToken>;
  /** Revokes token (RFC 7009); resolves when the server says it is of no use now. */
  revoke(options: OAuthClientOptions & OAuthFlowOptions & { token: string; tokenTypeHint?: 'access_token' | 'refresh_token' }): Promise<void>;
  /** Registers a client (RFC 7591); resolves to the server's answer (client_id, client_secret, …). */
  register(options: Partial<OAuthClientOptions> & OAuthFlowOptions & { metadata: Record<string, unknown>; initialAccessToken?: string }): Promise<Record<string, unknown>>;
  /** A protected resource's metadata (RFC 9728), which must be for url itself. */
  discoverResource(url: string, options?: OAuthFlowOptions): Promise<Record<string, unknown>>;
  /** A new DPoP key pair, its private key not extractable. */
  dpopKey(options?: { alg?: 'ES256' | 'EdDSA' }): Promise<CryptoKeyPair>;
  device(options: OAuthClientOptions & OAuthFlowOptions & {
    onCode?: (code: { user_code: string; verification_uri: string; verification_uri_complete?: string; expires_in: number }) => void;
  }): Promise<OAuthToken>;
}

/** What an auth function receives; it may change `headers`. */
export interface AuthRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
}

export type Auth =
  | [username: string, password: string]
  | { type?: 'basic'; username: string; password: string }
  | { type: 'digest'; username: string; password: string }
  /** Proxy-Authorization Basic: native Go only; in Node use the proxy option, browsers forbid it. */
  | { type: 'proxy'; username: string; password: string }
  | { type: 'bearer'; token: string }
  | { type: 'header'; name: string; value: string }
  | AWS4Auth
  | OAuth1Auth
  | HTTPSigAuth
  | OAuthAuth
  | ((request: AuthRequest) => void | Promise<void>);

/** Temporary AWS credentials, as a credentials function gives them. */
export interface AWSCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When they expire: a Date, ms since the epoch, or an ISO string (as STS gives it). */
  expiration?: Date | number | string;
}

/** The region and service of an AWS host, and the signing options. */
export interface AWS4Options {
  /** Such as "us-east-1"; by default read from a standard AWS host name. */
  region?: string;
  /** Such as "execute-api", "s3", "es", "lambda"; by default read from the host. */
  service?: string;
  /** Sign UNSIGNED-PAYLOAD (S3) in place of the body's SHA-256. */
  unsignedPayload?: boolean;
}

/** AWS Signature Version 4: keys, or a function for temporary credentials (called once for concurrent calls, and again before they expire). */
export type AWS4Auth = AWS4Options & { type: 'aws4' } & (
  | { accessKeyId: string; secretAccessKey: string; sessionToken?: string; credentials?: undefined }
  | { credentials: () => AWSCredentials | Promise<AWSCredentials> }
);

export interface AWS4 {
  /** A URL signed in its query (S3's presigned URLs): valid for expires seconds (default 900, at most 604800). */
  presign(url: string | URL, options: AWS4Options & { method?: string; expires?: number } & (
    | { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
    | { credentials: () => AWSCredentials | Promise<AWSCredentials> }
  )): Promise<string>;
  /**
   * Explains a 403 to an aws4 request authlib sent: null, or an AuthError
   * (code 'signature_mismatch') with canonicalRequest, stringToSign and the
   * server's message when AWS refused the signature. Reads a clone of the body.
   */
  check(response: Response): Promise<AuthError | null>;
}

/** HTTP Message Signatures (RFC 9421), with Content-Digest (RFC 9530) for a body. */
export interface HTTPSigAuth {
  type: 'httpsig';
  keyId: string;
  /**
   * A WebCrypto private key (non-extractable works: it signs without entering Go), a private JWK, a PKCS #8 PEM,
   * or bytes (a shared secret, hmac-sha256).
   */
  key: CryptoKey | JsonWebKey | string | Uint8Array | ArrayBuffer;
  /** ed25519, ecdsa-p256-sha256, rsa-pss-sha512, rsa-v1_5-sha256 or hmac-sha256; needed for an RSA JWK or PEM. */
  alg?: string;
  /** Covered components; default @method, @target-uri, @authority, and content-digest with a body. One query parameter is `@query-param;name="Pet"` (the name percent-encoded as the signature base holds it). */
  components?: string[];
  label?: string;
  /** Seconds after created that the signature expires. */
  expires?: number;
  /** A random nonce in each signature. */
  nonce?: boolean;
  tag?: string;
  contentDigest?: 'sha-256' | 'sha-512';
}

/** OAuth 1.0a (RFC 5849), as requests-oauthlib's OAuth1. */
export interface OAuth1Auth {
  type: 'oauth1';
  clientKey: string;
  clientSecret?: string;
  /** The token (oauth_token) and its secret. */
  resourceOwnerKey?: string;
  resourceOwnerSecret?: string;
  signatureMethod?: 'HMAC-SHA1' | 'HMAC-SHA256' | 'PLAINTEXT' | 'RSA-SHA1' | 'RSA-SHA256';
  /** The RSA private key of RSA-SHA1 and RSA-SHA256: a WebCrypto key (non-extractable works), a JWK or a PKCS #8 PEM. */
  rsaKey?: CryptoKey | JsonWebKey | string;
  /** Where the parameters go: the Authorization header (default), the query, or a form body. */
  signatureType?: 'header' | 'query' | 'body';
  realm?: string;
  /** Sign a body that is not a form with oauth_body_hash (SHA-1). */
  bodyHash?: boolean;
  callback?: string;
  verifier?: string;
}

/** An OAuth 1.0a endpoint's answer: the token, its secret, and what else it sent (X's user_id, screen_name). */
export interface OAuth1Token {
  oauth_token: string;
  oauth_token_secret: string;
  [field: string]: string;
}

/** OAuth 1.0a's three-legged flow, with requests-oauthlib's names (OAuth1Session) in camelCase. */
export interface OAuth1 {
  requestToken(url: string | URL, options: Omit<OAuth1Auth, 'type'>): Promise<OAuth1Token>;
  authorizationURL(url: string | URL, token: string | OAuth1Token): string;
  parseAuthorizationResponse(url: string | URL): { oauth_token: string; oauth_verifier: string };
  accessToken(url: string | URL, options: Omit<OAuth1Auth, 'type'> & { resourceOwnerKey: string; resourceOwnerSecret: string; verifier: string }): Promise<OAuth1Token>;
}

export interface RetryOptions {
  /** Retries after the first attempt. */
  max?: number;
  /** First wait, ms (default 200). */
  base?: number;
  /** Longest computed wait, ms (default 10000). */
  cap?: number;
  /** Longest Retry-After honoured, ms (default 60000). */
  maxRetryAfter?: number;
  /** Also retry POST and PATCH. */
  nonIdempotent?: boolean;
}

export interface AuthOptions {
  auth?: Auth | null;
  /** Milliseconds for the whole call, redirects, retries and body included. */
  timeout?: number;
  retry?: number | RetryOptions;
  /** Allow credentials over plain http to a host that is not loopback. */
  allowInsecure?: boolean;
  /**
   * Node: Basic credentials from a netrc file when no auth is given, as requests reads it: true for
   * $NETRC or ~/.netrc, or a path. Read at each call; a file others may read is refused. Browsers: unsupported.
   */
  netrc?: boolean | string;
}

/**
 * A forward proxy, in Node: an undici ProxyAgent made with the credentials
 * as its token carries them to the proxy, never to the origin.
 */
export interface ProxyOptions {
  /** The proxy, such as "http://proxy.example:3128", without user:password@. */
  url: string | URL;
  /** Basic (as [user, password] or an object) or Bearer; not Digest. */
  auth?: [username: string, password: string] | { type?: 'basic' | 'proxy'; username: string; password: string } | { type: 'bearer'; token: string } | null;
  /** undici's ProxyAgent class; by default imported from the undici package. */
  ProxyAgent?: new (options: { uri: string; token?: string }) => { close(): Promise<void> };
}

export interface AuthRequestInit extends Omit<RequestInit, 'redirect'>, AuthOptions {
  redirect?: 'follow' | 'manual';
  /** Node: undici's dispatcher, handed to fetch untouched. */
  dispatcher?: unknown;
  /** Node: send through this forward proxy, with its credentials. */
  proxy?: ProxyOptions;
}

export interface ClientOptions extends AuthOptions {
  /** Node: send every call through this forward proxy (one ProxyAgent, reused). */
  proxy?: ProxyOptions;
  /** Resolves relative URLs. */
  baseURL?: string;
  /** Further origins credentials may go to, such as "https://api.example.com". */
  origins?: string[];
}

export interface Client {
  fetch(input: string | URL | Request, init?: AuthRequestInit): Promise<Response>;
  /** An oauth2 client: revokes the refresh token, then the access token (RFC 7009), and forgets both. */
  logout(): Promise<void>;
  /** Releases the client's Go function; fetch is gone afterwards. */
  close(): void;
}

export interface Authlib {
  readonly version: string;
  readonly AuthError: typeof AuthError;
  /** "Basic " + base64(UTF-8 user ":" password); throws AuthError on bad input. */
  basic(username: string, password: string): string;
  /** "Bearer " + token; throws AuthError when token is not an RFC 6750 b64token. */
  bearer(token: string): string;
  /** fetch with auth: resolves to the real Response (401 and 403 included). */
  fetch(input: string | URL | Request, init?: AuthRequestInit): Promise<Response>;
  /** A client that keeps scheme state (a Digest nonce, an OAuth token) across calls. */
  client(options?: ClientOptions): Client;
  readonly oauth2: OAuth2;
  readonly aws4: AWS4;
  readonly oauth1: OAuth1;
}

/**
 * Loads authlib.wasm (by default next to this module) and resolves to the API.
 * `{ build: 'lite' }` loads authlib-lite.wasm beside it: Basic, Digest, Bearer,
 * proxy Basic, header tokens and netrc only, smaller; the other schemes are
 * AuthError `unsupported` there.
 */
export function load(source?: string | URL | ArrayBuffer | ArrayBufferView | Response | { build: 'full' | 'lite' }): Promise<Authlib>;

declare global {
  // eslint-disable-next-line no-var
  var authlib: Authlib | undefined;
}
