import { describe, expect, it } from 'vitest';
import { ChannelPacer } from '../../../adapters/slack/pacer.js';
import { DeliveryError } from '../../../src/delivery/chat-adapter.js';

function pacerWithClock(maxWaitMs = 5_000) {
  let now = 0;
  const waits: number[] = [];
  const pacer = new ChannelPacer({
    intervalMs: 1_000,
    maxWaitMs,
    now: () => now,
    // Records the waits; the clock moves only when the test says so.
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { pacer, waits, advance: (ms: number) => (now += ms) };
}

describe('ChannelPacer', () => {
  it('spaces sends to one channel a second apart and leaves other channels alone', async () => {
    const { pacer, waits } = pacerWithClock();
    await Promise.all([
      pacer.run('C1', async () => 1),
      pacer.run('C1', async () => 2),
      pacer.run('C2', async () => 3),
      pacer.run('C1', async () => 4),
    ]);
    expect(waits).toEqual([1_000, 2_000]);
  });

  it('pushes a channel back after a 429 and refuses to queue past maxWait', async () => {
    const { pacer, waits, advance } = pacerWithClock(3_000);
    pacer.backOff('C1', 2_000);
    await pacer.run('C1', async () => 'ok');
    expect(waits).toEqual([2_000]);
    advance(3_000);
    pacer.backOff('C1', 10_000);
    const err = await pacer.run('C1', async () => 'never').catch((e) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).kind).toBe('rate_limited');
    expect((err as DeliveryError).retryAfterMs).toBe(10_000);
  });
});
