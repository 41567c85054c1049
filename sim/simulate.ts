/**
 * simulate(): run a body under a fresh SimScheduler and return what happened.
 */
import type { Scope } from "../src/index.js";
import { decodeReplay } from "./replay.js";
import { checkOptions, SimScheduler } from "./scheduler.js";
import { ListStrategy, ReplayStrategy, type Strategy } from "./strategy.js";
import type { TraceEvent } from "./trace.js";

/** Options of `simulate`. */
export interface SimulateOptions {
  /** The seed: a non-negative integer (default 0). Same seed, same body: same trace. */
  seed?: number;
  /** Scheduling steps before the run fails (default 1,000,000). */
  maxSteps?: number;
  /** Timers due within this many virtual ms may fire before in-flight deliveries (default 5). */
  timerSlackMs?: number;
  /** A replay string from a failure or a result: reproduces that run exactly. */
  replay?: string;
  /**
   * A schedule: one small integer per choice point, taken modulo the number of events
   * that could run (0 is the oldest); past its end, the default order. See `schedule()`.
   */
  schedule?: readonly number[];
  /**
   * With `replay`: what to do when the run does not fit the replay (the code changed).
   * `"throw"` (default) rejects with the ReplayDiverged at its step; `"continue"` goes on
   * with default decisions (see `SimScheduler.divergences`).
   */
  onDivergence?: "throw" | "continue";
}

/** What a simulation returns. */
export interface SimulationResult<T> {
  /** What the body returned. */
  readonly value: T;
  /** The seed used. */
  readonly seed: number;
  /** Scheduling decisions taken. */
  readonly steps: number;
  /** Virtual time at the end. */
  readonly virtualTimeMs: number;
  /** The recorded events, in order. */
  readonly trace: readonly TraceEvent[];
  /** A digest of the trace: equal for equal runs. */
  readonly traceHash: string;
  /** A string that reproduces this run: `simulate(body, { replay })`. */
  readonly replay: string;
}

/**
 * Run `body(scope)` in a seeded, virtual-time simulation: deliveries, task ends and
 * timers interleave as the seed says; the same seed gives the same trace.
 * @example
 * const run = await simulate(async (scope) => call(await Counter.start(scope), "get"), { seed: 42 });
 * @throws SimulationFailure when the body throws (with `.seed`, `.trace`, `.cause`, `.replay`);
 * Deadlock when every process is blocked and no timer is pending; SimulationEscape when a
 * process awaits something outside the simulation; StepLimitExceeded past `maxSteps`.
 */
export async function simulate<T>(
  body: (scope: Scope) => T | Promise<T>,
  options: SimulateOptions = {},
): Promise<SimulationResult<T>> {
  if (typeof body !== "function")
    throw new TypeError(`simulate: expected a body function, got ${typeof body}`);
  if (options === null || typeof options !== "object") {
    throw new TypeError(`simulate: options must be an object, got ${String(options)}`);
  }
  const sched = schedulerFor(options);
  sched.claim("simulate"); // a busy realm rejects as misuse, before anything runs
  let value: T;
  try {
    value = await sched.run(body, "simulate");
  } catch (error) {
    throw sched.failure(error);
  }
  return {
    value,
    seed: sched.seed,
    steps: sched.steps,
    virtualTimeMs: sched.virtualTimeMs,
    trace: sched.trace,
    // Computed when read: most runs of a sweep are never asked for them.
    get traceHash(): string {
      return sched.traceHash;
    },
    get replay(): string {
      return sched.replay;
    },
  };
}

/** The scheduler for a set of simulate options. */
export function schedulerFor(options: SimulateOptions, fn = "simulate"): SimScheduler {
  checkOptions(fn, options);
  const { replay, schedule } = options;
  if (replay !== undefined) {
    if (schedule !== undefined) throw new TypeError("simulate: give either replay or schedule, not both");
    const data = decodeReplay(replay);
    if (options.seed !== undefined && options.seed !== data.seed) {
      throw new TypeError(`simulate: seed ${options.seed} contradicts the replay's seed ${data.seed}`);
    }
    return new SimScheduler({
      seed: data.seed,
      maxSteps: options.maxSteps ?? data.maxSteps,
      timerSlackMs: data.timerSlackMs,
      strategy: new ReplayStrategy(
        data.departures,
        options.onDivergence === "continue" ? "lenient" : "strict",
      ),
    });
  }
  let strategy: Strategy | undefined;
  if (schedule !== undefined) {
    if (!Array.isArray(schedule) || !schedule.every((n) => Number.isSafeInteger(n) && n >= 0)) {
      throw new TypeError("simulate: schedule must be an array of non-negative integers");
    }
    strategy = new ListStrategy(schedule);
  }
  const o: ConstructorParameters<typeof SimScheduler>[0] = {};
  if (options.seed !== undefined) o.seed = options.seed;
  if (options.maxSteps !== undefined) o.maxSteps = options.maxSteps;
  if (options.timerSlackMs !== undefined) o.timerSlackMs = options.timerSlackMs;
  if (strategy !== undefined) o.strategy = strategy;
  return new SimScheduler(o);
}
