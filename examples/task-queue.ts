/**
 * Task queue with a worker pool.
 *
 * A `JobQueue` GenServer holds pending jobs and records outcomes. Workers run under a
 * one-for-one Supervisor next to it and find it by registered name. Each Worker pulls
 * jobs while it has capacity and runs each as a task (`spawnTask`, capped with
 * `setMaxTasks`); the task's end arrives as `handleTaskEnd`, which reports success or
 * failure to the queue and pulls again. A worker that finds the queue empty is
 * remembered by the queue and woken by the next enqueue, so nobody polls. Some jobs
 * fail on purpose: a failing task is an outcome, not a crash of its worker.
 */
import {
  ANY,
  GenServer,
  RestartStrategy,
  RestartType,
  Supervisor,
  call,
  cast,
  childSpec,
  countChildren,
  on,
  register,
  send,
  sleep,
  whereis,
  whichChildren,
  withScope,
  type From,
  type Pid,
  type Scope,
} from "fauxtp";

export const QUEUE_NAME = "jobs:queue";

export type JobKind = "compute" | "io" | "network";

export interface Job {
  id: string;
  n: number;
  kind: JobKind;
  data: string;
  /** Simulated processing time. */
  costMs: number;
}

export interface CompletedJob {
  id: string;
  worker: string;
  result: string;
}

export interface FailedJob {
  id: string;
  worker: string;
  error: string;
}

export interface QueueStats {
  pending: number;
  inProgress: number;
  completed: number;
  failed: number;
}

const KINDS: readonly JobKind[] = ["compute", "io", "network"];

/** Job `n`: its kind cycles, its cost is 1..4 ms, and every fifth job is doomed to fail. */
export function makeJob(n: number): Job {
  return {
    id: `job_${n}`,
    n,
    kind: KINDS[n % KINDS.length] ?? "compute",
    data: `data_${n}`,
    costMs: 1 + (n % 4),
  };
}

/** The work itself, run inside a task. */
export async function processJob(job: Job): Promise<string> {
  await sleep(job.costMs);
  if (job.n % 5 === 4) throw new Error(`${job.id}: simulated failure`);
  switch (job.kind) {
    case "compute":
      return `sum(1..${job.n})=${(job.n * (job.n + 1)) / 2}`;
    case "io":
      return `wrote ${job.data.length} bytes`;
    case "network":
      return `fetched ${job.data}`;
  }
}

/** The message of a task's failure reason (a crash carrying the thrown error). */
export function failureMessage(reason: unknown): string {
  const error = typeof reason === "object" && reason !== null && "error" in reason ? reason.error : reason;
  return error instanceof Error ? error.message : String(error);
}

function lookup(name: string): Pid {
  const pid = whereis(name);
  if (pid === undefined) throw new Error(`no process registered as ${name}`);
  return pid;
}

type QueueCall = readonly ["dequeue", workerId: string, worker: Pid] | "stats" | "report";

type QueueCast =
  | readonly ["enqueue", job: Job]
  | readonly ["complete", jobId: string, workerId: string, result: string]
  | readonly ["fail", jobId: string, workerId: string, error: string]
  | readonly ["notify_when_finished", total: number, notify: Pid];

interface QueueState {
  readonly pending: readonly Job[];
  /** job id -> worker id */
  readonly inProgress: ReadonlyMap<string, string>;
  readonly completed: readonly CompletedJob[];
  readonly failed: readonly FailedJob[];
  /** Workers that found the queue empty, to be woken by the next enqueue. */
  readonly waiting: readonly Pid[];
  readonly watchers: ReadonlyArray<{ total: number; notify: Pid }>;
}

export interface QueueReport {
  stats: QueueStats;
  completed: CompletedJob[];
  failed: FailedJob[];
}

/** The central queue: FIFO of pending jobs and the book of outcomes. */
export class JobQueue extends GenServer<QueueState, QueueCall, QueueCast> {
  override init(): QueueState {
    if (!register(QUEUE_NAME, this.pid)) this.stop(`name ${QUEUE_NAME} already registered`);
    return { pending: [], inProgress: new Map(), completed: [], failed: [], waiting: [], watchers: [] };
  }

