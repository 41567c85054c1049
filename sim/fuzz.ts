/**
 * The fuzzing engine behind `fuzz` (fauxtp/vitest): run a body over many seeded
 * schedules, and on a failure check that it reproduces, shrink its schedule to a
 * minimal one, and produce a replay token. Usable without any test runner.
 */
import type { Scope } from "../src/index.js";
import { render } from "../src/index.js";
import { SimulationFailure } from "./errors.js";
import { SimScheduler } from "./scheduler.js";
import { schedulerFor } from "./simulate.js";
import { type Departure, ReplayStrategy } from "./strategy.js";
import { formatEvent, type TraceEvent } from "./trace.js";

/** Options of `explore` (and of `fuzz`). */
export interface ExploreOptions {
  /** Schedules to try (default 100). */
  runs?: number;
  /** The seed of the first run; run i uses `seed + i` (default 0). */
  seed?: number;
  /** Scheduling steps per run before it fails (default 1,000,000). */
  maxSteps?: number;
  /** See `simulate`. */
  timerSlackMs?: number;
  /** Shrink a failing schedule (default true). */
  shrink?: boolean;
  /** Runs the shrinker may spend (default 2,000). */
  shrinkBudget?: number;
  /** Run exactly this replay token once instead of exploring. */
  replay?: string;
  /** Called after each run. */
  onRun?: (done: number, total: number) => void;
}

/** One run of a schedule, as kept in a report. */
export interface ScheduleRun {
  /** Departures from the default order. */
  readonly departures: number;
  readonly trace: readonly TraceEvent[];
  readonly traceHash: string;
  /** The replay token of this run. */
  readonly replay: string;
  /** What it failed with: the body's error, or the SimulationFailure (deadlock, escape...). */
  readonly error: unknown;
}

/** A failure that `explore` found. */
export interface FoundFailure {
  /** The 0-based index of the failing run. */
  readonly run: number;
  readonly seed: number;
  /** The failing run as found. */
  readonly original: ScheduleRun;
  /** The shrunk schedule (the same as `original` without shrinking). */
  readonly shrunk: ScheduleRun;
  /** Runs spent shrinking. */
  readonly shrinkRuns: number;
  /** Set when running the same schedule again gave a different trace. */
  readonly nondeterminism?: string;
  /** Set when a replay token did not fit the code (it went on with default decisions). */
  readonly divergence?: string;
}

/** What `explore` found. */
export interface ExploreReport {
  /** Runs performed before stopping (all of them when nothing failed). */
  readonly runs: number;
  /** The total scheduling steps of those runs. */
  readonly steps: number;
  readonly failure?: FoundFailure;
  /** Set when a replay token did not fit the code and the run passed anyway. */
  readonly divergence?: string;
}

type Body = (scope: Scope) => unknown;

interface Outcome {
  readonly sched: SimScheduler;
  readonly error?: unknown;
  readonly failed: boolean;
}

async function runWith(body: Body, sched: SimScheduler): Promise<Outcome> {
  try {
    await sched.run(body, "fuzz");
    return { sched, failed: false };
  } catch (error) {
    const wrapped = sched.failure(error);
    // Report the body's own error; keep simulator failures (deadlock, escape) whole.
    const shown = wrapped.constructor === SimulationFailure ? wrapped.cause : wrapped;
    return { sched, error: shown, failed: true };
  }
}

function scheduleRun(o: Outcome): ScheduleRun {
  const s = o.sched;
  return {
    departures: s.departures.length,
    trace: s.trace,
    traceHash: s.traceHash,
    replay: s.replay,
    error: o.error,
  };
}

/** The kind of a failure, to keep shrinking on the same bug. */
function kindOf(error: unknown): string {
  if (error instanceof Error) return error.name;
  return typeof error;
}

/** Where two traces first differ, as text. */
export function firstDifference(a: readonly TraceEvent[], b: readonly TraceEvent[]): string {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = formatEvent(a[i] as TraceEvent);
    const y = formatEvent(b[i] as TraceEvent);
    if (x !== y) return `event ${i + 1}:\n    first run:  ${x}\n    second run: ${y}`;
  }
  return a.length === b.length
    ? "nowhere (same events, different hash)"
    : `event ${n + 1}: one run ended there`;
}

/**
 * Run `body` over `runs` seeded schedules; stop at the first failure, check that it
 * reproduces, and shrink its schedule so that undoing any single remaining departure
 * from the default order makes the failure disappear.
 */
