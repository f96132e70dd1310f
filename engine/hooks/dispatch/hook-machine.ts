import { HookJobsModule } from './hook-jobs-module';
import { JobsModule } from '../../state/jobs/jobs-module';
import type { JobsConfig } from '../../state/jobs/types';
import {
  AspenStateMachine,
  type AspenStateMachineOptions,
} from '../../state/machine';

/**
 * Builds the state machine a hooks cluster runs: the studio's machine with
 * the {@link HookJobsModule} in its `jobs` slot. The dispatcher finds the
 * module again from the machine alone ({@link hookJobsOf}), so the seam
 * that hands a runtime `{ id, host, machine }` needs nothing more.
 *
 * @packageDocumentation
 */

const modules = new WeakMap<AspenStateMachine, HookJobsModule>();

/** Options of {@link createHookStateMachine}. */
export type HookStateMachineOptions = Omit<
  AspenStateMachineOptions,
  'modules'
> & {
  /** Retention and defaults of the jobs module. */
  jobs?: Partial<JobsConfig>;
  /** Other modules of the machine (consumer groups). */
  groups?: NonNullable<AspenStateMachineOptions['modules']>['groups'];
};

/** A machine with hook jobs, and its module. */
export interface HookStateMachine {
  machine: AspenStateMachine;
  hookJobs: HookJobsModule;
}

/** A fresh machine whose `jobs` module creates hook jobs at apply time. */
export function createHookStateMachine(
  options: HookStateMachineOptions = {},
): HookStateMachine {
  const { jobs, groups, ...rest } = options;
  const hookJobs = new HookJobsModule(new JobsModule(jobs));
  const machine = new AspenStateMachine({
    ...rest,
    modules: { jobs: hookJobs, groups },
  });
  modules.set(machine, hookJobs);
  return { machine, hookJobs };
}

/**
 * Records that `machine` was built with `module` in its `jobs` slot, for
 * machines built without {@link createHookStateMachine}.
 */
export function registerHookJobs(
  machine: AspenStateMachine,
  module: HookJobsModule,
): void {
  modules.set(machine, module);
}

/** The hook jobs module of a machine, if it has one. */
export function hookJobsOf(
  machine: AspenStateMachine,
): HookJobsModule | undefined {
  return modules.get(machine);
}