  override handleCall(request: QueueCall, _from: From, state: QueueState): [unknown, QueueState] {
    if (request === "stats") return [stats(state), state];
    if (request === "report") {
      const byNumber = (a: { id: string }, b: { id: string }) =>
        a.id.localeCompare(b.id, "en", { numeric: true });
      const report: QueueReport = {
        stats: stats(state),
        completed: [...state.completed].sort(byNumber),
        failed: [...state.failed].sort(byNumber),
      };
      return [report, state];
    }
    const [, workerId, worker] = request;
    const [job, ...rest] = state.pending;
    if (job === undefined) {
      // Dequeue and "wake me" are one step, so an enqueue can't slip in between.
      const waiting = state.waiting.includes(worker) ? state.waiting : [...state.waiting, worker];
      return [null, { ...state, waiting }];
    }
    const inProgress = new Map(state.inProgress).set(job.id, workerId);
    return [job, { ...state, pending: rest, inProgress }];
  }

  override handleCast(request: QueueCast, state: QueueState): QueueState {
    switch (request[0]) {
      case "enqueue": {
        for (const worker of state.waiting) cast(worker, "pull" satisfies WorkerCast);
        return { ...state, pending: [...state.pending, request[1]], waiting: [] };
      }
      case "complete": {
        const [, id, worker, result] = request;
        return this.settle({ ...state, completed: [...state.completed, { id, worker, result }] }, id);
      }
      case "fail": {
        const [, id, worker, error] = request;
        return this.settle({ ...state, failed: [...state.failed, { id, worker, error }] }, id);
      }
      case "notify_when_finished": {
        const [, total, notify] = request;
        return this.notifyFinished({ ...state, watchers: [...state.watchers, { total, notify }] });
      }
    }
  }

  private settle(state: QueueState, jobId: string): QueueState {
    const inProgress = new Map(state.inProgress);
    inProgress.delete(jobId);
    return this.notifyFinished({ ...state, inProgress });
  }

  /** Tells each watcher whose total has been reached, and forgets it. */
  private notifyFinished(state: QueueState): QueueState {
    const done = state.completed.length + state.failed.length;
    const [reached, waiting] = partition(state.watchers, (w) => done >= w.total);
    for (const w of reached) send(w.notify, ["jobs_finished", stats(state)]);
    return reached.length === 0 ? state : { ...state, watchers: waiting };
  }
}

function stats(state: QueueState): QueueStats {
  return {
    pending: state.pending.length,
    inProgress: state.inProgress.size,
    completed: state.completed.length,
    failed: state.failed.length,
  };
}

function partition<T>(items: readonly T[], pred: (item: T) => boolean): [T[], T[]] {
  return [items.filter(pred), items.filter((item) => !pred(item))];
}

type WorkerCast = "pull";

export interface WorkerStats {
  id: string;
  succeeded: number;
  failed: number;
}

interface WorkerState extends WorkerStats {
  /** Running tasks: task pid -> job. */
  readonly active: ReadonlyMap<Pid, Job>;
}

/** Pulls jobs while it has capacity and runs each as a task. */
export class Worker extends GenServer<WorkerState, "stats", WorkerCast> {
  readonly workerId: string;
  readonly capacity: number;

  constructor(workerId: string, capacity = 2) {
    super();
    this.workerId = workerId;
    this.capacity = capacity;
  }

  override init(): WorkerState {
    this.setMaxTasks(this.capacity);
    // Ask for work as soon as the loop runs (after init, the supervisor's start goes on).
    cast(this.pid, "pull" satisfies WorkerCast);
    return { id: this.workerId, succeeded: 0, failed: 0, active: new Map() };
  }

  override handleCast(_request: WorkerCast, state: WorkerState): Promise<WorkerState> {
    return this.fill(state);
  }

  override handleCall(_request: "stats", _from: From, state: WorkerState): [WorkerStats, WorkerState] {
    const { id, succeeded, failed } = state;
    return [{ id, succeeded, failed }, state];
  }

  override async handleTaskEnd(
    taskPid: Pid,
    status: "success" | "failure",
    result: unknown,
    state: WorkerState,
  ): Promise<WorkerState> {
    const job = state.active.get(taskPid);
    if (job === undefined) return state;
    const active = new Map(state.active);
    active.delete(taskPid);
    const queue = lookup(QUEUE_NAME);
    if (status === "success") {
      cast(queue, ["complete", job.id, this.workerId, String(result)] satisfies QueueCast);
      return this.fill({ ...state, active, succeeded: state.succeeded + 1 });
    }
    cast(queue, ["fail", job.id, this.workerId, failureMessage(result)] satisfies QueueCast);
    return this.fill({ ...state, active, failed: state.failed + 1 });
  }