export async function explore(body: Body, options: ExploreOptions = {}): Promise<ExploreReport> {
  if (typeof body !== "function")
    throw new TypeError(`explore: expected a body function, got ${typeof body}`);
  const runs = options.runs ?? 100;
  if (!Number.isSafeInteger(runs) || runs <= 0)
    throw new TypeError(`explore: runs must be a positive integer, got ${render(runs)}`);
  const base = options.seed ?? 0;
  if (!Number.isSafeInteger(base) || base < 0)
    throw new TypeError(`explore: seed must be a non-negative integer, got ${render(base)}`);
  const common: { maxSteps?: number; timerSlackMs?: number } = {};
  if (options.maxSteps !== undefined) common.maxSteps = options.maxSteps;
  if (options.timerSlackMs !== undefined) common.timerSlackMs = options.timerSlackMs;

  if (options.replay !== undefined) {
    const sched = schedulerFor({ ...common, replay: options.replay, onDivergence: "continue" });
    const o = await runWith(body, sched);
    const divergence = sched.divergences.map((d) => d.message).join("; ");
    if (!o.failed)
      return divergence === ""
        ? { runs: 1, steps: sched.steps }
        : { runs: 1, steps: sched.steps, divergence };
    const again = await runWith(
      body,
      schedulerFor({ ...common, replay: options.replay, onDivergence: "continue" }),
    );
    const run = scheduleRun(o);
    const failure: FoundFailure = {
      run: 0,
      seed: sched.seed,
      original: run,
      shrunk: run,
      shrinkRuns: 0,
      ...(again.sched.traceHash !== sched.traceHash
        ? { nondeterminism: firstDifference(sched.trace, again.sched.trace) }
        : {}),
      ...(divergence !== "" ? { divergence } : {}),
    };
    return { runs: 1, steps: sched.steps, failure };
  }

  let steps = 0;
  for (let i = 0; i < runs; i++) {
    const seed = base + i;
    const o = await runWith(body, new SimScheduler({ ...common, seed }));
    steps += o.sched.steps;
    options.onRun?.(i + 1, runs);
    if (!o.failed) continue;
    // Does it reproduce? The same seed must give the same trace.
    const again = await runWith(body, new SimScheduler({ ...common, seed }));
    const original = scheduleRun(o);
    if (again.sched.traceHash !== o.sched.traceHash) {
      const nondeterminism = firstDifference(o.sched.trace, again.sched.trace);
      return {
        runs: i + 1,
        steps,
        failure: { run: i, seed, original, shrunk: original, shrinkRuns: 0, nondeterminism },
      };
    }
    if (options.shrink === false) {
      return { runs: i + 1, steps, failure: { run: i, seed, original, shrunk: original, shrinkRuns: 0 } };
    }
    const { outcome, spent } = await shrink(body, o, seed, common, options.shrinkBudget ?? 2000);
    return {
      runs: i + 1,
      steps,
      failure: { run: i, seed, original, shrunk: scheduleRun(outcome), shrinkRuns: spent },
    };
  }
  return { runs, steps };
}

/**
 * Shrink a failing run's departures from the default order, by name: drop chunks of them,
 * then single ones, replaying the rest leniently (each keeps naming the same event), until
 * no single departure can be undone without the failure (of the same kind) disappearing.
 */
async function shrink(
  body: Body,
  failing: Outcome,
  seed: number,
  common: { maxSteps?: number; timerSlackMs?: number },
  budget: number,
): Promise<{ outcome: Outcome; spent: number }> {
  const kind = kindOf(failing.error);
  let best = failing;
  let departures: readonly Departure[] = failing.sched.departures;
  let spent = 0;

  const attempt = async (candidate: readonly Departure[]): Promise<boolean> => {
    spent++;
    const strategy = new ReplayStrategy(candidate, "lenient");
    const o = await runWith(body, new SimScheduler({ ...common, seed, strategy }));
    if (!o.failed || kindOf(o.error) !== kind) return false;
    best = o;
    departures = o.sched.departures; // those that applied: a subset of the candidate
    return true;
  };
  const without = (drop: ReadonlySet<number>): Departure[] => departures.filter((_, i) => !drop.has(i));

  // Chunks first (coarse to fine).
  let chunks = 2;
  while (spent < budget && departures.length > 0) {
    const size = Math.ceil(departures.length / chunks);
    let progressed = false;
    for (let start = 0; start < departures.length && spent < budget; start += size) {
      const drop = new Set(
        Array.from({ length: Math.min(size, departures.length - start) }, (_, k) => start + k),
      );
      if (await attempt(without(drop))) {
        progressed = true;
        break;
      }
    }
    if (progressed) chunks = Math.max(2, chunks - 1);
    else if (size === 1) break;
    else chunks = Math.min(departures.length, chunks * 2);
  }
  // Then make sure it is 1-minimal: undoing any single departure passes.
  for (let changed = true; changed && spent < budget;) {
    changed = false;
    for (let i = 0; i < departures.length && spent < budget; i++) {
      if (await attempt(without(new Set([i])))) {
        changed = true;
        break;
      }
    }
  }
  return { outcome: best, spent };
}
