import { describe, expect, it } from 'vitest';
import { DEFAULT_RECONCILE_POLICY } from '../../../src/incidents/reconcile.js';
import {
  CLOSED_SUBJECT_DETAIL_MS,
  DELIVERED_RETENTION_MS,
  REOPEN_WINDOW_MS,
  THREAD_REF_TTL_MS,
} from '../../../src/lifetimes.js';

describe('lifetimes (src/lifetimes.ts)', () => {
  it('a thread ref never outlives the record that makes a return a reopen', () => {
    expect(THREAD_REF_TTL_MS).toBeLessThanOrEqual(REOPEN_WINDOW_MS);
    expect(CLOSED_SUBJECT_DETAIL_MS).toBeLessThanOrEqual(REOPEN_WINDOW_MS);
  });

  it('a delivered id is forgotten long before its subject, so a return as new is not swallowed', () => {
    // A start may be delivered a while after it was enqueued; a day of slack is ample.
    expect(DELIVERED_RETENTION_MS + 24 * 60 * 60_000).toBeLessThanOrEqual(REOPEN_WINDOW_MS);
  });

  it('is what the reconciler uses by default', () => {
    expect(DEFAULT_RECONCILE_POLICY.closedRetentionMs).toBe(CLOSED_SUBJECT_DETAIL_MS);
    expect(DEFAULT_RECONCILE_POLICY.reopenWindowMs).toBe(REOPEN_WINDOW_MS);
  });
});
