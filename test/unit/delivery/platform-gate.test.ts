import { describe, expect, it } from 'vitest';
import {
  OVER_SHARE_DELAY_MS,
  PLATFORM_BACKOFF,
  PlatformGates,
} from '../../../src/delivery/platform-gate.js';

const T = 1_000_000;

describe('PlatformGates', () => {
  it('lets each platform hold its share of the slots, the others keeping theirs', () => {
    const gates = new PlatformGates({ share: 2, random: () => 1 });
    gates.started('discord', T);
    gates.started('discord', T);
    expect(gates.admit('discord', T)).toMatchObject({ send: false, busy: true });
    expect(gates.admit('slack', T)).toEqual({ send: true });
  });

  it('asks a platform that finishes nothing again later and later, up to the backoff cap', () => {
    const gates = new PlatformGates({ share: 1, random: () => 1 });
    gates.started('discord', T);
    const wait = (at: number) => {
      const admission = gates.admit('discord', at);
      return admission.send ? 0 : admission.untilMs - at;
    };
    expect(wait(T)).toBe(OVER_SHARE_DELAY_MS);
    expect(wait(T + 10_000)).toBe(10_000);
    expect(wait(T + 300_000)).toBe(PLATFORM_BACKOFF.maxMs);
    gates.finished('discord', false, 'reachable', T + 300_000);
    expect(gates.admit('discord', T + 300_000)).toEqual({ send: true });
  });

  it('pauses an unreachable platform with capped backoff, then admits one probe at a time', () => {
    const gates = new PlatformGates({ share: 8, random: () => 1 });
    const probe = gates.started('slack', T);
    expect(probe).toBe(false);
    gates.finished('slack', probe, 'unreachable', T);
    expect(gates.isFailing('slack')).toBe(true);
    expect(gates.admit('slack', T)).toMatchObject({ send: false, untilMs: T + 1_000 });
    expect(gates.started('slack', T + 1_000)).toBe(true);
    // While the probe is out, nothing else of that platform goes.
    expect(gates.admit('slack', T + 1_000)).toMatchObject({ send: false });
    gates.finished('slack', true, 'unreachable', T + 1_000);
    expect(gates.admit('slack', T + 2_000)).toMatchObject({ send: false, untilMs: T + 3_000 });
    // Many failures: the pause stops growing at the cap.
    for (let i = 0; i < 20; i++) gates.finished('slack', false, 'unreachable', T);
    const capped = gates.admit('slack', T);
    expect(capped.send ? 0 : capped.untilMs - T).toBeLessThanOrEqual(PLATFORM_BACKOFF.maxMs);
    // A send that comes through ends it.
    gates.started('slack', T + 60_000);
    gates.finished('slack', true, 'reachable', T + 60_000);
    expect(gates.isFailing('slack')).toBe(false);
    expect(gates.admit('slack', T + 60_000)).toEqual({ send: true });
  });

  it('changes nothing for a send that made no request (a store error before it)', () => {
    const gates = new PlatformGates({ share: 8, random: () => 1 });
    gates.started('slack', T);
    gates.finished('slack', false, 'untested', T);
    expect(gates.isFailing('slack')).toBe(false);
  });
});
