import { type ChannelDigest, digestDelivery } from '../../../src/digest/digest-model.js';
import type { ChannelRef, Delivery } from '../../../src/incidents/subscription.js';

/** A digest with untrusted titles and names: markup, mentions and a link that must stay text. */
export const SAMPLE_DIGEST: ChannelDigest = {
  periodStart: '2026-11-30T08:00:00.000Z',
  periodEnd: '2026-12-07T08:00:00.000Z',
  timeZone: 'Europe/Berlin',
  services: [
    {
      serviceId: 'github',
      serviceName: 'GitHub',
      incidents: 3,
      downtimeMs: (5 * 60 + 20) * 60_000,
      longest: {
        title: 'Git <!channel> *down* @everyone',
        durationMs: 4 * 60 * 60_000,
        startedAt: '2026-12-01T10:00:00.000Z',
        url: 'https://www.githubstatus.com/incidents/abc',
      },
      open: [
        {
          title: 'Webhooks <@U123> delayed',
          durationMs: 60 * 60_000,
          startedAt: '2026-12-07T07:00:00.000Z',
        },
      ],
    },
  ],
  quiet: ['Cloud <b>flare</b>', 'Discord'],
};

export const QUIET_DIGEST: ChannelDigest = { ...SAMPLE_DIGEST, services: [], quiet: ['GitHub'] };

export const sampleDigestDelivery = (
  channel: ChannelRef,
  digest: ChannelDigest = SAMPLE_DIGEST,
): Delivery =>
  // Enqueued now: a retry looks for its earlier copy in the minutes before that.
  digestDelivery(channel, '2026-12-07', digest, new Date(digest.periodEnd), new Date());
