/**
 * The runtime behind one scheduler: pid and ref counters, the registry, the
 * processes, and the waits they block on. One runtime per scheduler instance; the
 * ambient runtime (for `now`, `sleep`, the registry, `makeRef`) is the exclusive
 * scheduler's while one runs, else the default production one.
 */
import { Deque } from "./deque.js";
import { CallExit, CallTimeout, type ExitReason } from "./errors.js";
import { MicrotaskScheduler } from "./microtask.js";
import { Pid, Ref } from "./pid.js";
import { render, RENDER } from "./render.js";
import { Registry } from "./registry.js";
import type { Endpoint, ProcessRef, Runnable, Scheduler, TimerHandle, TimerTarget } from "./scheduler.js";

/** Observer hooks, used by the simulator to trace and to see what processes wait for. */
export interface RuntimeObserver {
  spawned(proc: Proc): void;
  exited(proc: Proc, reason: ExitReason): void;
}

export class Runtime {
  readonly scheduler: Scheduler;
  readonly registry: Registry = new Registry();
  /** Processes started and not yet dead, in start order. */
  readonly procs: Set<Proc> = new Set();
  /** The process whose step is running. Kept exact by the simulator; undefined in production. */
  current: Proc | undefined;
  observer: RuntimeObserver | undefined;
  private pidCounter = 0;
  private refCounter = 0;

  constructor(scheduler: Scheduler) {
    this.scheduler = scheduler;
  }

  newPid(proc: Proc): Pid {
    return new Pid(0, this.pidCounter++, proc);
  }

  makeRef(): Ref {
    return new Ref(0, this.refCounter++);
  }
}

const runtimes = new WeakMap<Scheduler, Runtime>();
let defaultRuntime: Runtime | undefined;
/** Runtimes of scopes that run on an explicit scheduler, innermost last. */
const ambient: Runtime[] = [];
/** The simulation that holds the realm, if one runs. */
let exclusive: Runtime | undefined;

/** The runtime of a scheduler (made on first use). */
export function runtimeFor(scheduler: Scheduler): Runtime {
  let rt = runtimes.get(scheduler);
  if (rt === undefined) {
    rt = new Runtime(scheduler);
    runtimes.set(scheduler, rt);
  }
  return rt;
}

/**
 * The runtime in use, for `now`, `sleep`, `random`, `makeRef` and the registry: that of
 * the innermost scope running on an explicit scheduler (a simulation's while one runs),
 * else the default production runtime.
 */
export function currentRuntime(): Runtime {
  const top = ambient[ambient.length - 1];
  if (top !== undefined) return top;
  if (defaultRuntime === undefined) defaultRuntime = runtimeFor(new MicrotaskScheduler());
  return defaultRuntime;
}

/**
 * Make `rt` the runtime in use until `releaseAmbient(rt)`. With `by` (a simulation),
 * claim the realm: throws when another simulation holds it.
 */
export function claimAmbient(rt: Runtime, by?: string): void {
  if (by !== undefined) {
    if (exclusive !== undefined && exclusive !== rt) {
      throw new Error(
        `${by}: another simulation is already running in this realm; run simulations one at a time (await each one)`,
      );
    }
    exclusive = rt;
  }
  ambient.push(rt);
}

export function releaseAmbient(rt: Runtime): void {
  const i = ambient.lastIndexOf(rt);
  if (i >= 0) ambient.splice(i, 1);
  if (exclusive === rt && !ambient.includes(rt)) exclusive = undefined;
}

// ---------------------------------------------------------------------------
// Waits: everything a process can block on. A wait belongs to the process that was
// running when it began (known exactly in a simulation), so that the simulator can
// tell a blocked process from one that awaits something outside the runtime.

export abstract class Wait {
  readonly owner: Proc | undefined;
  constructor(owner: Proc | undefined) {
    this.owner = owner;
    if (owner !== undefined) (owner.waits ??= new Set()).add(this);
  }
  protected endWait(): void {
    this.owner?.waits?.delete(this);
  }
  /** What the owner waits for, for deadlock reports. */
  abstract describe(): string;
  /** Drop the wait without settling it: its owner is gone. */
  abstract abandon(): void;
}

