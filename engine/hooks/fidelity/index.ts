/**
 * Production fidelity: running a config under production's rules next to
 * the studio's, and comparing the two (DESIGN §3.5). The rules themselves
 * are switches of the dispatcher keyed by `[studio] fidelity`; this folder
 * holds the parts of them that are production's alone (unread output
 * pipes, the node's shell context) and the side-by-side comparison.
 *
 * @packageDocumentation
 */

export {
  compareFidelity,
  runFidelity,
  type CompareOptions,
  type FidelityComparison,
  type FidelityRun,
  type FindingLink,
  type HookComparison,
} from './compare';
export {
  hookDifferences,
  type DifferenceKind,
  type FidelityDifference,
} from './fidelity-differences';
export {
  describeStep,
  stepsFromEvents,
  type FidelityStep,
} from './fidelity-steps';
export { tallyRun, type HookOutcomes, type HookTally } from './fidelity-tally';
export { formatComparison } from './format-comparison';
