/** A path into a scenario document. */
export type ScenarioPath = readonly (string | number)[];

/** Bad input in a scenario, at a path of the document. */
export class ScenarioError extends Error {
  constructor(
    readonly path: ScenarioPath,
    message: string,
  ) {
    super(message);
    this.name = 'ScenarioError';
  }
}

/** What the step and expectation parsers know of the scenario. */
export interface ParseContext {
  /** The scenario file's folder: relative paths start here. */
  dir: string;
  /** Node ids the scenario's cluster has (1 to `nodes`). */
  nodes: number;
}