/** @internal a failure carried through a delivery to a slot */
export class Failure {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

/**
 * A one-shot reply slot: call replies, start acknowledgements, task joins. A delivery
 * settles it; a second one (a late reply) is discarded.
 */
export class Slot<T = unknown> extends Wait implements Endpoint, TimerTarget {
  readonly promise: Promise<T>;
  settled = false;
  timer: TimerHandle | undefined;
  private resolveFn!: (v: T) => void;
  private rejectFn!: (e: unknown) => void;
  readonly rt: Runtime;
  readonly what: string | (() => string);

  /** What a delivery to this slot carries, for traces: a call's reply, a task's result... */
  readonly carries: string;

  constructor(rt: Runtime, what: string | (() => string), carries = "reply") {
    super(rt.current);
    this.rt = rt;
    this.what = what;
    this.carries = carries;
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
  }

  /** Reject with `timeoutError()` unless settled within `timeoutMs`. */
  arm(timeoutMs: number): void {
    this.timer = this.rt.scheduler.setTimer(timeoutMs, this, this.owner);
  }

  /** The error a timeout rejects with. */
  protected timeoutError(): unknown {
    return new Error(`${this.describe()}: timed out`);
  }

  accept(message: unknown): void {
    if (this.settled) return;
    this.settle();
    if (message instanceof Failure) this.rejectFn(message.error);
    else this.resolveFn(message as T);
  }

  fire(): void {
    if (this.settled) return;
    this.timer = undefined;
    this.settle();
    this.rejectFn(this.timeoutError());
  }

  describe(): string {
    return typeof this.what === "string" ? this.what : this.what();
  }

  abandon(): void {
    if (this.settled) return;
    this.settle();
  }

  private settle(): void {
    this.settled = true;
    if (this.timer !== undefined) {
      this.rt.scheduler.cancelTimer(this.timer);
      this.timer = undefined;
    }
    this.endWait();
  }
}

/**
 * A GenServer call: the message in the server's mailbox, the caller's reply slot and the
 * `From` that `handleCall` gets, all in one object.
 */
export class CallSlot<T = unknown> extends Slot<T> {
  /** The server. */
  readonly server: Proc;
  readonly request: unknown;
  private readonly timeoutMs: number;
  private refValue: Ref | undefined;

  constructor(rt: Runtime, server: Proc, request: unknown, timeoutMs: number) {
    super(
      rt,
      rt.current === undefined ? "" : () => `reply to call ${render(request)} from ${server.toString()}`,
    );
    this.server = server;
    this.request = request;
    this.timeoutMs = timeoutMs;
    if (timeoutMs !== Infinity) this.arm(timeoutMs);
  }

  /** The reference of this call (made on first use). */
  get ref(): Ref {
    return (this.refValue ??= this.rt.makeRef());
  }

  /** The calling process, when known (always in a simulation). */
  get pid(): Pid | undefined {
    return this.owner?.pid;
  }

  /** The server is gone: the call fails with CallExit. */
  serverExited(reason: ExitReason): void {
    if (this.settled) return;
    this.rt.scheduler.deliver(this.server, this, new Failure(new CallExit(reason, this.server.toString())));
  }

  protected override timeoutError(): unknown {
    return new CallTimeout(this.timeoutMs);
  }

