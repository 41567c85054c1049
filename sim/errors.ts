/**
 * What a failed simulation rejects with: always the seed, the trace and a replay string.
 */
import type { TraceEvent } from "./trace.js";

/** Context every simulation failure carries. */
export interface FailureContext {
  readonly seed: number;
  readonly trace: readonly TraceEvent[];
  readonly replay: string;
  readonly step: number;
  readonly cause?: unknown;
}

/**
 * A simulation failed: the body threw, or the run deadlocked, escaped the simulator or
 * ran out of steps. `replay` reproduces the run: `simulate(body, { replay })`.
 */
export class SimulationFailure extends Error {
  override name = "SimulationFailure";
  readonly seed: number;
  readonly trace: readonly TraceEvent[];
  readonly replay: string;
  /** The scheduling step at which the run failed. */
  readonly step: number;
  constructor(message: string, context: FailureContext) {
    super(`${message}\n  seed: ${context.seed}, step: ${context.step}\n  replay: ${context.replay}`, {
      cause: context.cause,
    });
    this.seed = context.seed;
    this.trace = context.trace;
    this.replay = context.replay;
    this.step = context.step;
  }
}

/** One blocked process in a deadlock, and what it waits for. */
export interface BlockedProcess {
  /** `Name<0.7>` */
  readonly process: string;
  readonly waitingFor: string;
}

/** Every process is blocked and no timer is pending. */
export class Deadlock extends SimulationFailure {
  override name = "Deadlock";
  readonly blocked: readonly BlockedProcess[];
  constructor(blocked: readonly BlockedProcess[], context: FailureContext) {
    const lines = blocked.map((b) => `\n    ${b.process}: ${b.waitingFor}`).join("");
    super(`Deadlock: every process is blocked and no timer is pending:${lines}`, context);
    this.blocked = blocked;
  }
}

/** A process awaited something the simulator does not control (a real timer, I/O). */
export class SimulationEscape extends SimulationFailure {
  override name = "SimulationEscape";
  readonly process: string;
  constructor(process: string, context: FailureContext) {
    super(
      `${process} is awaiting something outside the simulation (a real timer, I/O, a promise no process settles): ` +
        `use sleep() and messages from fauxtp inside a simulated body, or the run cannot be deterministic`,
      context,
    );
    this.process = process;
  }
}

/** The run took more scheduling steps than `maxSteps`. */
export class StepLimitExceeded extends SimulationFailure {
  override name = "StepLimitExceeded";
  constructor(maxSteps: number, context: FailureContext) {
    super(
      `The simulation took more than maxSteps (${maxSteps}) steps: a runaway loop of messages or timers?`,
      context,
    );
  }
}

export const isSimulationFailure = (e: unknown): e is SimulationFailure => e instanceof SimulationFailure;
