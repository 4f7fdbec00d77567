import { performance } from 'node:perf_hooks';
import { ConcurrencyLimiter } from '../../src/scheduler/limiter.js';
import { INCIDENTS_PATH, SUMMARY_PATH } from '../../src/sources/statuspage.js';
import { type Figure, figure, median } from '../support/figure.js';
import { type PageCounts, startPagesServer } from '../support/pages.js';
import { pollPipeline } from '../support/pipeline.js';
import { type Scenario, type ScenarioContext, scaled } from '../support/scenario.js';
import { openStore, type StoreKind } from '../support/stores.js';

const CONCURRENCY = 16; // POLL_CONCURRENCY's default
const ROUNDS = 3;

/**
 * Services polled per second through the whole pipeline, beside the same requests made with
 * plain fetch + JSON.parse at the same concurrency and nothing else, in the same run and against
 * the same server, rounds alternating so that load on the machine hits both alike.
 */
export const pollScenario: Scenario = {
  name: 'poll',
  about: 'poll throughput of 2,000 Statuspage services vs plain fetch + JSON.parse; the 304 path',
  async run(ctx) {
    const services = scaled(ctx, 2_000, 20);
    const pages = await startPagesServer();
    const figures: Figure[] = [];
    try {
      const urlOf = (i: number) => pages.urlOf(`svc${i}`);
      const baselineRound = () => baseline(services, urlOf);
      await pages.setEtag(false);
      await baselineRound(); // warm up connections and the JIT
      const baselines: number[] = [];
      for (const kind of ['redis', 'embedded'] as StoreKind[]) {
        const { fresh, notModified, base, cpuRatio } = await measureStore(
          ctx,
          kind,
          services,
          urlOf,
          {
            baselineRound,
            setEtag: (on) => pages.setEtag(on),
          },
        );
        baselines.push(...base);
        const b = median(base);
        figures.push(
          figure(`poll pipeline (${kind} store), services/s`, fresh, '/s', { atLeast: 2_000 }),
          figure(`poll pipeline / baseline (${kind})`, fresh / b, 'ratio', { atLeast: 0.8 }),
          figure(`poll 304 path (${kind} store), services/s`, notModified, '/s'),
          figure(`poll 304 path / baseline (${kind})`, notModified / b, 'ratio', { atLeast: 1 }),
          figure(`poll CPU (this process) / baseline's, 200 (${kind})`, cpuRatio.fresh, 'ratio'),
          figure(
            `poll CPU (this process) / baseline's, 304 (${kind})`,
            cpuRatio.notModified,
            'ratio',
          ),
        );
      }
      figures.unshift(
        figure(
          `poll baseline: fetch + JSON.parse, ${services} services, services/s`,
          median(baselines),
          '/s',
        ),
      );
    } finally {
      await pages.close();
    }
    return figures;
  },
};

interface Rounds {
  baselineRound: () => Promise<number>;
  setEtag: (on: boolean) => Promise<PageCounts>;
}

async function measureStore(
  ctx: ScenarioContext,
  kind: StoreKind,
  services: number,
  urlOf: (i: number) => string,
  { baselineRound, setEtag }: Rounds,
): Promise<{
  fresh: number;
  notModified: number;
  base: number[];
  /** CPU time of the pipeline's rounds over the baseline's (as many of each). */
  cpuRatio: { fresh: number; notModified: number };
}> {
  const opened = await openStore(kind);
  const pipeline = pollPipeline({ store: opened.store, urlOf, services, concurrency: CONCURRENCY });
  const rate = (ms: number) => (services / ms) * 1000;
  // CPU time of this process (the page server's thread included, alike for both): a loaded
  // machine stretches the wall clock far more than the work a round does.
  const cpu = { base: 0, fresh: 0, notModified: 0 };
  const timed = async <T>(part: keyof typeof cpu, round: Promise<T>): Promise<T> => {
    const before = process.cpuUsage();
    const out = await round;
    const used = process.cpuUsage(before);
    cpu[part] += used.user + used.system;
    return out;
  };
  try {
    await setEtag(false);
    await expectAll(pipeline.round(), 'ok', services); // first sight: the baseline of each
    const fresh: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      base.push(rate(await timed('base', baselineRound())));
      fresh.push(rate(await expectAll(timed('fresh', pipeline.round()), 'ok', services)));
    }
    await setEtag(true);
    await expectAll(pipeline.round(), 'ok', services); // picks up the ETags
    const before = await setEtag(true);
    const notModified: number[] = [];
    // The source reconciles its cached parse after a 304, so the outcome is still 'ok'.
    for (let i = 0; i < ROUNDS; i++) {
      notModified.push(
        rate(await expectAll(timed('notModified', pipeline.round()), 'ok', services)),
      );
    }
    const after = await setEtag(false);
    const answered304 = after.notModified - before.notModified;
    if (answered304 !== 2 * services * ROUNDS) {
      throw new Error(
        `poll 304 rounds: ${answered304} answers were 304, not ${2 * services * ROUNDS}`,
      );
    }
    ctx.log(
      `poll ${kind}: pipeline ${fresh.map(Math.round).join(', ')}/s; 304 ${notModified.map(Math.round).join(', ')}/s; baseline ${base.map(Math.round).join(', ')}/s`,
    );
    return {
      fresh: median(fresh),
      notModified: median(notModified),
      base,
      cpuRatio: { fresh: cpu.fresh / cpu.base, notModified: cpu.notModified / cpu.base },
    };
  } finally {
    await pipeline.stop();
    await opened.dispose();
  }
}

/** The round's time, once every poll had `outcome`: a figure of failed polls would be a lie. */
async function expectAll(
  pending: ReturnType<ReturnType<typeof pollPipeline>['round']>,
  outcome: string,
  services: number,
): Promise<number> {
  const { ms, outcomes } = await pending;
  if (outcomes.get(outcome as never) !== services) {
    throw new Error(
      `poll round: expected ${services} ${outcome}, got ${JSON.stringify([...outcomes])}`,
    );
  }
  return ms;
}

/** The same two requests per service as the Statuspage source, and nothing but JSON.parse. */
async function baseline(services: number, urlOf: (i: number) => string): Promise<number> {
  const limiter = new ConcurrencyLimiter(CONCURRENCY);
  const get = async (url: string) => {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    return JSON.parse(await res.text()) as unknown;
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: services }, (_, i) =>
      limiter.run(() =>
        Promise.all([get(`${urlOf(i)}${SUMMARY_PATH}`), get(`${urlOf(i)}${INCIDENTS_PATH}`)]),
      ),
    ),
  );
  return performance.now() - started;
}