  [RENDER](): string {
    return `call ${render(this.request, 60)}`;
  }
}

/** A `sleep`. */
export class Sleep extends Wait implements TimerTarget {
  private readonly rt: Runtime;
  private readonly handle: TimerHandle;
  private resolveFn: (() => void) | undefined;
  readonly promise: Promise<void>;
  constructor(rt: Runtime, ms: number) {
    super(rt.current);
    this.rt = rt;
    this.promise = new Promise<void>((resolve) => {
      this.resolveFn = resolve;
    });
    this.handle = rt.scheduler.setTimer(ms, this, this.owner);
  }
  fire(): void {
    const resolve = this.resolveFn;
    if (resolve === undefined) return;
    this.resolveFn = undefined;
    this.endWait();
    resolve();
  }
  describe(): string {
    return `sleep until ${this.handle.deadline}ms`;
  }
  abandon(): void {
    if (this.resolveFn === undefined) return;
    this.resolveFn = undefined;
    this.rt.scheduler.cancelTimer(this.handle);
    this.endWait();
  }
}

/** A wait that never ends (`sleep(Infinity)`): visible to the simulator as a block. */
export class Forever extends Wait {
  readonly promise: Promise<void> = new Promise<void>(() => {});
  describe(): string {
    return "sleep(Infinity)";
  }
  abandon(): void {
    this.endWait();
  }
}

// ---------------------------------------------------------------------------
// Processes.

export const STARTING = 0;
export const RUNNING = 1;
export const EXITING = 2;
export const DEAD = 3;

/** What a process does: the actor behaviour behind a Proc. */
export interface ProcHost {
  /** First step: run init (or the task function). */
  begin(proc: Proc): void;
  /** Messages arrived while the process was waiting. */
  drain(proc: Proc): void;
  /** Run the terminate callback; errors are the host's to swallow. */
  terminate(proc: Proc, reason: ExitReason): void | Promise<void>;
  /** Stop the children the host owns (the actor's children scope). */
  stopChildren(proc: Proc): void | Promise<void>;
}

/** Something told when a process exits. */
export interface ExitListener {
  exited(proc: Proc, reason: ExitReason): void;
}

/** A scope as the process sees it. */
export interface ProcScope {
  remove(proc: Proc): void;
}

export class Proc implements Endpoint, Runnable, ProcessRef {
  readonly rt: Runtime;
  readonly pid: Pid;
  readonly name: string;
  readonly host: ProcHost;
  status = STARTING;
  readonly mailbox: Deque<unknown> = new Deque<unknown>();
  scheduled = false;
  begun = false;
  /** Waiting for any message (a GenServer between messages). */
  idle = false;
  /** A selective receive in progress. */
  waiter: {
    scan(proc: Proc): void;
    abandon(): void;
    fail(error: unknown): void;
    describe(): string;
    readonly owner: Proc | undefined;
  } | null = null;
  /** A mailbox that only answers receives (an inbox): never counted as running. */
  passive = false;
  listeners: ExitListener[] | null = null;
  /** The call a GenServer is answering, if any. */
  handling: CallSlot | null = null;
  /** Calls a plain actor took with a generic receive: they fail if it exits without answering. */
  held: CallSlot[] | null = null;
  /** Registry names to release on exit. */
  names: string[] | null = null;
  /** Waits this process blocks on (tracked in simulations). */
  waits: Set<Wait> | null = null;
  reason: ExitReason | undefined;
  scope: ProcScope | undefined;
  private donePromise: Promise<void> | undefined;
  private resolveDone: (() => void) | undefined;

  constructor(rt: Runtime, name: string, host: ProcHost, scope: ProcScope | undefined) {
    this.rt = rt;
    this.name = name;
    this.host = host;
    this.scope = scope;
    this.pid = rt.newPid(this);
    rt.procs.add(this);
    rt.observer?.spawned(this);
  }

  get owner(): Proc {
    return this;
  }

  get alive(): boolean {
    return this.status < EXITING;
  }

  toString(): string {
    return `${this.name}${this.pid.toString()}`;
  }

  /** Put this process's first step on the scheduler. */
  launch(): void {
    this.scheduled = true;
    this.rt.scheduler.schedule(this);
  }

  accept(message: unknown): void {
    if (this.status >= EXITING) {
      // A dead process's mail is dropped, as in Erlang. A call made while it was alive
      // fails with its exit reason, as a monitor set up before the exit would report.
      if (message instanceof CallSlot) message.serverExited(this.reason as ExitReason);
      return;
    }
    this.mailbox.push(message);
    if (!this.scheduled && (this.idle || this.waiter !== null)) {
      this.scheduled = true;
      this.rt.scheduler.schedule(this);
    }
  }

