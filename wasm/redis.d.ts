import type { OAuthStore } from './authlib.js';

/**
 * The store of one OAuth login under key in Redis, through a connected node-redis client: the processes and
 * machines of a fleet (and Go's authlib/oauth2/redisstore, under the same lock) share one token and one refresh.
 */
export function redisStore(
  client: { get(key: string): Promise<string | null>; set(...args: any[]): Promise<unknown>; eval(...args: any[]): Promise<unknown> },
  key: string,
  options?: { lease?: number; timeout?: number },
): OAuthStore;
