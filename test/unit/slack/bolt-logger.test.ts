import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boltLogger } from '../../../adapters/slack/bolt-logger.js';
import { createLogger } from '../../../src/logger.js';

const BOT_TOKEN = 'xoxb-1111-2222-secretbotpart';
const APP_TOKEN = 'xapp-1-A0123-4567-secretapppart';
const SIGNING_SECRET = 'signing-secret-0123456789abcdef';

/** The app's real logger (with its redaction) writing JSON lines into an array. */
function captured() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const log = createLogger({ level: 'debug', pretty: false, destination });
  return { lib: boltLogger(log.child({ lib: 'bolt' })), lines };
}

describe('the Bolt logger', () => {
  it('passes objects to pino, so secrets in them are redacted', () => {
    const { lib, lines } = captured();
    lib.debug('http request', {
      token: BOT_TOKEN,
      headers: { authorization: `Bearer ${BOT_TOKEN}` },
    });
    lib.info(
      'socket mode',
      { options: { appToken: APP_TOKEN } },
      { signingSecret: SIGNING_SECRET },
    );
    lib.error(new Error('request failed'), { body: { token: BOT_TOKEN } });

    const all = lines.join('\n');
    for (const secret of [BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, 'secretbotpart']) {
      expect(all).not.toContain(secret);
    }
    const [request, socket, failure] = lines.map((l) => JSON.parse(l));
    expect(request).toMatchObject({
      msg: 'http request',
      lib: 'bolt',
      level: 20,
      token: '[redacted]',
      headers: { authorization: '[redacted]' },
    });
    expect(socket).toMatchObject({
      msg: 'socket mode',
      options: { appToken: '[redacted]' },
      signingSecret: '[redacted]',
    });
    expect(failure).toMatchObject({
      level: 50,
      err: { message: 'request failed' },
      body: { token: '[redacted]' },
    });
  });

  it('blanks out Slack tokens written into the message text', () => {
    const { lib, lines } = captured();
    lib.warn('retrying with', BOT_TOKEN, `and ${APP_TOKEN}.`, 3);
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual([
      'retrying with [redacted] and [redacted]. 3',
    ]);
  });
});