  /** Ask to run again (a fairness yield with messages left). */
  reschedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.rt.scheduler.schedule(this);
  }

  run(): void {
    this.scheduled = false;
    if (this.status >= EXITING) return; // stopped before it could run
    if (!this.begun) {
      this.begun = true;
      this.host.begin(this);
      return;
    }
    this.host.drain(this);
  }

  addListener(listener: ExitListener): void {
    (this.listeners ??= []).push(listener);
  }

  removeListener(listener: ExitListener): void {
    const ls = this.listeners;
    if (ls === null) return;
    const i = ls.indexOf(listener);
    if (i >= 0) ls.splice(i, 1);
  }

  /** Resolves when the process is dead. */
  done(): Promise<void> {
    if (this.status === DEAD) return Promise.resolve();
    return (this.donePromise ??= new Promise<void>((resolve) => {
      this.resolveDone = resolve;
    }));
  }

  /**
   * End the process with `reason`: abandon what it was doing, run terminate, stop its
   * children, then notify. Resolves when it is dead. Idempotent.
   */
  exit(reason: ExitReason, runTerminate = true): Promise<void> {
    if (this.status >= EXITING) return this.done();
    this.status = EXITING;
    this.reason = reason;
    this.idle = false;
    const waiter = this.waiter;
    if (waiter !== null) {
      this.waiter = null;
      // An inbox's reader is live code: release it. An actor's own receive is abandoned with it.
      if (this.passive) waiter.fail(closedError(this));
      else waiter.abandon();
    }
    let pending: void | Promise<void> = undefined;
    if (runTerminate) {
      // terminate runs as this process, whoever stopped it: its sends and waits are its own.
      const rt = this.rt;
      const caller = rt.current;
      if (caller !== undefined) rt.current = this;
      try {
        pending = this.host.terminate(this, reason);
      } catch {
        pending = undefined;
      } finally {
        if (caller !== undefined) rt.current = caller;
      }
    }
    if (pending !== undefined && typeof pending.then === "function") {
      pending.then(
        () => this.afterTerminate(),
        () => this.afterTerminate(),
      );
    } else {
      this.afterTerminate();
    }
    return this.done();
  }

  private afterTerminate(): void {
    let pending: void | Promise<void>;
    try {
      pending = this.host.stopChildren(this);
    } catch {
      pending = undefined;
    }
    if (pending !== undefined) {
      pending.then(
        () => this.finish(),
        () => this.finish(),
      );
    } else {
      this.finish();
    }
  }

  private finish(): void {
    const reason = this.reason as ExitReason;
    const rt = this.rt;
    this.status = DEAD;
    rt.procs.delete(this);
    // Calls it will never answer: those waiting in its mailbox and the one it was handling.
    const box = this.mailbox;
    for (let i = 0; i < box.length; i++) {
      const m = box.at(i);
      if (m instanceof CallSlot) m.serverExited(reason);
    }
    this.handling?.serverExited(reason);
    this.handling = null;
    if (this.held !== null) for (const c of this.held) c.serverExited(reason);
    this.held = null;
    box.clear();
    if (this.names !== null) {
      for (const name of this.names) rt.registry.release(name, this);
      this.names = null;
    }
    const waits = this.waits;
    if (waits !== null) {
      this.waits = null;
      for (const w of waits) w.abandon();
    }
    this.scope?.remove(this);
    const listeners = this.listeners;
    if (listeners !== null) {
      this.listeners = null;
      for (const l of listeners) l.exited(this, reason);
    }
    rt.observer?.exited(this, reason);
    const resolve = this.resolveDone;
    if (resolve !== undefined) {
      this.resolveDone = undefined;
      resolve();
    }
  }
}

/** The error of a receive on an inbox whose scope has closed. */
export function closedError(proc: Proc): Error {
  return new Error(`Inbox.receive: ${proc.toString()} is closed (its scope has ended)`);
}

export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null &&
    (typeof v === "object" || typeof v === "function") &&
    typeof (v as PromiseLike<unknown>).then === "function"
  );
}
