/**
 * The time part of the contract: what the time bar shows and the controls
 * it offers (speed, pause, resume, single steps). It mirrors the engine's
 * `TimeState` as plain data, so the renderer needs no engine import.
 *
 * @packageDocumentation
 */

/** Slowest speed the time bar may set (cluster ms per real ms). */
export const MIN_TIME_SPEED = 1 / 100;

/** Fastest speed: job time only; Raft never runs faster than real time. */
export const MAX_TIME_SPEED = 1_000;

/** One clock's reading. */
export interface ClockReadingView {
  /** Cluster time (ms). */
  time: number;
  /** Cluster ms per real ms. */
  scale: number;
}

/** Where the cluster's time control stands. */
export interface TimeState {
  /** Below 1 slow motion, above 1 fast-forward of job time. */
  speed: number;
  /** Both clocks stand still and frames are held at their receivers. */
  isPaused: boolean;
  /** The clock of Raft ticks; never faster than real time. */
  raft: ClockReadingView;
  /** The clock of job deadlines and entry stamps (Unix-based ms). */
  job: ClockReadingView;
  /** Frames waiting at their receiver while paused. */
  heldFrames: number;
  /** Frames dropped because too many were held. */
  droppedFrames: number;
}

/** Sets the speed. */
export interface TimeSpeedRequest {
  speed: number;
}

/** One step while paused: the next Raft tick, or the oldest held frame. */
export interface TimeStepRequest {
  kind: 'tick' | 'message';
}

/** What a step did, with the state after it. */
export interface TimeStepResponse {
  /** False when there was nothing to fire or release. */
  isDone: boolean;
  /** Raft-clock ms the step moved (0 for a message). */
  advancedMs: number;
  /** The frame released by a message step, as `from→to type`. */
  frame?: { from: number; to: number; type: string };
  state: TimeState;
}
