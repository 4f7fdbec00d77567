import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createConsoleAdapter } from '../../../adapters/console/console-adapter.js';
import { CONSOLE_CHANNEL } from '../../../src/console-feed.js';
import { DeliveryWorker } from '../../../src/delivery/worker.js';
import type { Delivery } from '../../../src/incidents/subscription.js';
import type { Store } from '../../../src/store/store.js';
import { deliveryFor, incidentThreadEvents } from '../../helpers/events.js';
import { storePerTest } from '../../helpers/stores.js';
import { subscription } from '../../helpers/subscriptions.js';

/**
 * The console feed when the bot is killed after printing a message and before recording it
 * (under load, the kill lands there: `stress-ng --cpu 2` made the end-to-end SIGKILL test print an
 * update twice). A terminal cannot be read back, so the restarted bot prints the message again,
 * after a line that says so; it never leaves the message out.
 */

const LEASE_MS = 1_000;
const UPDATE = '  ↳ [github:inc1] Update (Identified): A bad deploy was found; rolling back.\n';
const NOTICE =
  '  ↻ [github:inc1] printed again after a restart (the bot stopped before it could record it): it may be above already\n';

/** `store`, except that recording `dies`' delivery never returns: the process is gone. */
function diesBeforeRecording(store: Store, dies: Delivery): Store {
  return new Proxy(store, {
    get: (target, key) => {
      if (key === 'completeDelivery') {
        return (delivery: Delivery, owner: string) =>
          delivery.id === dies.id
            ? new Promise<void>(() => {})
            : target.completeDelivery(delivery, owner);
      }
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const consoleWorker = (store: Store, owner: string, out: string[]) =>
  new DeliveryWorker({
    store,
    adapters: new Map([['console', createConsoleAdapter((text) => void out.push(text))]]),
    logger: pino({ level: 'silent' }),
    now: () => new Date(),
    owner,
    leaseMs: LEASE_MS,
  });

describe.each(['embedded', 'redis'] as const)(
  'console feed across a kill mid-print (%s store)',
  (kind) => {
    const { t } = storePerTest(kind);

    it('prints the message again after the restart, once, after a line saying it may be a repeat', async () => {
      const [started, update] = incidentThreadEvents(
        'inc1',
        'Actions down',
        [
          {
            id: 'u2',
            body: 'A bad deploy was found; rolling back.',
            at: '2024-06-10T14:10:00.000Z',
          },
        ],
        { id: 'u3', body: 'Fixed.', at: '2024-06-10T15:00:00.000Z' },
      );
      if (!started || !update) throw new Error('no thread');
      const deliveries = [
        deliveryFor(started, CONSOLE_CHANNEL),
        deliveryFor(update, CONSOLE_CHANNEL),
      ];
      await t.store.putSubscription(subscription({ channel: { ...CONSOLE_CHANNEL } }));
      await t.store.enqueue(deliveries);

      const killed: string[] = [];
      void consoleWorker(
        diesBeforeRecording(t.store, deliveries[1] as Delivery),
        'killed',
        killed,
      ).drain();
      await vi.waitFor(() => expect(killed.join('')).toContain(UPDATE), { timeout: 15_000 });

      // The restarted bot takes the thread over once the dead one's outbox lease runs out.
      const restarted: string[] = [];
      const worker = consoleWorker(t.open(), 'restarted', restarted);
      await vi.waitFor(async () => expect(await worker.drain()).toBe(1), {
        timeout: 30_000,
        interval: 100,
      });

      expect(killed.join('')).toMatch(
        /^┏ \[github:inc1\] 🟠 Incident started: GitHub — Actions down\n/,
      );
      expect(killed.join('')).not.toContain('↻');
      expect(killed.join('').endsWith(`┗\n${UPDATE}`)).toBe(true);
      expect(restarted.join('')).toBe(`${NOTICE}${UPDATE}`);
      expect(await worker.drain()).toBe(0);
      expect(await t.store.pendingDeliveries()).toBe(0);
    });
  },
);
