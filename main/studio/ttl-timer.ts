import type { Logger } from '../../engine/ports/logger';
import type { Command } from '../../engine/state/commands';
import type { AspenStateMachine } from '../../engine/state/machine';

/** Most ids one `expire` entry carries. */
const MAX_IDS = 256;

/** What the timer needs from the service. */
export interface TtlTimerSources {
  /** The leader's machine, or undefined while there is no leader. */
  leaderMachine(): AspenStateMachine | undefined;
  clusterNow(): number;
  propose(cmd: Command): Promise<unknown>;
}

/**
 * Expires KV keys whose TTL passed: it watches the leader's deadlines and
 * proposes batched `expire{ids, now}` entries, as etcd's lessor revokes
 * leases. Only `kv:` deadlines: the jobs module's leases and due times
 * belong to the job workers, which must renew what a new leader inherits
 * before anything expires (DESIGN §3.3). Apply re-checks every deadline,
 * so a key rewritten meanwhile is left alone.
 */
export class TtlTimer {
  private timer?: NodeJS.Timeout;
  private isBusy = false;

  constructor(
    private readonly sources: TtlTimerSources,
    private readonly logger: Logger,
    private readonly intervalMs = 100,
  ) {}

  /** Starts watching. */
  start(): void {
    const tick = () => {
      void this.check().finally(() => {
        if (this.timer !== undefined) {
          this.timer = setTimeout(tick, this.intervalMs);
        }
      });
    };
    this.timer = setTimeout(tick, this.intervalMs);
  }

  /** Stops watching. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async check(): Promise<void> {
    const machine = this.sources.leaderMachine();
    if (this.isBusy || machine === undefined) {
      return;
    }
    const now = Math.floor(this.sources.clusterNow());
    const ids: string[] = [];
    for (const { due, id } of machine.deadlines()) {
      if (due > now || ids.length === MAX_IDS) {
        break;
      }
      if (id.startsWith('kv:')) {
        ids.push(id);
      }
    }
    if (ids.length === 0) {
      return;
    }
    this.isBusy = true;
    try {
      await this.sources.propose({ t: 'expire', ids, now });
    } catch (error) {
      // the next tick tries again with whatever is still due
      this.logger.debug('expire not applied', { error: String(error) });
    } finally {
      this.isBusy = false;
    }
  }
}
