import { createHmac } from 'node:crypto';

/**
 * Sends slash commands to the bot the way Slack does: a form post signed with the signing secret
 * (`v0=HMAC_SHA256(secret, "v0:<ts>:<body>")`), plus the broken variants a test needs. The body
 * is sent as a string with the exact content type: Bolt compares it with `===`, and fetch would
 * add `;charset=UTF-8` to a URLSearchParams body.
 */

export type SigningMode = 'valid' | 'unsigned' | 'bad-signature' | 'wrong-secret' | 'stale';

export interface SlashCommandInput {
  text: string;
  channelId?: string;
  channelName?: string;
  userId?: string;
  userName?: string;
  teamId?: string;
  command?: string;
  responseUrl?: string;
}

/** The form fields Slack sends for a slash command (all strings). */
export function slashCommandFields(input: SlashCommandInput): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: input.teamId ?? 'T0FAKE',
    team_domain: 'fake',
    channel_id: input.channelId ?? 'C0GENERAL',
    channel_name: input.channelName ?? 'general',
    user_id: input.userId ?? 'U0ADMIN',
    user_name: input.userName ?? 'admin',
    command: input.command ?? '/outage',
    text: input.text,
    api_app_id: 'A0FAKE',
    is_enterprise_install: 'false',
    response_url: input.responseUrl ?? 'http://127.0.0.1:9/commands/unused',
    trigger_id: '1337.42.abcdef',
  };
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  url: string;
  signingSecret: string;
  fields: Record<string, string>;
  mode?: SigningMode;
  /** Seconds since the epoch; default now. */
  nowSeconds?: number;
}

/** Posts a slash command to the bot's /slack/events; resolves with the HTTP response. */
export async function postSlashCommand(options: SignedPostOptions): Promise<Response> {
  const body = new URLSearchParams(options.fields).toString();
  const mode = options.mode ?? 'valid';
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const timestamp = mode === 'stale' ? now - 301 : now;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (mode !== 'unsigned') {
    const secret = mode === 'wrong-secret' ? `${options.signingSecret}x` : options.signingSecret;
    // A bad signature signs other bytes than the ones sent (a tampered body).
    const signed = mode === 'bad-signature' ? `${body}&text=tampered` : body;
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] = sign(secret, timestamp, signed);
  }
  return fetch(options.url, { method: 'POST', headers, body });
}
