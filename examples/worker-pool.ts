/**
 * A worker pool under a supervisor, with a race and its fix.
 *
 * A dispatcher hands jobs to idle workers and books each job as in flight until the
 * worker reports it done. Workers run under a one-for-one supervisor; a worker that
 * crashes tells the dispatcher with its last word (`down`, from `terminate`), the
 * dispatcher puts the job it had back in the queue, and the supervisor restarts the
 * worker, whose new instance says `ready`. One job is a poison job: its first attempt
 * crashes the worker.
 *
 * The race: the racy dispatcher books in-flight jobs by worker name (`w1`). The old
 * instance's `down` and the new instance's `ready` come from two processes, so nothing
 * orders them. When `ready` wins, the dispatcher hands the new instance a job in the
 * same slot, overwriting the crashed job (lost for good), and the late `down` then puts
 * back the job that the new instance is running (done twice).
 *
 * The fix: book in-flight jobs by worker instance (its pid). A `down` re-queues exactly
 * what that instance held, whenever it arrives, and cannot touch its successor's job.
 */
import {
  cast,
  call,
  childSpec,
  GenServer,
  RestartStrategy,
  RestartType,
  sleep,
  Supervisor,
  withScope,
  type ExitReason,
  type From,
  type Pid,
  type Scope,
} from "fauxtp";

/** A job: `attempt` counts earlier tries; a poison job crashes its first attempt. */
export interface Job {
  readonly id: string;
  readonly costMs: number;
  readonly poison: boolean;
  readonly attempt: number;
}

type DispatcherCast =
  | readonly ["submit", job: Job]
  | readonly ["ready", worker: string, pid: Pid]
  | readonly ["done", worker: string, pid: Pid, jobId: string]
  | readonly ["down", worker: string, pid: Pid];

/** What the dispatcher reports: how many times each submitted job completed. */
export interface PoolReport {
  readonly submitted: readonly string[];
  readonly completions: Readonly<Record<string, number>>;
}

interface DispatcherState {
  readonly pending: readonly Job[];
  /** Workers waiting for a job, by pid. */
  readonly idle: ReadonlyMap<Pid, string>;
  /** Jobs handed out and not yet done, by booking slot (see `slotOf`). */
  readonly inFlight: ReadonlyMap<unknown, Job>;
  readonly submitted: readonly string[];
  readonly completions: ReadonlyMap<string, number>;
}

/** The dispatcher: a queue of jobs, the idle workers and the book of jobs in flight. */
export abstract class Dispatcher extends GenServer<DispatcherState, "report", DispatcherCast> {
  /** The booking slot of a job handed to worker `name` running as `pid`. */
  protected abstract slotOf(name: string, pid: Pid): unknown;

  override init(): DispatcherState {
    return { pending: [], idle: new Map(), inFlight: new Map(), submitted: [], completions: new Map() };
  }

  override handleCall(
    _request: "report",
    _from: From,
    state: DispatcherState,
  ): [PoolReport, DispatcherState] {
    return [{ submitted: state.submitted, completions: Object.fromEntries(state.completions) }, state];
  }

  override handleCast(request: DispatcherCast, state: DispatcherState): DispatcherState {
    switch (request[0]) {
      case "submit": {
        const job = request[1];
        return this.dispatch({
          ...state,
          pending: [...state.pending, job],
          submitted: [...state.submitted, job.id],
        });
      }
      case "ready": {
        const [, name, pid] = request;
        return this.dispatch({ ...state, idle: new Map(state.idle).set(pid, name) });
      }
      case "done": {
        const [, name, pid, jobId] = request;
        const inFlight = new Map(state.inFlight);
        inFlight.delete(this.slotOf(name, pid));
        const completions = new Map(state.completions).set(jobId, (state.completions.get(jobId) ?? 0) + 1);
        return this.dispatch({ ...state, inFlight, completions, idle: new Map(state.idle).set(pid, name) });
      }
      case "down": {
        const [, name, pid] = request;
        const slot = this.slotOf(name, pid);
        const lost = state.inFlight.get(slot);
        const idle = new Map(state.idle);
        idle.delete(pid);
        if (lost === undefined) return { ...state, idle };
        const inFlight = new Map(state.inFlight);
        inFlight.delete(slot);
        const retry: Job = { ...lost, attempt: lost.attempt + 1 };
        return this.dispatch({ ...state, idle, inFlight, pending: [retry, ...state.pending] });
      }
    }
  }

