import type { Logger } from 'pino';
import {
  type Burst,
  type ChannelBursts,
  emptyBursts,
  type GroupingPolicy,
  memberOf,
  OPEN_GROUP_RETENTION_MS,
  type Placement,
  placeStart,
  type RuleResult,
  updateMember,
} from '../incidents/grouping.js';
import { channelKey, type Delivery, type ThreadRef } from '../incidents/subscription.js';
import { editsRoot, mayGroup } from '../incidents/thread-rules.js';
import type { Store } from '../store/store.js';
import type { ChatAdapter } from './chat-adapter.js';

export interface GroupedThreadsOptions {
  store: Store;
  policy: GroupingPolicy;
  now: () => Date;
}

/** What the worker does with a delivery, grouping considered. */
export type GroupedPlan =
  /** Not yet: put it back until `until` (a group may still form, or its root is not posted yet). */
  | { hold: Date; reason: string }
  | {
      hold?: undefined;
      /** Where it goes: a group's root (with groupId), its own thread, or none (a new root). */
      thread: ThreadRef | undefined;
      /** This delivery joins a group: after the send, edit the root, then record `thread` as its ref. */
      joins?: Burst;
      /** A member's change the group's root must show, after the send. */
      editRoot?: boolean;
    };

/** A held start asks again at least this often, so it joins a group soon after one forms. */
const RECHECK_MS = 1_000;
/**
 * A joining start waits this long past the window for the group's root to be recorded (its first
 * member's start is still on its way); after that it goes out on its own rather than wait forever
 * behind a root that may never be posted (a channel refusing that one message).
 */
const ROOT_WAIT_MS = 5 * 60_000;
/** Rewrites of a root another replica kept changing meanwhile, at most. */
const MAX_ROOT_EDITS = 5;
/** Compare-and-set retries, at most, before the store is taken to be failing. */
const MAX_CAS_ATTEMPTS = 50;
/** The channel's record outlives its longest-kept group by a day. */
const RECORD_TTL_MS = OPEN_GROUP_RETENTION_MS + 24 * 60 * 60_000;

const recordKey = (delivery: Delivery): string => `groups:${channelKey(delivery.channel)}`;

/**
 * The delivery side of rule 8 (the rule itself is src/incidents/grouping.ts): places each start in
 * its channel's record by compare-and-set, so replicas agree on one placement, and keeps a group's
 * root in step with its members. Only the first member ever posts a root, and a joiner records its
 * ref only after the reply and the root edit went out, so a crash in between repeats the send (the
 * adapters find their earlier copy) instead of losing it.
 */
export class GroupedThreads {
  constructor(private readonly options: GroupedThreadsOptions) {}

  async plan(delivery: Delivery, thread: ThreadRef | undefined): Promise<GroupedPlan> {
    if (thread?.groupId) {
      return { thread, editRoot: editsRoot(delivery.event) };
    }
    if (thread || !mayGroup(delivery.event) || this.options.policy.windowMs <= 0) {
      return { thread };
    }
    const now = this.options.now().getTime();
    const member = memberOf(delivery.thread, delivery.event);
    const placement = await this.change<Placement>(delivery, (doc) =>
      placeStart(doc, member, now, this.options.policy),
    );
    if (placement.kind === 'alone') return { thread: undefined };
    if (placement.kind === 'hold') {
      const until = Math.min(placement.untilMs, now + RECHECK_MS);
      return { hold: new Date(until), reason: 'held: other services started; a group may form' };
    }
    const group = placement.group;
    const root = await this.options.store.getThread(group.id);
    if (!root) {
      if (now > group.anchorMs + this.options.policy.windowMs + ROOT_WAIT_MS) {
        return { thread: undefined };
      }
      return {
        hold: new Date(now + RECHECK_MS),
        reason: "held: the group's root is not posted yet",
      };
    }
    const grouped: ThreadRef = { ...root, groupId: group.id };
    // The root's own thread goes to the group from now on (its replies name their service too).
    if (root.groupId !== group.id) await this.options.store.putThread(group.id, grouped);
    return { thread: grouped, joins: group };
  }

  /** A grouped member's event went out: record its change and let the root show it. */
  async memberChanged(delivery: Delivery, thread: ThreadRef, adapter: ChatAdapter): Promise<void> {
    const groupId = thread.groupId;
    if (!groupId) return;
    const at = this.options.now().toISOString();
    let changed = false;
    const group = await this.change<Burst | undefined>(delivery, (doc) => {
      const result = updateMember(doc, groupId, delivery.thread, delivery.event.subject, at);
      changed = result.changed;
      return result;
    });
    // The root shows titles, impacts and recoveries only: a confirmation that changes none of
    // them leaves it as it reads. A retry edits anyway, since its first try may have recorded
    // the change and died before the edit.
    const retry = delivery.attempts > 0 || delivery.possiblySent === true;
    if (group && (changed || retry)) await this.editRoot(delivery, thread, adapter);
  }

  /**
   * Rewrites the root from the record, and again while the group changed under the edit: two
   * replicas editing at once may land in either order, and the last to look fixes a stale one.
   */
  async editRoot(delivery: Delivery, root: ThreadRef, adapter: ChatAdapter): Promise<void> {
    const groupId = root.groupId;
    if (!groupId || !adapter.editGroupRoot) return;
    let shown = '';
    for (let i = 0; i < MAX_ROOT_EDITS; i += 1) {
      const group = (await this.read(delivery)).bursts[groupId];
      const json = JSON.stringify(group);
      if (!group || json === shown) return;
      await adapter.editGroupRoot({ channel: delivery.channel, root, group });
      shown = json;
    }
  }

  private async read(delivery: Delivery): Promise<ChannelBursts> {
    const { value } = await this.options.store.getVersionedDoc<ChannelBursts>(recordKey(delivery));
    return value ?? emptyBursts();
  }

  /** Applies a rule to the channel's record by compare-and-set, retrying when another won. */
  private async change<T>(
    delivery: Delivery,
    rule: (doc: ChannelBursts) => RuleResult<T>,
  ): Promise<T> {
    const { store } = this.options;
    const key = recordKey(delivery);
    for (let i = 0; i < MAX_CAS_ATTEMPTS; i += 1) {
      const { value, version } = await store.getVersionedDoc<ChannelBursts>(key);
      const result = rule(value ?? emptyBursts());
      if (!result.changed) return result.value;
      if (await store.putVersionedDoc(key, result.doc, version, RECORD_TTL_MS)) return result.value;
    }
    throw new Error(`grouping record ${key} kept changing; giving up for now`);
  }
}

/** For log lines: where a start went. A held start asks again every second: said once at info. */
export const describePlan = (delivery: Delivery, plan: GroupedPlan, log: Logger): void => {
  if (plan.hold) {
    const again = delivery.lastError?.startsWith('held:') === true;
    log[again ? 'debug' : 'info']({ until: plan.hold.toISOString() }, plan.reason);
  } else if (plan.joins) {
    log.info({ group: plan.joins.id }, 'start joins a group of services');
  }
};
