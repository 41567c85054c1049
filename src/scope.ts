/**
 * Scopes: structured concurrency for processes. Nothing started in a scope outlives it.
 */
import { describeValue, type ExitReason } from "./errors.js";
import type { Pid } from "./pid.js";
import { receiveOn, type Clause, type ClauseResult, type ReceiveOptions } from "./receive.js";
import {
  claimAmbient,
  currentRuntime,
  Proc,
  type ProcHost,
  releaseAmbient,
  RUNNING,
  type Runtime,
  runtimeFor,
} from "./runtime.js";
import type { Scheduler } from "./scheduler.js";

/**
 * A group of processes stopped together. `withScope` makes one for its body; every
 * actor has one for its children (`this.children`).
 */
export class Scope {
  /** @internal */
  readonly rt: Runtime;
  private readonly procs = new Set<Proc>();
  private closing = false;

  /** @internal made by `withScope` and by actors */
  constructor(rt: Runtime) {
    this.rt = rt;
  }

  /** True once the scope has begun to stop its processes. */
  get closed(): boolean {
    return this.closing;
  }

  /** The pids of the processes running in this scope, in start order. */
  pids(): Pid[] {
    return [...this.procs].map((p) => p.pid);
  }

  /**
   * A mailbox with a pid for code that is not an actor (a test, a main program): actors
   * send to `inbox.pid`, and `inbox.receive(...)` waits selectively, like an actor.
   * It belongs to the scope and closes with it.
   */
  inbox(): Inbox {
    return new Inbox(this);
  }

  /** @internal */
  add(proc: Proc): void {
    if (this.closing) throw new Error(`cannot start ${proc.name}: its scope is closed`);
    this.procs.add(proc);
  }

  /** @internal */
  remove(proc: Proc): void {
    this.procs.delete(proc);
  }

  /** Stop every process in the scope, in reverse start order, each with `reason` (terminate runs). */
  async close(reason: ExitReason = "shutdown"): Promise<void> {
    this.closing = true;
    while (this.procs.size > 0) {
      const procs = [...this.procs].reverse();
      for (const proc of procs) await proc.exit(reason);
    }
  }
}

const inboxHost: ProcHost = {
  begin() {},
  drain(proc) {
    proc.waiter?.scan(proc);
  },
  terminate() {},
  stopChildren() {},
};

/** A mailbox with a pid, for code that is not an actor. Made by `scope.inbox()`. */
export class Inbox {
  /** Where actors send to reach this inbox. */
  readonly pid: Pid;
  private readonly proc: Proc;

  /** @internal made by `scope.inbox()` */
  constructor(scope: Scope) {
    const proc = new Proc(scope.rt, "Inbox", inboxHost, scope);
    scope.add(proc);
    proc.begun = true;
    proc.passive = true;
    proc.status = RUNNING;
    this.proc = proc;
    this.pid = proc.pid;
  }

  /**
   * Wait for the oldest message matching one of the clauses; others stay in order.
   * @throws ReceiveTimeout (`No matching message within <n>ms`) with `{ timeout }`.
   */
  receive<C extends Clause<any>[]>(
    ...args: [...C] | [...C, ReceiveOptions]
  ): Promise<ClauseResult<C[number]>> {
    return receiveOn(this.proc, "Inbox.receive", args);
  }

  /** Messages waiting in the inbox, oldest first (a copy). */
  pending(): unknown[] {
    return this.proc.mailbox.toArray();
  }
}

/** Options of `withScope`. */
export interface ScopeOptions {
  /** The scheduler that runs the scope's processes. Default: the shared `MicrotaskScheduler`. */
  scheduler?: Scheduler;
}

/**
 * Run `body(scope)`. When it settles, every process started in the scope (and their
 * children) is stopped with reason `"shutdown"`, in reverse start order, and only then
 * does `withScope` settle with the body's outcome.
 * @example
 * const n = await withScope(async (scope) => call(await Counter.start(scope), "get"));
 */
export async function withScope<T>(
  body: (scope: Scope) => T | Promise<T>,
  options?: ScopeOptions,
): Promise<T> {
  if (typeof body !== "function")
    throw new TypeError(`withScope: expected a body function, got ${describeValue(body)}`);
  const scheduler = options?.scheduler;
  if (scheduler?.runScope !== undefined) return scheduler.runScope(body);
  const rt = scheduler !== undefined ? runtimeFor(scheduler) : currentRuntime();
  // On an explicit scheduler, now(), sleep() and the registry use it while the scope runs.
  if (scheduler !== undefined) claimAmbient(rt);
  try {
    const scope = new Scope(rt);
    let value: T;
    try {
      value = await body(scope);
    } catch (error) {
      await scope.close("shutdown");
      throw error;
    }
    await scope.close("shutdown");
    return value;
  } finally {
    if (scheduler !== undefined) releaseAmbient(rt);
  }
}