  /** Hand pending jobs to idle workers, booking each as in flight. */
  private dispatch(state: DispatcherState): DispatcherState {
    if (state.pending.length === 0 || state.idle.size === 0) return state;
    const pending = [...state.pending];
    const idle = new Map(state.idle);
    const inFlight = new Map(state.inFlight);
    for (const [pid, name] of state.idle) {
      const job = pending.shift();
      if (job === undefined) break;
      idle.delete(pid);
      inFlight.set(this.slotOf(name, pid), job);
      cast(pid, ["job", job] satisfies WorkerCast);
    }
    return { ...state, pending, idle, inFlight };
  }
}

/** The racy dispatcher books jobs by worker name: a restarted worker shares its predecessor's slot. */
export class RacyDispatcher extends Dispatcher {
  protected override slotOf(name: string): unknown {
    return name;
  }
}

/** The fixed dispatcher books jobs by worker instance: each pid has its own slot. */
export class FixedDispatcher extends Dispatcher {
  protected override slotOf(_name: string, pid: Pid): unknown {
    return pid;
  }
}

type WorkerCast = readonly ["job", job: Job];

/** A worker: announces itself ready, runs one job at a time, reports each one done. */
export class Worker extends GenServer<undefined, never, WorkerCast> {
  private readonly name: string;
  private readonly dispatcher: Pid;
  constructor(name: string, dispatcher: Pid) {
    super();
    this.name = name;
    this.dispatcher = dispatcher;
  }

  override init(): undefined {
    cast(this.dispatcher, ["ready", this.name, this.pid] satisfies DispatcherCast);
    return undefined;
  }

  override async handleCast([, job]: WorkerCast, state: undefined): Promise<undefined> {
    await sleep(job.costMs);
    if (job.poison && job.attempt === 0) throw new Error(`${job.id} is poison: the worker crashed`);
    cast(this.dispatcher, ["done", this.name, this.pid, job.id] satisfies DispatcherCast);
    return state;
  }

  /** The worker's last word: whatever it held is not going to be done by it. */
  override terminate(_reason: ExitReason): void {
    cast(this.dispatcher, ["down", this.name, this.pid] satisfies DispatcherCast);
  }
}

/** The workers, each restarted alone when it crashes. */
export class Pool extends Supervisor {
  override strategy = RestartStrategy.ONE_FOR_ONE;
  override maxRestarts = 5;
  override maxSeconds = 5;
  private readonly dispatcher: Pid;
  private readonly names: readonly string[];
  constructor(dispatcher: Pid, names: readonly string[]) {
    super();
    this.dispatcher = dispatcher;
    this.names = names;
  }
  override childSpecs() {
    return this.names.map((name) =>
      childSpec({ id: name, actor: Worker, args: [name, this.dispatcher], restart: RestartType.PERMANENT }),
    );
  }
}

/** The jobs of the scenario: `j2` is poison. */
export const JOBS: readonly Job[] = Array.from({ length: 6 }, (_, i) => ({
  id: `j${i + 1}`,
  costMs: 1 + (i % 2),
  poison: i === 1,
  attempt: 0,
}));

/**
 * The scenario the fuzz tests run: a dispatcher, a pool of two workers, six jobs of
 * which one is poison; then, once everything has settled, the invariant: every
 * submitted job completed exactly once. In the default order the crashed worker's
 * `down` arrives before its successor's `ready`; only schedules where `ready` overtakes
 * it expose the race.
 */
export function workerPoolScenario(variant: "racy" | "fixed"): (scope: Scope) => Promise<PoolReport> {
  return async (scope) => {
    const dispatcher =
      variant === "racy" ? await RacyDispatcher.start(scope) : await FixedDispatcher.start(scope);
    await Pool.start(scope, dispatcher, ["w1", "w2"]);
    for (const job of JOBS) cast(dispatcher, ["submit", job] satisfies DispatcherCast);
    // Far longer than the work takes (jobs cost 1-2 ms): every job has settled, or never will.
    await sleep(100);
    const report = await call<PoolReport>(dispatcher, "report");
    const problems: string[] = [];
    for (const id of report.submitted) {
      const n = report.completions[id] ?? 0;
      if (n === 0) problems.push(`${id} was lost`);
      else if (n > 1) problems.push(`${id} completed ${n} times`);
    }
    if (problems.length > 0) {
      throw new Error(`every job must complete exactly once, but ${problems.join(" and ")}`);
    }
    return report;
  };
}

export async function main(): Promise<void> {
  const report = await withScope(workerPoolScenario("fixed"));
  const done = Object.entries(report.completions).map(([id, n]) => `${id}×${n}`);
  console.log(`worker pool: a poison job crashed a worker; completions: ${done.join(", ")}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
