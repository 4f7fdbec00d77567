import { describe, expect, it } from 'vitest';
import { countMatches } from '../helpers/bot-process.js';
import { e2eScope } from '../helpers/e2e-env.js';
import {
  INCIDENT_BODY,
  INCIDENT_TITLE,
  RESOLVED_BODY,
  signalsFlow,
  walkSignals,
} from './signals-flow.js';

const scope = e2eScope();

const KEY = String.raw`\[social:probe:127\.0\.0\.1:\d+\]`;
const PROBE = String.raw`Probe: connection refused for 127\.0\.0\.1 since \d{2}:\d{2} UTC \(2 failed checks in a row\)\.`;

/** Every line of the one thread, in order, as the console prints it. */
const THREAD = [
  new RegExp(`^┏ ${KEY} 🟠 Incident started: Social — 127\\.0\\.0\\.1: connection refused$`),
  /^┃ Impact: major · Status: Investigating · Since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/,
  /^┃ Suspected: outage-bot's probe fails$/,
  /^┃ Components: 127\.0\.0\.1$/,
  new RegExp(`^┃ ${PROBE}$`),
  /^┃ http:\/\/127\.0\.0\.1:\d+\/$/,
  /^┗$/,
  new RegExp(`^  ↳ ${KEY} ⬆ Confirmed by probes: ${PROBE}$`),
  new RegExp(
    `^  ✎ ${KEY} start message now reads: Confirmed by probes — Social: 127\\.0\\.0\\.1: connection refused$`,
  ),
  new RegExp(
    `^  ↳ ${KEY} ⬆ Confirmed by the provider: Official: Investigating: ${INCIDENT_TITLE} ${INCIDENT_BODY}$`,
  ),
  new RegExp(
    `^  ✎ ${KEY} start message now reads: Confirmed by the provider — Social: ${INCIDENT_TITLE}$`,
  ),
  new RegExp(
    `^  ↳ ${KEY} ✅ Resolved after \\d+[ms]( \\d+s)?: Official: Resolved: ${INCIDENT_TITLE} ${RESOLVED_BODY}$`,
  ),
  new RegExp(
    `^  ✎ ${KEY} start message now reads: Resolved \\(lasted \\d+[ms]( \\d+s)?\\) — Social: ${INCIDENT_TITLE}$`,
  ),
];

describe.each(['embedded', 'redis'] as const)(
  'signals merged into one thread on the console (%s store)',
  (store) => {
    it('a probe, a second early signal and the provider later: one thread, the start edited twice, each signal once', async () => {
      const flow = await signalsFlow(scope, { store, watch: true });
      const bot = scope.startBot(flow.env);
      const shown = (pattern: RegExp) => () => countMatches(bot.stdout, pattern) > 0;
      await walkSignals(flow, bot, {
        started: () => bot.waitFor(shown(THREAD[0] as RegExp), 'the start message', 30_000),
        confirmedByProbes: () =>
          bot.waitFor(shown(THREAD[8] as RegExp), 'confirmed by probes', 30_000),
        confirmedByProvider: () =>
          bot.waitFor(shown(THREAD[10] as RegExp), 'confirmed by the provider', 30_000),
        resolved: () => bot.waitFor(shown(THREAD[12] as RegExp), 'the resolution', 30_000),
      });
      const lines = bot.stdout.split('\n').filter((l) => l !== '');
      expect(lines, bot.stdout).toHaveLength(THREAD.length);
      for (const [i, line] of lines.entries()) {
        expect(line, bot.stdout).toMatch(THREAD[i] as RegExp);
      }
    }, 150_000);
  },
);
