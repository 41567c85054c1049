/**
 * Task: a function run as a process, joined for its value or cancelled.
 */
import { describeValue, type ExitReason, reasonOf, TaskFailed } from "./errors.js";
import { Pid } from "./pid.js";
import {
  EXITING,
  type ExitListener,
  Failure,
  isThenable,
  Proc,
  type ProcHost,
  RUNNING,
  Slot,
} from "./runtime.js";
import { Scope } from "./scope.js";

/** @internal runs the task function */
export class TaskHost implements ProcHost {
  private readonly fn: (...args: any[]) => unknown;
  private readonly args: readonly unknown[];
  completed = false;
  result: unknown;

  constructor(fn: (...args: any[]) => unknown, args: readonly unknown[]) {
    this.fn = fn;
    this.args = args;
  }

  begin(proc: Proc): void {
    if (proc.status >= EXITING) return;
    proc.status = RUNNING;
    let r: unknown;
    try {
      r = this.fn(...this.args);
    } catch (e) {
      void proc.exit(reasonOf(e));
      return;
    }
    if (isThenable(r)) {
      r.then(
        (v) => this.done(proc, v),
        (e) => {
          if (proc.status === RUNNING) void proc.exit(reasonOf(e));
        },
      );
    } else {
      this.done(proc, r);
    }
  }

  private done(proc: Proc, value: unknown): void {
    if (proc.status !== RUNNING) return;
    this.completed = true;
    this.result = value;
    void proc.exit("normal");
  }

  drain(): void {}
  terminate(): void {}
  stopChildren(): void {}
}

/** @internal start a task process in `scope` */
export function spawnTaskProc(
  scope: Scope,
  fn: (...args: any[]) => unknown,
  args: readonly unknown[],
  listener?: ExitListener,
): Proc {
  const host = new TaskHost(fn, args);
  const proc = new Proc(scope.rt, "Task", host, scope);
  scope.add(proc);
  if (listener !== undefined) proc.addListener(listener);
  proc.launch();
  return proc;
}

/** Options of `Task.spawnAndNotify`. */
export interface NotifyOptions {
  /** The tag of the success message (default `"$$success"`). */
  successTag?: unknown;
  /** The tag of the failure message (default `"$$failure"`). */
  failureTag?: unknown;
}

class Notify implements ExitListener {
  private readonly parent: Proc;
  private readonly successTag: unknown;
  private readonly failureTag: unknown;
  constructor(parent: Proc, options: NotifyOptions) {
    this.parent = parent;
    this.successTag = options.successTag ?? "$$success";
    this.failureTag = options.failureTag ?? "$$failure";
  }
  exited(proc: Proc, reason: ExitReason): void {
    const host = proc.host as TaskHost;
    const msg = host.completed
      ? [this.successTag, proc.pid, host.result]
      : [this.failureTag, proc.pid, reason];
    if (this.parent.alive) proc.rt.scheduler.deliver(proc, this.parent, msg);
  }
}

class Joiner implements ExitListener {
  readonly slot: Slot;
  constructor(slot: Slot) {
    this.slot = slot;
  }
  exited(proc: Proc, reason: ExitReason): void {
    const host = proc.host as TaskHost;
    proc.rt.scheduler.deliver(
      proc,
      this.slot,
      host.completed ? host.result : new Failure(new TaskFailed(reason)),
    );
  }
}

function checkSpawn(fn: string, scope: unknown, body: unknown): asserts scope is Scope {
  if (!(scope instanceof Scope))
    throw new TypeError(`${fn}: expected a Scope as the first argument, got ${describeValue(scope)}`);
  if (typeof body !== "function")
    throw new TypeError(`${fn}: expected a function to run, got ${describeValue(body)}`);
}

/**
 * A function running as a process.
 * @example
 * const t = await Task.spawn(scope, async () => 42);
 * await t.join(); // 42
 */
export class Task<T = unknown> {
  /** The task's pid. */
  readonly pid: Pid;
  private readonly proc: Proc;

  private constructor(proc: Proc) {
    this.proc = proc;
    this.pid = proc.pid;
  }

  /** Run `fn` as a task in `scope`. */
  static spawn<T>(scope: Scope, fn: () => T | Promise<T>): Promise<Task<T>> {
    checkSpawn("Task.spawn", scope, fn);
    return Promise.resolve(new Task<T>(spawnTaskProc(scope, fn, [])));
  }

  /**
   * Run `fn` as a task; when it ends, `parent` receives `["$$success", taskPid, result]`
   * or `["$$failure", taskPid, reason]` (tags can be overridden).
   */
  static spawnAndNotify<T>(
    scope: Scope,
    fn: () => T | Promise<T>,
    parent: Pid,
    options: NotifyOptions = {},
  ): Promise<Task<T>> {
    checkSpawn("Task.spawnAndNotify", scope, fn);
    if (!(parent instanceof Pid)) {
      throw new TypeError(`Task.spawnAndNotify: expected the parent's Pid, got ${describeValue(parent)}`);
    }
    const notify = new Notify(parent.proc as Proc, options);
    return Promise.resolve(new Task<T>(spawnTaskProc(scope, fn, [], notify)));
  }

  /** The task's value. @throws TaskFailed (with `.reason`) when it threw or was cancelled. */
  join(): Promise<T> {
    const proc = this.proc;
    const host = proc.host as TaskHost;
    if (!proc.alive) {
      return host.completed
        ? Promise.resolve(host.result as T)
        : Promise.reject(new TaskFailed(proc.reason ?? "noproc"));
    }
    const slot = new Slot<T>(proc.rt, () => `join of ${proc.toString()}`, "result");
    proc.addListener(new Joiner(slot as Slot));
    return slot.promise;
  }

  /** Stop the task with reason `"cancelled"`; `join` then rejects. */
  cancel(): Promise<void> {
    return this.proc.exit("cancelled");
  }
}
