import type { Logger } from 'pino';
import type { PollResult, Service, SourceConfig } from '../incidents/model.js';

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  timeoutMs: 10_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 3,
};

/** Collaborators a source gets from the composition root; never reached through globals. */
export interface SourceDeps {
  fetch: typeof globalThis.fetch;
  now: () => Date;
  logger: Logger;
  limits: FetchLimits;
  userAgent: string;
}

/** One status feed of one service. poll() never throws: every failure is a typed PollResult. */
export interface Source {
  readonly service: Service;
  readonly config: SourceConfig;
  poll(signal?: AbortSignal): Promise<PollResult>;
}

/** One entry of the source registry table (src/sources/registry.ts). */
export interface SourceKind {
  kind: string;
  create(service: Service, config: SourceConfig, deps: SourceDeps): Source;
}
