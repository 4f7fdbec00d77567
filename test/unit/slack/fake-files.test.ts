import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../fakes/slack/fake-slack.js';

let slack: FakeSlack | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

async function call(fake: FakeSlack, method: string, args: Record<string, string>) {
  const res = await fetch(`${fake.apiUrl}${method}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${fake.botToken}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(args).toString(),
  });
  return (await res.json()) as Record<string, unknown>;
}

const complete = (fake: FakeSlack, id: string, channel = 'C0GENERAL') =>
  call(fake, 'files.completeUploadExternal', {
    files: JSON.stringify([{ id, title: 'pic' }]),
    channel_id: channel,
  });

describe('fake Slack: the external upload flow', () => {
  it('refuses what Slack refuses: unknown ids, missing bytes, wrong length, reuse, channels', async () => {
    const fake = await FakeSlack.start();
    slack = fake;
    fake.workspace.addChannel('C0OUTSIDE', { member: false });
    expect(await complete(fake, 'F0NOPE')).toEqual({ ok: false, error: 'file_not_found' });
    const asked = await call(fake, 'files.getUploadURLExternal', {
      filename: 'a.png',
      length: '3',
    });
    expect(asked).toMatchObject({ ok: true, file_id: expect.any(String) });
    const id = String(asked.file_id);
    expect(await complete(fake, id)).toEqual({ ok: false, error: 'file_not_found' });
    const wrong = await fetch(String(asked.upload_url), { method: 'POST', body: 'abcd' });
    expect(wrong.status).toBe(400);
    const right = await fetch(String(asked.upload_url), { method: 'POST', body: 'abc' });
    expect(await right.text()).toBe('OK - 3');
    expect(await complete(fake, id, 'C0OUTSIDE')).toEqual({ ok: false, error: 'not_in_channel' });
    expect(await complete(fake, id, 'C0GONE')).toEqual({ ok: false, error: 'channel_not_found' });
    expect(await complete(fake, id)).toEqual({
      ok: true,
      files: [{ id, title: 'pic', name: 'a.png' }],
    });
    expect(await complete(fake, id)).toEqual({ ok: false, error: 'file_not_found' });
    expect(fake.files.files.get(id)?.bytes?.toString()).toBe('abc');
    expect(await call(fake, 'files.getUploadURLExternal', { filename: 'a.png' })).toEqual({
      ok: false,
      error: 'invalid_arguments',
    });
  });
});
