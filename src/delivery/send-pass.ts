import type { Delivery } from '../incidents/subscription.js';
import type { Admission, PlatformGates, Reachability } from './platform-gate.js';

type HeldBack = Exclude<Admission, { send: true }>;

export interface SendPassDeps {
  gates: PlatformGates;
  nowMs: () => number;
  send(delivery: Delivery): Promise<{ sent: boolean; reach: Reachability }>;
  /** Back to the outbox, untried, until `admission.untilMs`. */
  holdBack(delivery: Delivery, admission: HeldBack): Promise<void>;
}

/**
 * The sends of one drain pass. Each claimed delivery is admitted by its platform's gate: sent at
 * once, or put back in the outbox, untried, while its platform is backed off as unreachable.
 */
export class SendPass {
  readonly tasks = new Set<Promise<void>>();
  sent = 0;

  constructor(private readonly deps: SendPassDeps) {}

  dispatch(delivery: Delivery): void {
    const admission = this.deps.gates.admit(delivery.channel.platform, this.deps.nowMs());
    if (admission.send) this.launch(delivery);
    else this.track(this.deps.holdBack(delivery, admission));
  }

  /** At the end of the pass: settles when every send and hold-back of it has. */
  async close(): Promise<void> {
    await Promise.all(this.tasks);
  }

  private launch(delivery: Delivery): void {
    const { gates } = this.deps;
    const { platform } = delivery.channel;
    const probe = gates.started(platform);
    this.track(
      this.deps.send(delivery).then(({ sent, reach }) => {
        gates.finished(platform, probe, reach, this.deps.nowMs());
        if (sent) this.sent++;
      }),
    );
  }

  private track(work: Promise<void>): void {
    const task: Promise<void> = work.finally(() => this.tasks.delete(task));
    this.tasks.add(task);
  }
}
