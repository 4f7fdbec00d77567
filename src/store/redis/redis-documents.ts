import type { Cluster, Redis } from 'ioredis';
import type { Versioned } from '../store.js';
import { getJson, storeKey } from './redis-keys.js';
import * as lua from './scripts.js';

interface DocumentScripts {
  versionedPut(...args: (string | number)[]): Promise<number>;
}

/**
 * The Redis store's generic documents. Keys under the prefix:
 * - `doc:<key>`    JSON value, with PX expiry where it has one
 * - `vdoc:<key>`   hash v (version), body (JSON): compare-and-set documents
 */
export class RedisDocuments {
  private readonly scripts: DocumentScripts;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
  ) {
    redis.defineCommand('versionedPut', { numberOfKeys: 1, lua: lua.PUT_VERSIONED });
    this.scripts = redis as unknown as DocumentScripts;
  }

  async get<T>(key: string): Promise<T | undefined> {
    return getJson<T>(this.redis, storeKey(this.prefix, 'doc', key));
  }

  async put<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    const json = JSON.stringify(value);
    const docKey = storeKey(this.prefix, 'doc', key);
    if (ttlMs === undefined) await this.redis.set(docKey, json);
    else await this.redis.set(docKey, json, 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async getVersioned<T>(key: string): Promise<Versioned<T>> {
    const [version, body] = await this.redis.hmget(storeKey(this.prefix, 'vdoc', key), 'v', 'body');
    if (!version || body === null || body === undefined) return { value: undefined, version: 0 };
    return { value: JSON.parse(body) as T, version: Number(version) };
  }

  async putVersioned<T>(
    key: string,
    value: T,
    expectedVersion: number,
    ttlMs?: number,
  ): Promise<boolean> {
    const ttl = ttlMs === undefined ? '' : Math.max(1, Math.ceil(ttlMs));
    const written = await this.scripts.versionedPut(
      storeKey(this.prefix, 'vdoc', key),
      expectedVersion,
      JSON.stringify(value),
      ttl,
    );
    return Number(written) === 1;
  }
}
