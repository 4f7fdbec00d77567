import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { DeliveryError } from '../../src/delivery/chat-adapter.js';

/**
 * Maps what @discordjs/rest throws onto the worker's DeliveryError kinds. The library has
 * already waited out short 429s and retried 5xx/timeouts by the time anything reaches here.
 */

/** The channel is gone or the bot lost access: the subscription is suspended. */
export const CHANNEL_GONE_CODES: ReadonlySet<number> = new Set([
  10003, // Unknown Channel
  10004, // Unknown Guild (the bot was removed from the server)
  50001, // Missing Access
  50013, // Missing Permissions
]);

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
