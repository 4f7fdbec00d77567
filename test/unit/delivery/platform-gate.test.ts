import { describe, expect, it } from 'vitest';
import { PLATFORM_BACKOFF, PlatformGates } from '../../../src/delivery/platform-gate.js';

const T = 1_000_000;

describe('PlatformGates', () => {
  it('admits every send of a healthy platform, however many are in flight', () => {
    // Slots are per platform loop (worker.ts); the gate only holds back a failing platform.
    const gates = new PlatformGates({ random: () => 1 });
    for (let i = 0; i < 64; i++) gates.started('discord');
    expect(gates.admit('discord', T)).toEqual({ send: true });
    expect(gates.admit('slack', T)).toEqual({ send: true });
  });

  it('pauses an unreachable platform with capped backoff, then admits one probe at a time', () => {
    const gates = new PlatformGates({ random: () => 1 });
    const probe = gates.started('slack');
    expect(probe).toBe(false);
    gates.finished('slack', probe, 'unreachable', T);
    expect(gates.isFailing('slack')).toBe(true);
    expect(gates.admit('slack', T)).toMatchObject({ send: false, untilMs: T + 1_000 });
    expect(gates.started('slack')).toBe(true);
    // While the probe is out, nothing else of that platform goes.
    expect(gates.admit('slack', T + 1_000)).toMatchObject({ send: false });
    gates.finished('slack', true, 'unreachable', T + 1_000);
    expect(gates.admit('slack', T + 2_000)).toMatchObject({ send: false, untilMs: T + 3_000 });
    // Many failures: the pause stops growing at the cap.
    for (let i = 0; i < 20; i++) gates.finished('slack', false, 'unreachable', T);
    const capped = gates.admit('slack', T);
    expect(capped.send ? 0 : capped.untilMs - T).toBeLessThanOrEqual(PLATFORM_BACKOFF.maxMs);
    // A send that comes through ends it.
    gates.started('slack');
    gates.finished('slack', true, 'reachable', T + 60_000);
    expect(gates.isFailing('slack')).toBe(false);
    expect(gates.admit('slack', T + 60_000)).toEqual({ send: true });
  });

  it('changes nothing for a send that made no request (a store error before it)', () => {
    const gates = new PlatformGates({ random: () => 1 });
    gates.started('slack');
    gates.finished('slack', false, 'untested', T);
    expect(gates.isFailing('slack')).toBe(false);
  });
});
