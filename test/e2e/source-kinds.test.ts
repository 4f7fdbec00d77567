import { describe, expect, it } from 'vitest';
import { SOURCE_KINDS } from '../../src/sources/registry.js';
import { countMatches } from '../helpers/bot-process.js';
import { e2eScope } from '../helpers/e2e-env.js';
import { allKindWalks, type KindWalk } from './kind-walks.js';

/**
 * The real bot process, console adapter, one service per source kind (all watched, one process):
 * each kind's written fixtures walked through open, update and resolved, and through the
 * maintenance states where the kind carries them. Every line appears once, and stays once.
 */

const scope = e2eScope();

/** The console lines of one service's threads. */
const linesOf = (stdout: string, serviceId: string): string =>
  stdout
    .split('\n')
    .filter((line) => line.includes(`[${serviceId}:`))
    .join('\n');

describe.each(['embedded', 'redis'] as const)(
  'every source kind end to end (%s store)',
  (store) => {
    it('walks each kind through its states, each console line once', async () => {
      const walks = await allKindWalks();
      for (const walk of walks) scope.track(walk.server);
      const covered = walks.map((w) => w.kind);
      expect([...covered, 'statuspage', 'probe'].sort()).toEqual(Object.keys(SOURCE_KINDS).sort());

      for (const walk of walks) walk.baseline();
      const env = await scope.botEnv({ store, services: walks.map((w) => w.service), watch: true });
      const bot = scope.startBot(env);
      await bot.waitForLog('outage-bot started');

      const pollsOf = (walk: KindWalk) => walk.server.count(walk.pollPath);
      const waitPolls = (walk: KindWalk, more: number) => {
        const target = pollsOf(walk) + more;
        return bot.waitFor(() => pollsOf(walk) >= target, `${more} polls of ${walk.kind}`, 30_000);
      };

      // Two polls each: the first one's baseline is recorded before anything happens.
      await Promise.all(walks.map((walk) => waitPolls(walk, 2)));
      expect(bot.stdout).toBe('');

      await Promise.all(
        walks.map(async (walk) => {
          for (const step of walk.steps) {
            step.serve();
            await bot.waitFor(
              () => countMatches(linesOf(bot.stdout, walk.service.id), step.line) > 0,
              `${walk.kind}: the ${step.state} line`,
              30_000,
            );
          }
          // A few more polls on the last state: nothing may be repeated.
          await waitPolls(walk, 3);
        }),
      );

      for (const walk of walks) {
        const lines = linesOf(bot.stdout, walk.service.id);
        for (const step of walk.steps) {
          expect(countMatches(lines, step.line), `${walk.kind}: ${step.state}\n${lines}`).toBe(1);
        }
        // Each thread that ended got its start message's edit, once; no line came twice.
        const ended = walk.steps.filter((s) => /resolved|completed/.test(s.state)).length;
        expect(
          countMatches(lines, /^ {2}✎ \S+ start message now reads: (Resolved|Completed)/),
        ).toBe(ended);
        const all = lines.split('\n');
        expect(new Set(all).size, `${walk.kind}\n${lines}`).toBe(all.length);
      }
    }, 150_000);
  },
);
