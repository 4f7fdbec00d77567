import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { DeliveryError } from '../../src/delivery/chat-adapter.js';

/**
 * Maps what @discordjs/rest throws onto the worker's DeliveryError kinds. The library has
 * already waited out short 429s and retried 5xx/timeouts by the time anything reaches here.
 */

/** The channel is gone, or the bot was removed from its server: the subscription is suspended. */
export const CHANNEL_GONE_CODES: ReadonlySet<number> = new Set([
  10003, // Unknown Channel
  10004, // Unknown Guild
]);

/**
 * A permission someone can grant: the queue waits and the channel is told. Discord names no
 * permission in 50013, so it is inferred from the request that was refused.
 */
const MISSING_ACCESS = 50001; // the bot cannot see the channel
const MISSING_PERMISSIONS = 50013;

function permissionFor(err: DiscordAPIError): string {
  if (apiCode(err) === MISSING_ACCESS) return 'View Channel';
  const path = err.url.replace(/^.*?\/v\d+/, '').split('?')[0] ?? '';
  if (err.method === 'POST' && /\/messages\/\d+\/threads$/.test(path))
    return 'Create Public Threads';
  if (err.method === 'POST' && /\/threads$/.test(path)) return 'Send Messages (create posts)';
  if (err.method === 'POST' && /\/messages$/.test(path)) return 'Send Messages';
  if (err.method === 'PATCH' && /^\/channels\/\d+$/.test(path)) return 'Manage Threads';
  return 'Read Message History';
}

export const apiCode = (err: unknown): number | undefined =>
  err instanceof DiscordAPIError && typeof err.code === 'number' ? err.code : undefined;

const NETWORK_CODES = /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR)/;

export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof RateLimitError) {
    const waitMs = Math.max(err.retryAfter, err.timeToReset, 1_000);
    return new DeliveryError(
      'rate_limited',
      `discord rate limit on ${err.route}`,
      Math.ceil(waitMs),
    );
  }
  if (err instanceof DiscordAPIError) {
    const code = apiCode(err);
    const what = `discord ${err.status} ${code ?? ''} ${err.message}`.replace(/\s+/g, ' ');
    if (code !== undefined && CHANNEL_GONE_CODES.has(code))
      return new DeliveryError('channel_gone', what);
    if (code === MISSING_ACCESS || code === MISSING_PERMISSIONS) {
      return new DeliveryError('missing_permission', what, { permission: permissionFor(err) });
    }
    if (err.status === 429) return new DeliveryError('rate_limited', what, 5_000);
    if (err.status >= 500 || err.status === 408) return new DeliveryError('transient', what);
    // A revoked token fails every call; keep deliveries until the operator fixes it.
    if (err.status === 401)
      return new DeliveryError('transient', `${what} (is DISCORD_TOKEN still valid?)`);
    return new DeliveryError('permanent', what);
  }
  if (err instanceof HTTPError)
    return new DeliveryError('transient', `discord ${err.status} ${err.message}`);
  if (err instanceof Error) {
    const code = String(
      (err as { code?: unknown }).code ?? (err.cause as { code?: unknown })?.code ?? '',
    );
    if (
      err.name === 'AbortError' ||
      NETWORK_CODES.test(code) ||
      err.message.includes('fetch failed')
    ) {
      return new DeliveryError('transient', `discord unreachable: ${err.message}`);
    }
    return new DeliveryError('transient', err.message);
  }
  return new DeliveryError('transient', String(err));
}
