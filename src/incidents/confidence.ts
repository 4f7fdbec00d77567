import { CONFIDENCES, type Confidence, type EventSubject } from './model.js';

/**
 * How sure the bot is that a service is down, decided here once; renderers, the router and the
 * merge ask. Official incidents are the provider's word; an incident early signals opened carries
 * its confidence, which only grows: suspected (one signal), confirmed (independent signals
 * agree), provider (the status page said so).
 */
export const confidenceOf = (subject: Pick<EventSubject, 'origin' | 'confidence'>): Confidence => {
  if (subject.confidence) return subject.confidence;
  return subject.origin === 'probe' || subject.origin === 'reports' ? 'suspected' : 'provider';
};

export const confidenceRank = (confidence: Confidence): number => CONFIDENCES.indexOf(confidence);

export const moreCertain = (a: Confidence, b: Confidence): Confidence =>
  confidenceRank(b) > confidenceRank(a) ? b : a;

/** The provider's page has spoken about it: what an `official` subscription gets. */
export const isOfficial = (subject: Pick<EventSubject, 'origin' | 'confidence'>): boolean =>
  confidenceOf(subject) === 'provider';

/**
 * The line a start message shows for an incident early signals opened ("Suspected: outage-bot's
 * probe fails", "Confirmed by probes and user reports", "Confirmed by the provider"); undefined
 * for a plain official incident, which needs none.
 */
export function confidenceLine(
  subject: Pick<EventSubject, 'confidence' | 'evidence'>,
): string | undefined {
  if (!subject.confidence) return undefined;
  const evidence = subject.evidence ?? [];
  if (subject.confidence === 'provider') return 'Confirmed by the provider';
  if (subject.confidence === 'confirmed') {
    const names = evidence.map((kind) => (kind === 'probe' ? 'probes' : 'user reports'));
    return `Confirmed by ${names.join(' and ') || 'independent signals'}`;
  }
  return evidence[0] === 'reports'
    ? 'Suspected: users report problems'
    : "Suspected: outage-bot's probe fails";
}
