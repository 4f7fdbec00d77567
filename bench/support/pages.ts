import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/** The fixture pages server of pages-worker.ts, running on a thread of its own. */
export interface PagesServer {
  /** `http://127.0.0.1:<port>/<page>`: a Statuspage base URL. */
  urlOf(page: string): string;
  /** Validators on (304 for a matching If-None-Match) or off; resolves with the counts so far. */
  setEtag(on: boolean): Promise<PageCounts>;
  close(): Promise<void>;
}

export interface PageCounts {
  requests: number;
  notModified: number;
}

export async function startPagesServer(): Promise<PagesServer> {
  const worker = new Worker(new URL('./pages-worker.js', import.meta.url));
  const [{ port }] = (await once(worker, 'message')) as [{ port: number }];
  return {
    urlOf: (page) => `http://127.0.0.1:${port}/${page}`,
    async setEtag(on) {
      worker.postMessage({ etag: on });
      const [counts] = (await once(worker, 'message')) as [PageCounts];
      return counts;
    },
    async close() {
      worker.postMessage({ close: true });
      await once(worker, 'exit');
    },
  };
}
