import type { Command } from '../../../engine/state/commands';
import { encodeCommand } from '../../../engine/state/envelope';
import { AspenStateMachine } from '../../../engine/state/machine';

/** A real state machine fed committed entries by hand. */
export class MachineLog {
  readonly machine = new AspenStateMachine();
  private index = 0;
  time = 1_700_000_000_000;

  /** Applies one command as the next committed entry; returns its result. */
  apply(cmd: Command, session?: { client: string; seq: number }): unknown {
    this.index += 1;
    const data = encodeCommand({
      v: 1,
      time: this.time,
      random: 0,
      ...session,
      cmd,
    });
    return this.machine.apply({
      index: this.index,
      term: 1,
      type: 'normal',
      data,
    });
  }

  /** Publishes `count` events on `topic`, one entry each. */
  publish(
    topic: string,
    count: number,
    payload: (i: number) => unknown = (i) => ({ i }),
  ) {
    for (let i = 0; i < count; i++) {
      this.apply({ t: 'publish', topic, payload: payload(i) });
    }
  }
}
