/**
 * GenServer: call, cast and info handlers over a state, with background tasks.
 * Its loop drains the mailbox itself: sync handlers run without a promise hop,
 * async ones cost one.
 */
import { Actor, ActorHost, kHost, kProc } from "./actor.js";
import { describeValue, type ExitReason, reasonOf } from "./errors.js";
import { CallSlot, CastMsg, type From, replyTo } from "./messaging.js";
import type { Pid } from "./pid.js";
import { render, RENDER } from "./render.js";
import { type ExitListener, isThenable, type Proc, RUNNING } from "./runtime.js";
import { spawnTaskProc, TaskHost } from "./task.js";

/** The status of a finished background task. */
export type TaskStatus = "success" | "failure";

/** Messages handled in one turn before the server yields to others. */
const DRAIN_BUDGET = 1024;

/** @internal the end of a `spawnTask` task, in its server's mailbox */
export class TaskEnd {
  readonly pid: Pid;
  readonly status: TaskStatus;
  readonly result: unknown;
  constructor(pid: Pid, status: TaskStatus, result: unknown) {
    this.pid = pid;
    this.status = status;
    this.result = result;
  }
  [RENDER](): string {
    return `task ${this.status} ${this.pid.toString()} ${render(this.result, 40)}`;
  }
}

type Reply<R, S> = readonly [R, S];

/**
 * A generic server. Override any of `init`, `handleCall`, `handleCast`, `handleInfo`,
 * `handleTaskEnd`; each may be sync or async.
 * @example
 * class Stack extends GenServer<number[], "pop", ["push", number]> {
 *   override init() { return []; }
 *   override handleCall(_req: "pop", _from: From, s: number[]) { return [s[0], s.slice(1)] as const; }
 *   override handleCast([, x]: ["push", number], s: number[]) { return [x, ...s]; }
 * }
 */
export abstract class GenServer<
  State = unknown,
  CallRequest = unknown,
  CastRequest = unknown,
  Reply = unknown,
> extends Actor<State> {
  private maxTasks: number | null = null;
  /** @internal */
  runningTasks = 0;

  /** Answer a call: return `[reply, newState]`. The default crashes the server. */
  handleCall(
    _request: CallRequest,
    _from: From,
    _state: State,
  ): readonly [Reply, State] | Promise<readonly [Reply, State]> {
    throw new Error(`${this.constructor.name}.handleCall not implemented`);
  }

  /** Handle a cast: return the new state. The default keeps the state. */
  handleCast(_request: CastRequest, state: State): State | Promise<State> {
    return state;
  }

  /** Handle any other message: return the new state. The default keeps the state. */
  handleInfo(_message: unknown, state: State): State | Promise<State> {
    return state;
  }

  /** A task started by `spawnTask` ended: `result` is its value, or its exit reason on failure. */
  handleTaskEnd(_taskPid: Pid, _status: TaskStatus, _result: unknown, state: State): State | Promise<State> {
    return state;
  }

  /** @internal the server drives its own loop; `run` is not used */
  override run(state: State): State {
    return state;
  }

  /**
   * Run `fn(...args)` as a task owned by this server; its end arrives as `handleTaskEnd`.
   * @returns the task's pid, or `null` when `setMaxTasks` caps the running tasks.
   */
  spawnTask<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): Pid | null {
    const proc = this[kProc];
    if (proc === undefined) throw new Error("Actor not started");
    if (typeof fn !== "function")
      throw new TypeError(`spawnTask: expected a function, got ${describeValue(fn)}`);
    if (this.maxTasks !== null && this.runningTasks >= this.maxTasks) return null;
    this.runningTasks++;
    const task = spawnTaskProc(this.children, fn, args, new TaskEndNotify(this, proc));
    return task.pid;
  }

  /** Cap the running tasks at `n` (`null`: no cap). */
  setMaxTasks(n: number | null): void {
    if (n !== null && (!Number.isInteger(n) || n < 0)) {
      throw new TypeError(`setMaxTasks: expected a non-negative integer or null, got ${describeValue(n)}`);
    }
    this.maxTasks = n;
  }

  /** @internal */
  override [kHost](): ActorHost<State> {
    return new ServerHost(this);
  }
}

class TaskEndNotify implements ExitListener {
  private readonly server: GenServer<any>;
  private readonly serverProc: Proc;
  constructor(server: GenServer<any>, serverProc: Proc) {
    this.server = server;
    this.serverProc = serverProc;
  }
  exited(task: Proc, reason: ExitReason): void {
    this.server.runningTasks--;
    const host = task.host as TaskHost;
    const end = host.completed
      ? new TaskEnd(task.pid, "success", host.result)
      : new TaskEnd(task.pid, "failure", reason);
    if (this.serverProc.alive) task.rt.scheduler.deliver(task, this.serverProc, end);
  }
}

class ServerHost<State> extends ActorHost<State> {
  private readonly server: GenServer<State>;
  private readonly resume = (s: State): void => this.resumed(s);
  private readonly fail = (e: unknown): void => this.failed(e);
  private proc: Proc | undefined;

  constructor(server: GenServer<State>) {
    super(server);
    this.server = server;
  }

  protected override loop(proc: Proc): void {
    this.proc = proc;
    this.drain(proc);
  }

  override drain(proc: Proc): void {
    proc.idle = false;
    const box = proc.mailbox;
    let budget = DRAIN_BUDGET;
    while (box.length > 0) {
      if (budget-- === 0) return proc.reschedule();
      const msg = box.shift();
      let next: State | Promise<State>;
      try {
        next = this.dispatch(proc, msg);
      } catch (e) {
        return this.failed(e);
      }
      if (isThenable(next)) {
        next.then(this.resume, this.fail);
        return;
      }
      if (proc.status !== RUNNING) return;
      this.state = next;
    }
    proc.idle = true;
  }

  private resumed(s: State): void {
    const proc = this.proc as Proc;
    if (proc.status !== RUNNING) return;
    this.state = s;
    this.drain(proc);
  }

  private failed(e: unknown): void {
    const proc = this.proc as Proc;
    if (proc.status === RUNNING) void proc.exit(reasonOf(e));
  }

  private dispatch(proc: Proc, msg: unknown): State | Promise<State> {
    const server = this.server;
    const state = this.state as State;
    if (msg instanceof CallSlot) {
      proc.handling = msg; // if the server dies before replying, this call fails with CallExit
      const r = server.handleCall(msg.request, msg, state);
      if (isThenable(r)) return (r as Promise<Reply<unknown, State>>).then((v) => this.reply(proc, msg, v));
      return this.reply(proc, msg, r);
    }
    if (msg instanceof CastMsg) return server.handleCast(msg.request, state);
    if (msg instanceof TaskEnd) return server.handleTaskEnd(msg.pid, msg.status, msg.result, state);
    return server.handleInfo(msg, state);
  }

  private reply(proc: Proc, from: CallSlot, result: Reply<unknown, State>): State {
    if (!Array.isArray(result) || result.length !== 2) {
      throw new TypeError(
        `${this.server.constructor.name}.handleCall must return [reply, newState], got ${describeValue(result)}`,
      );
    }
    if (proc.status === RUNNING) replyTo(proc.rt, proc, from, result[0]);
    return result[1];
  }
}
