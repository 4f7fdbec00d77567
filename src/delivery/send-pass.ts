import type { Delivery, Platform } from '../incidents/subscription.js';
import type { Admission, PlatformGates, Reachability } from './platform-gate.js';

type HeldBack = Exclude<Admission, { send: true }>;

export interface SendPassDeps {
  gates: PlatformGates;
  /** Per platform: claimed deliveries over its share that wait here for one of its sends to end. */
  waitingPerPlatform: number;
  nowMs: () => number;
  send(delivery: Delivery): Promise<{ sent: boolean; reach: Reachability }>;
  /** Back to the outbox, untried, until `admission.untilMs`. */
  holdBack(delivery: Delivery, admission: HeldBack): Promise<void>;
  /** Keeps a waiting delivery's outbox lease alive; returns the stop. */
  keepLease(delivery: Delivery): () => void;
}

/**
 * The sends of one drain pass. Each claimed delivery is admitted by its platform's gate: sent at
 * once, kept in a short per-platform line when its platform holds its share of the slots (the
 * next of that platform starts when one of its sends ends), or put back in the outbox when the
 * platform is unreachable or its line is full. A platform that hangs thus holds at most its share.
 */
export class SendPass {
  readonly tasks = new Set<Promise<void>>();
  sent = 0;
  private readonly waiting = new Map<Platform, { delivery: Delivery; stopLease: () => void }[]>();
  private closing = false;

  constructor(private readonly deps: SendPassDeps) {}

  dispatch(delivery: Delivery): void {
    const { platform } = delivery.channel;
    const admission = this.deps.gates.admit(platform, this.deps.nowMs());
    if (admission.send) {
      this.launch(delivery);
      return;
    }
    const line = this.waiting.get(platform) ?? [];
    if (admission.busy && line.length < this.deps.waitingPerPlatform) {
      line.push({ delivery, stopLease: this.deps.keepLease(delivery) });
      this.waiting.set(platform, line);
      return;
    }
    this.track(this.deps.holdBack(delivery, admission));
  }

  /** At the end of the pass: what still waits goes back to the outbox, due now. */
  async close(): Promise<void> {
    this.releaseWaiting();
    await Promise.all(this.tasks);
  }

  /** On stop: what waits in the lines goes back to the outbox, due now; settles when it has. */
  async releaseWaiting(): Promise<void> {
    this.closing = true;
    const released: Promise<void>[] = [];
    for (const line of this.waiting.values()) {
      for (const { delivery, stopLease } of line.splice(0)) {
        stopLease();
        const untilMs = this.deps.nowMs();
        const back = this.deps.holdBack(delivery, {
          send: false,
          untilMs,
          reason: 'worker stopping',
        });
        this.track(back);
        released.push(back);
      }
    }
    await Promise.all(released);
  }

  private launch(delivery: Delivery): void {
    const { gates } = this.deps;
    const { platform } = delivery.channel;
    const probe = gates.started(platform, this.deps.nowMs());
    this.track(
      this.deps.send(delivery).then(({ sent, reach }) => {
        gates.finished(platform, probe, reach, this.deps.nowMs());
        if (sent) this.sent++;
        const next = this.closing ? undefined : this.waiting.get(platform)?.shift();
        if (next) {
          next.stopLease();
          this.dispatch(next.delivery);
        }
      }),
    );
  }

  private track(work: Promise<void>): void {
    const task: Promise<void> = work.finally(() => this.tasks.delete(task));
    this.tasks.add(task);
  }
}
