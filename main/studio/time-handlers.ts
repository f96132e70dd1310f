import type { InvokeHandlers } from '../server/router';

import type { StudioService } from './studio-service';

type TimeHandlers = Pick<
  InvokeHandlers,
  'time:state' | 'time:speed' | 'time:pause' | 'time:resume' | 'time:step'
>;

/**
 * The time bar's controls, straight onto the cluster's time control. Each
 * change also reaches the front ends as a `time:state` push (the service
 * forwards the cluster's `time` events), so every window's bar agrees.
 * A step while running is refused by the engine with `NOT_PAUSED`.
 */
export function timeHandlers(service: StudioService): TimeHandlers {
  const time = () => service.cluster.timeControl;
  return {
    'time:state': () => time().timeState(),
    'time:speed': ({ speed }) => time().setSpeed(speed),
    'time:pause': () => time().pause(),
    'time:resume': () => time().resume(),
    'time:step': ({ kind }) => {
      const result = time().step({ kind });
      const { frame } = result;
      return {
        isDone: result.isDone,
        advancedMs: result.advancedMs,
        ...(frame === undefined
          ? {}
          : { frame: { from: frame.from, to: frame.to, type: frame.type } }),
        state: time().timeState(),
      };
    },
  };
}
