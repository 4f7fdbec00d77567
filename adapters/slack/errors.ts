import { DeliveryError } from '../../src/delivery/chat-adapter.js';

/**
 * web-api's error classes, recognised by their stable `code` (instanceof would break if two
 * copies of @slack/web-api were installed).
 */
interface SlackApiError {
  code: string;
  data?: { error?: string };
  retryAfter?: number;
  statusCode?: number;
  original?: Error;
}

function slackCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('slack_webapi_') ? code : undefined;
}

/**
 * Slack errors that mean the channel is gone for the bot (suspend, don't retry): deleted or
 * private and unseen (channel_not_found), archived, or the bot was removed (not_in_channel).
 */
const CHANNEL_GONE = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

/**
 * Slack errors that a person fixes by granting something: the queue waits (long backoff) and the
 * channel, or the subscriber, is told what is missing.
 */
const MISSING_PERMISSION: Record<string, string> = {
  restricted_action: 'permission to post here (a workspace or channel setting restricts posting)',
  ekm_access_denied: 'Enterprise Key Management access (an administrator suspended posting)',
  team_access_not_granted: 'access to this workspace (the app is not granted it)',
  no_permission: 'permission from the workspace (no_permission)',
};

/**
 * Slack errors worth trying again later: Slack's own trouble, and the bot's credentials (a
 * rotated token or a missing scope is fixed by the operator, and the messages must wait for that
 * rather than be given up).
 */
const TRANSIENT = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  // The bot token belongs to a deactivated user or workspace: no channel is to blame.
  'account_inactive',
]);

/** The platform error code (`channel_not_found`, …) if the error is Slack saying `ok: false`. */
export function platformError(err: unknown): string | undefined {
  if (slackCode(err) !== 'slack_webapi_platform_error') return undefined;
  return (err as SlackApiError).data?.error ?? 'unknown_error';
}

/** web-api throws a plain Error of this shape once its own 429 retries are used up. */
const RATE_LIMIT_EXHAUSTED = /rate limit was exceeded.*retry-after: (\d+)/i;

export function isRateLimitRetry(err: unknown): boolean {
  return err instanceof Error && RATE_LIMIT_EXHAUSTED.test(err.message);
}

/**
 * Any failure of a Web API call -> the one error deliver() may throw. The message names the Slack
 * error code or HTTP status, never a token or a request body.
 */
export function toDeliveryError(err: unknown, what: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const platform = platformError(err);
  if (platform) {
    if (CHANNEL_GONE.has(platform))
      return new DeliveryError('channel_gone', `${what}: ${platform}`);
    const permission = missingPermission(err, platform);
    if (permission) {
      return new DeliveryError('missing_permission', `${what}: ${platform}`, { permission });
    }
    if (platform === 'ratelimited') {
      return new DeliveryError('rate_limited', `${what}: ratelimited`, 1_000);
    }
    if (TRANSIENT.has(platform)) return new DeliveryError('transient', `${what}: ${platform}`);
    return new DeliveryError('permanent', `${what}: ${platform}`);
  }
  const code = slackCode(err);
  const api = err as SlackApiError;
  if (code === 'slack_webapi_rate_limited_error') {
    return new DeliveryError(
      'rate_limited',
      `${what}: rate limited`,
      (api.retryAfter ?? 1) * 1_000,
    );
  }
  if (err instanceof Error) {
    const limited = RATE_LIMIT_EXHAUSTED.exec(err.message);
    if (limited) {
      return new DeliveryError('rate_limited', `${what}: rate limited`, Number(limited[1]) * 1_000);
    }
  }
  if (code === 'slack_webapi_http_error') {
    const status = api.statusCode ?? 0;
    const kind = status >= 500 || status === 408 ? 'transient' : 'permanent';
    return new DeliveryError(kind, `${what}: HTTP ${status}`);
  }
  if (code === 'slack_webapi_request_error') {
    return new DeliveryError('transient', `${what}: request failed (${api.original?.message})`);
  }
  return new DeliveryError(
    'transient',
    `${what}: ${err instanceof Error ? err.message : String(err)}`,
  );
}

/** What a missing_permission error lacks; missing_scope names the scope in `needed`. */
function missingPermission(err: unknown, platform: string): string | undefined {
  if (platform === 'missing_scope') {
    const needed = (err as { data?: { needed?: unknown } }).data?.needed;
    return typeof needed === 'string' ? `the ${needed} scope` : 'an OAuth scope (missing_scope)';
  }
  return MISSING_PERMISSION[platform];
}
