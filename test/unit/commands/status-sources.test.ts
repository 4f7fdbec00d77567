import { describe, expect, it } from 'vitest';
import { formatTime } from '../../../commands/format.js';
import { runCommand } from '../../../commands/registry.js';
import { BUILTIN_SERVICES } from '../../../src/sources/catalog-data.js';
import {
  harnessPerTest,
  minutesAgo,
  registered,
  seedInstagramSignals,
} from './command-fixtures.js';

const status = registered('status');
const services = registered('services');

describe('a service with several sources', () => {
  const h = harnessPerTest();

  it('/outage status instagram answers from its probe and its metastatus source, each with its health', async () => {
    const instagram = BUILTIN_SERVICES.find((s) => s.id === 'instagram');
    if (!instagram) throw new Error('instagram is in the catalog');
    h.catalog.add(instagram);
    const since = await seedInstagramSignals(h.test.store);
    const reply = await runCommand(status, h.ctx, { service: 'ig' });
    expect(reply.title).toBe('Instagram status');
    expect(reply.text.split('\n').slice(-3)).toEqual([
      'Sources:',
      `• probe www.instagram.com: failing (DNS SERVFAIL) since ${formatTime(since)}, 5 checks in a row`,
      `• metastatus metastatus.com/ig-boost: healthy, last read ${formatTime(minutesAgo(1))}`,
    ]);
    // Worst first, then oldest: the provider's outage began before the probe noticed.
    expect(reply.items?.map((i) => i.label)).toEqual([
      'Instagram Boost: High disruptions',
      'www.instagram.com: DNS SERVFAIL',
    ]);
  });

  it('/outage services meta lists the Meta family', async () => {
    for (const s of BUILTIN_SERVICES) h.catalog.add(s);
    const reply = await runCommand(services, h.ctx, { query: 'meta' });
    const labels = reply.items?.map((i) => i.label) ?? [];
    expect(labels.slice(0, 7).sort()).toEqual(
      ['Facebook', 'Instagram', 'Messenger', 'Meta', 'Meta Quest', 'Threads', 'WhatsApp'].sort(),
    );
  });
});
