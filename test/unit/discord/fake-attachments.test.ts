import { afterEach, describe, expect, it } from 'vitest';
import { ATTACHMENT_LIMITS } from '../../fakes/discord/attachments.js';
import { type FakeDiscord, startFakeDiscord } from '../../fakes/discord/index.js';

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function form(files: Uint8Array[]): FormData {
  const body = new FormData();
  files.forEach((bytes, i) => {
    body.append(`files[${i}]`, new Blob([bytes], { type: 'image/png' }), `f${i}.png`);
  });
  body.append('payload_json', JSON.stringify({ content: 'x' }));
  return body;
}

describe("fake Discord: attachments over Discord's limits", () => {
  it('refuses more than 10 files (400 50035) and a file over 25 MiB (413 40005)', async () => {
    const started = await startFakeDiscord();
    fake = started;
    const url = `${started.apiUrl}/v10/webhooks/${started.appId}/some-token`;
    const many = await fetch(url, {
      method: 'POST',
      body: form(Array.from({ length: ATTACHMENT_LIMITS.files + 1 }, () => new Uint8Array(4))),
    });
    expect(many.status).toBe(400);
    expect(await many.json()).toMatchObject({ code: 50035 });
    const big = await fetch(url, {
      method: 'POST',
      body: form([new Uint8Array(ATTACHMENT_LIMITS.bytes + 1)]),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 40005 });
    // Within the limits the request reaches the route (here: an unknown webhook token).
    const fits = await fetch(url, { method: 'POST', body: form([new Uint8Array(4)]) });
    expect(fits.status).toBe(404);
    expect(started.calls.at(-1)?.files?.map((f) => f.filename)).toEqual(['f0.png']);
  });
});