  /** Takes jobs until full or the queue is empty (then the queue wakes us on the next enqueue). */
  private async fill(state: WorkerState): Promise<WorkerState> {
    const active = new Map(state.active);
    while (active.size < this.capacity) {
      const queue = lookup(QUEUE_NAME);
      const job = await call<Job | null>(queue, ["dequeue", this.workerId, this.pid] satisfies QueueCall);
      if (job === null) break;
      const task = this.spawnTask(processJob, job);
      if (task === null) {
        // At the task cap after all: hand the job back.
        cast(queue, ["enqueue", job] satisfies QueueCast);
        break;
      }
      active.set(task, job);
    }
    return { ...state, active };
  }
}

type ProducerCast = readonly ["produce", count: number];

/** Feeds jobs to the queue one by one, a millisecond apart, as if they arrived over time. */
export class JobProducer extends GenServer<{ produced: number }, "stats", ProducerCast> {
  override init() {
    return { produced: 0 };
  }

  override async handleCast([, count]: ProducerCast, state: { produced: number }) {
    let produced = state.produced;
    for (let i = 0; i < count; i++) {
      cast(lookup(QUEUE_NAME), ["enqueue", makeJob(produced)] satisfies QueueCast);
      produced++;
      await sleep(1);
    }
    return { produced };
  }

  override handleCall(
    _request: "stats",
    _from: From,
    state: { produced: number },
  ): [number, { produced: number }] {
    return [state.produced, state];
  }
}

/** The queue first, then the workers; each is restarted alone if it crashes. */
export class TaskQueueApp extends Supervisor {
  override strategy = RestartStrategy.ONE_FOR_ONE;
  override maxRestarts = 3;
  override maxSeconds = 5;

  readonly workers: number;
  readonly capacity: number;

  constructor(workers: number, capacity: number) {
    super();
    this.workers = workers;
    this.capacity = capacity;
  }

  override childSpecs() {
    return [
      childSpec({ id: "queue", actor: JobQueue, restart: RestartType.PERMANENT }),
      ...Array.from({ length: this.workers }, (_, i) =>
        childSpec({
          id: `worker${i + 1}`,
          actor: Worker,
          args: [`W${i + 1}`, this.capacity],
          restart: RestartType.PERMANENT,
        }),
      ),
    ];
  }
}

export const JOBS = 15;
export const WORKERS = 3;
export const CAPACITY = 2;

export interface TaskQueueResult {
  /** What the queue reported when the last job settled. */
  finishedStats: QueueStats;
  /** Outcomes without the worker (which worker ran which job depends on timing). */
  completed: Array<{ id: string; result: string }>;
  failed: Array<{ id: string; error: string }>;
  /** Jobs settled, counted by the workers themselves. */
  handledByWorkers: number;
  produced: number;
  children: string[];
  runningChildren: number;
}

export async function run(scope: Scope): Promise<TaskQueueResult> {
  const sup = await TaskQueueApp.start(scope, WORKERS, CAPACITY);
  const queue = lookup(QUEUE_NAME);
  const inbox = scope.inbox();

  cast(queue, ["notify_when_finished", JOBS, inbox.pid] satisfies QueueCast);
  const producer = await JobProducer.start(scope);
  cast(producer, ["produce", JOBS] satisfies ProducerCast);

  // The queue reports when every job has settled; the timeout only guards a hang.
  const finishedStats = await inbox.receive(
    on(["jobs_finished", ANY], (s: QueueStats) => s),
    { timeout: 5_000 },
  );

  const report = await call<QueueReport>(queue, "report");
  const children = await whichChildren(sup);
  const workerStats = await Promise.all(
    children
      .filter((c) => c.id.startsWith("worker"))
      .map((c) => {
        if (c.pid === undefined) throw new Error(`${c.id} is not running`);
        return call<WorkerStats>(c.pid, "stats");
      }),
  );
  return {
    finishedStats,
    completed: report.completed.map(({ id, result }) => ({ id, result })),
    failed: report.failed.map(({ id, error }) => ({ id, error })),
    handledByWorkers: workerStats.reduce((sum, w) => sum + w.succeeded + w.failed, 0),
    produced: await call<number>(producer, "stats"),
    children: children.map((c) => c.id),
    runningChildren: await countChildren(sup),
  };
}

export async function main(): Promise<void> {
  console.log("=== Task queue with a worker pool ===");
  const result = await withScope(run);
  console.log(`produced ${result.produced} jobs for ${WORKERS} workers (capacity ${CAPACITY} each)`);
  console.log(`supervised children: ${result.children.join(", ")} (${result.runningChildren} running)`);
  for (const c of result.completed) console.log(`  ok   ${c.id}: ${c.result}`);
  for (const f of result.failed) console.log(`  FAIL ${f.id}: ${f.error}`);
  console.log(
    `final stats: ${JSON.stringify(result.finishedStats)}; workers handled ${result.handledByWorkers}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
