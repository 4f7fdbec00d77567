import { afterEach, describe, expect, it } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from '../../fakes/discord/index.js';

/** The fake's optional per-bot global limit (the fan-out benchmark runs Discord's 50/s). */
describe('fake Discord global limit', () => {
  let fake: FakeDiscord | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  const me = (f: FakeDiscord) =>
    fetch(`${f.apiUrl}/v10/users/@me`, { headers: { authorization: `Bot ${f.token}` } });

  it('answers a global 429 to the request over the per-second budget, across routes', async () => {
    fake = await startFakeDiscord({ globalPerSecond: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await me(fake)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await me(fake);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-global')).toBe('true');
    expect(await limited.json()).toMatchObject({ global: true });
    expect(fake.globalLimiter?.hits).toBe(2);
  });

  // 40 stays under the route's own bucket (50/s), so only a global limit could refuse one.
  it('has no global limit unless asked for', async () => {
    fake = await startFakeDiscord();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await me(fake)).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });
});
