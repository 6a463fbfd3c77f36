// Types for sw.mjs: the page's side of service-worker mode (authlib-sw.mjs).

import type { OAuthClientOptions, AuthErrorCode } from './authlib.js';

/** What the worker adds to the allowed requests: OAuth settings (data only), Basic's pair, Digest or a Bearer token. */
export type WorkerAuth =
  | (Omit<OAuthClientOptions, 'store' | 'dpop'> & { type: 'oauth2'; dpop?: boolean | { alg: 'ES256' | 'EdDSA' } })
  | [string, string]
  | { type: 'basic' | 'digest'; username: string; password: string }
  | { type: 'bearer'; token: string };

/** The worker's state, as the page may know it: never a token or a secret. */
export interface WorkerStatus {
  configured: boolean;
  loggedIn: boolean;
  scheme: string | null;
  allow: string[];
  /** How many pages (tabs) the worker controls: a page loaded past it (Shift+Reload) is not among them. */
  controls: number;
  /** When this run of the worker started (ms since the epoch): a stop by the browser or an update makes another. */
  started: number;
  expiresAt?: number;
  loginPending?: boolean;
  lastError?: { code: AuthErrorCode | string; message: string };
}

export interface AuthWorker {
  registration: ServiceWorkerRegistration;
  status(): Promise<WorkerStatus>;
  /** Starts an OAuth login: go to url; the worker exchanges the code when the server sends the browser back. */
  login(options?: { returnTo?: string; params?: Record<string, string> }): Promise<{ url: string }>;
  /** Exchanges the code of a callback URL the worker did not see (a reload that bypassed it). */
  callback(callbackURL: string | URL): Promise<WorkerStatus>;
  /** An OAuth token is revoked and forgotten; other credentials are forgotten. */
  logout(): Promise<WorkerStatus>;
  unregister(): Promise<boolean>;
}

/**
 * Installs authlib-sw.mjs (served from the page's origin; its directory is its scope) for allow, the URLs it may add
 * credentials to (origins, or an origin and a path ending in '/'), with auth; resolves once the worker controls the page.
 */
export function register(scriptURL: string | URL, options: { allow: string[]; auth?: WorkerAuth; scope?: string }): Promise<AuthWorker>;
