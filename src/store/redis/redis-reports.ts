import type { Cluster, Redis } from 'ioredis';
import {
  BASELINE_KEPT_MS,
  foldHours,
  hourOf,
  levelAt,
  REPORT_TEXTS_KEPT,
  REPORTERS_KEPT_MS,
  type ReportBaseline,
  type ReportLevel,
  type ReportLimits,
  type ReportOutcome,
  type ReportStore,
  type StoredReport,
  type UserReport,
} from '../reports.js';

/**
 * KEYS: `rep:who:<service>`. ARGV: prefix, service, reporter, channel key, at, dedupMs, user max,
 * user window, channel max, channel window, text JSON, hour, reporters kept ms, texts kept,
 * baseline kept ms. The rate counters go first: past a limit nothing else is written.
 */
const RECORD = `
local p, svc, who, ch = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local at, dedup = tonumber(ARGV[5]), tonumber(ARGV[6])
local function over(key, max, win)
  local k = p .. 'rep:rl:' .. key .. ':' .. string.format('%.0f', math.floor(at / win))
  local n = redis.call('INCR', k)
  if n == 1 then redis.call('PEXPIRE', k, win) end
  return n > max
end
if over('u:' .. who, tonumber(ARGV[7]), tonumber(ARGV[8])) then return 'user_limited' end
if over('c:' .. ch, tonumber(ARGV[9]), tonumber(ARGV[10])) then return 'channel_limited' end
local kept = tonumber(ARGV[13])
local previous = redis.call('ZSCORE', KEYS[1], who)
if not previous or tonumber(previous) < at then redis.call('ZADD', KEYS[1], ARGV[5], who) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%.0f', at - kept))
redis.call('PEXPIRE', KEYS[1], kept)
local texts = p .. 'rep:text:' .. svc
redis.call('LPUSH', texts, ARGV[11])
redis.call('LTRIM', texts, 0, tonumber(ARGV[14]) - 1)
redis.call('PEXPIRE', texts, ARGV[15])
if previous and tonumber(previous) > at - dedup then return 'duplicate' end
local hours = p .. 'rep:hour:' .. svc
redis.call('HINCRBY', hours, ARGV[12], 1)
redis.call('PEXPIRE', hours, ARGV[15])
local services = p .. 'rep:services'
local last = redis.call('ZSCORE', services, svc)
if not last or tonumber(last) < at then redis.call('ZADD', services, ARGV[5], svc) end
return 'counted'
`;

/**
 * KEYS: `rep:base:<service>`. ARGV: the nextHour the caller folded from ('' when there was no
 * baseline), the new baseline JSON, its time to live, the hourly hash's key, then the folded hours.
 * Writes nothing (0) when another replica moved the baseline meanwhile.
 */
const SAVE_BASELINE = `
local current = redis.call('GET', KEYS[1])
if current then
  if string.match(current, '"nextHour":(%-?%d+)') ~= ARGV[1] then return 0 end
elseif ARGV[1] ~= '' then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
for i = 5, #ARGV do redis.call('HDEL', ARGV[4], ARGV[i]) end
return 1
`;

interface ReportScripts {
  reportRecord(...args: (string | number)[]): Promise<ReportOutcome>;
  reportSaveBaseline(...args: (string | number)[]): Promise<number>;
}

/**
 * The Redis store's reports, under the store's prefix:
 * - `rep:who:<service>`   zset reporter -> their latest report (ms), trimmed to REPORTERS_KEPT_MS
 * - `rep:rl:<u|c>:<id>:<window>`   rate-limit counters, expiring with their window
 * - `rep:hour:<service>`  hash epoch hour -> counted reports, until the baseline folds them in
 * - `rep:base:<service>`  JSON ReportBaseline; `rep:text:<service>` list of the latest reports
 * - `rep:services`        zset service -> its latest counted report (ms)
 */
export class RedisReports implements ReportStore {
  private readonly scripts: ReportScripts;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
  ) {
    redis.defineCommand('reportRecord', { numberOfKeys: 1, lua: RECORD });
    redis.defineCommand('reportSaveBaseline', { numberOfKeys: 1, lua: SAVE_BASELINE });
    this.scripts = redis as unknown as ReportScripts;
  }

  async record(report: UserReport, limits: ReportLimits): Promise<ReportOutcome> {
    const { serviceId, reporterId, channel, at, text } = report;
    return this.scripts.reportRecord(
      this.key('who', serviceId),
      this.prefix,
      serviceId,
      reporterId,
      channel,
      at,
      limits.dedupMs,
      limits.perUser.max,
      limits.perUser.windowMs,
      limits.perChannel.max,
      limits.perChannel.windowMs,
      JSON.stringify({ reporterId, channel, at, text } satisfies StoredReport),
      hourOf(at),
      REPORTERS_KEPT_MS,
      REPORT_TEXTS_KEPT,
      BASELINE_KEPT_MS,
    );
  }

  async countReporters(
    serviceId: string,
    sinceMs: number,
    untilMs: number,
    except?: string,
  ): Promise<number> {
    const key = this.key('who', serviceId);
    const [count, own] = await Promise.all([
      this.redis.zcount(key, sinceMs, untilMs),
      except ? this.redis.zscore(key, except) : Promise.resolve(null),
    ]);
    const ownAt = own === null ? Number.NaN : Number(own);
    return ownAt >= sinceMs && ownAt <= untilMs ? count - 1 : count;
  }

  async level(serviceId: string, atMs: number): Promise<ReportLevel> {
    const untilHour = hourOf(atMs);
    // Two tries: a replica that folded meanwhile leaves a baseline that is usually current.
    for (let attempt = 0; attempt < 2; attempt++) {
      const [body, hours] = await Promise.all([
        this.redis.get(this.key('base', serviceId)),
        this.redis.hgetall(this.key('hour', serviceId)),
      ]);
      const previous = body === null ? undefined : (JSON.parse(body) as ReportBaseline);
      if (previous && previous.nextHour >= untilHour) return levelAt(previous, atMs);
      const counts = new Map(Object.entries(hours).map(([h, n]) => [Number(h), Number(n)]));
      if (!previous && ![...counts.keys()].some((h) => h < untilHour)) return {};
      const { baseline, folded } = foldHours(previous, counts, untilHour);
      const saved = await this.scripts.reportSaveBaseline(
        this.key('base', serviceId),
        previous ? String(previous.nextHour) : '',
        JSON.stringify(baseline),
        BASELINE_KEPT_MS,
        this.key('hour', serviceId),
        ...folded,
      );
      if (saved === 1) return levelAt(baseline, atMs);
    }
    const body = await this.redis.get(this.key('base', serviceId));
    return levelAt(body === null ? undefined : (JSON.parse(body) as ReportBaseline), atMs);
  }

  async reportedSince(sinceMs: number): Promise<string[]> {
    const key = `${this.prefix}rep:services`;
    await this.redis.zremrangebyscore(key, '-inf', `(${sinceMs - BASELINE_KEPT_MS}`);
    return (await this.redis.zrangebyscore(key, sinceMs, '+inf')).sort();
  }

  async recent(serviceId: string, limit: number): Promise<StoredReport[]> {
    const rows = await this.redis.lrange(this.key('text', serviceId), 0, limit - 1);
    return rows.map((row) => JSON.parse(row) as StoredReport);
  }

  private key(kind: string, serviceId: string): string {
    return `${this.prefix}rep:${kind}:${serviceId}`;
  }
}
