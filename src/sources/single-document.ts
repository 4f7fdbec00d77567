import type { PollResult, Service, Snapshot, SourceConfig } from '../incidents/model.js';
import { ConditionalGet, unexpectedFailure } from './conditional-get.js';
import type { ParseResult } from './json-body.js';
import type { BodyDecoder } from './safe-fetch.js';
import type { Source, SourceDeps, SourceKind } from './source.js';

/** What a snapshot builder knows besides the parsed document. */
export interface BuildContext {
  service: Service;
  config: SourceConfig;
  /** The URL actually requested. */
  url: string;
  fetchedAt: string;
}

/** A source kind whose every poll reads one document (a feed, a JSON list). */
export interface SingleDocumentSpec<T> {
  kind: string;
  accept: string;
  /** The document to read, from the configured URL; throws for a config that cannot work. */
  documentUrl(config: SourceConfig): string;
  parse(body: string): ParseResult<T>;
  build(document: T, ctx: BuildContext): Snapshot;
  decode?: BodyDecoder;
}

/**
 * The fetch discipline of every single-document kind in one place: conditional GET, typed
 * failures, and a poll() that never throws, whatever the body or the builder does.
 */
export class SingleDocumentSource<T> implements Source {
  private readonly http: ConditionalGet;
  private readonly url: string;

  constructor(
    readonly service: Service,
    readonly config: SourceConfig,
    private readonly deps: SourceDeps,
    private readonly spec: SingleDocumentSpec<T>,
  ) {
    this.url = spec.documentUrl(config);
    this.http = new ConditionalGet(service, deps);
  }

  async poll(signal?: AbortSignal): Promise<PollResult> {
    try {
      const fetched = await this.http.get(this.url, (body) => this.spec.parse(body), {
        accept: this.spec.accept,
        signal,
        ...(this.spec.decode ? { decode: this.spec.decode } : {}),
      });
      if (!fetched.ok) return fetched;
      const fetchedAt = this.deps.now().toISOString();
      const ctx: BuildContext = {
        service: this.service,
        config: this.config,
        url: this.url,
        fetchedAt,
      };
      return { ok: true, snapshot: this.spec.build(fetched.value, ctx) };
    } catch (err) {
      return unexpectedFailure(err);
    }
  }
}

export const singleDocumentKind = <T>(spec: SingleDocumentSpec<T>): SourceKind => ({
  kind: spec.kind,
  create: (service, config, deps) => new SingleDocumentSource(service, config, deps, spec),
});
