/**
 * Actor: a process with a mailbox, selective receive and a lifecycle
 * init() → run(state) again and again → terminate(reason, state).
 */
import { ActorExit, describeValue, type ExitReason, reasonOf, StartFailed } from "./errors.js";
import type { Pid } from "./pid.js";
import { receiveOn, type Clause, type ClauseResult, type ReceiveOptions } from "./receive.js";
import {
  type ExitListener,
  Failure,
  isThenable,
  Proc,
  type ProcHost,
  RUNNING,
  Slot,
  STARTING,
} from "./runtime.js";
import { Scope } from "./scope.js";

/** @internal where an actor keeps its process */
export const kProc: unique symbol = Symbol("fauxtp.proc");
/** @internal the factory of an actor's process host */
export const kHost: unique symbol = Symbol("fauxtp.host");

/** A running actor, as `startLink` returns it. */
export interface ActorHandle {
  readonly pid: Pid;
  /** Stop the actor with reason `"cancelled"`; resolves once it is dead (terminate has run). */
  cancel(): Promise<void>;
}

/** Options of `startLink`. */
export interface StartLinkOptions {
  /** Called once after the actor exits (after terminate), best effort: its errors are ignored. */
  onExit?: (pid: Pid, reason: ExitReason) => void | Promise<void>;
}

/** A concrete actor class whose constructor takes `A`. */
export type ActorClass<T extends Actor<any> = Actor<any>, A extends unknown[] = any[]> = new (
  ...args: A
) => T;

/**
 * The base of all actors. Subclass it and implement `run`.
 * @example
 * class Echo extends Actor<number> {
 *   override run(count: number) {
 *     return this.receive(on(["echo", Pid, String], (from, text) => { send(from, text); return count + 1; }));
 *   }
 * }
 * const pid = await Echo.start(scope);
 */
export abstract class Actor<State = unknown> {
  /** @internal */
  [kProc]: Proc | undefined;
  private childScope: Scope | undefined;

  /** The initial state. Throwing or calling `stop` here makes `start` reject. */
  init(): State | Promise<State> {
    return undefined as State;
  }

  /** One turn of the actor loop: usually a `receive`. Returns the next state. */
  abstract run(state: State): State | Promise<State>;

  /** Runs exactly once when a started actor exits, whatever the reason. Its errors are ignored. */
  terminate(_reason: ExitReason, _state: State): void | Promise<void> {}

  /** This actor's pid. @throws Error("Actor not started") before start. */
  get pid(): Pid {
    const proc = this[kProc];
    if (proc === undefined) throw new Error("Actor not started");
    return proc.pid;
  }

  /** A scope owned by this actor, stopped when it exits. */
  get children(): Scope {
    const proc = this[kProc];
    if (proc === undefined) throw new Error("Actor not started");
    return (this.childScope ??= new Scope(proc.rt));
  }

  /**
   * Selective receive: the oldest message matching any clause (tried in order for each
   * message); others stay in the mailbox in their order. Returns the handler's result.
   * @throws ReceiveTimeout with `{ timeout }` when nothing matches in time.
   */
  receive<C extends Clause<any>[]>(
    ...args: [...C] | [...C, ReceiveOptions]
  ): Promise<ClauseResult<C[number]>> {
    const proc = this[kProc];
    if (proc === undefined) throw new Error("Actor not started");
    return receiveOn(proc, `${this.constructor.name}.receive`, args);
  }

  /** End this actor from inside with `reason` (default `"normal"`). */
  stop(reason: ExitReason = "normal"): never {
    throw new ActorExit(reason);
  }

  /** Start a child actor in `this.children`, linked through `onExit`. */
  spawnChild<T extends Actor<any>, A extends unknown[]>(
    cls: ActorClass<T, A>,
    options: StartLinkOptions,
    ...args: A
  ): Promise<ActorHandle> {
    return startActor("spawnChild", cls, this.children, options, args).then(handleOf);
  }

  /** @internal the process host; GenServer overrides it */
  [kHost](): ActorHost<State> {
    return new ActorHost(this);
  }

  /**
   * Start the actor in `scope`; resolves with its pid once `init` has returned.
   * @throws rejects with init's error when `init` throws or calls `stop` (no process is left).
   */
  static start<T extends Actor<any>, A extends unknown[]>(
    this: ActorClass<T, A>,
    scope: Scope,
    ...args: A
  ): Promise<Pid> {
    return startActor("start", this, scope, undefined, args).then(pidOf);
  }

  /** Start the actor in `scope` with an `onExit` callback; resolves with a handle. */
  static startLink<T extends Actor<any>, A extends unknown[]>(
    this: ActorClass<T, A>,
    scope: Scope,
    options: StartLinkOptions,
    ...args: A
  ): Promise<ActorHandle> {
    return startActor("startLink", this, scope, options, args).then(handleOf);
  }
}

const nameOf = (cls: unknown): string => (typeof cls === "function" && cls.name !== "" ? cls.name : "Actor");
/** `Counter.start`: how errors name the call (built only when an error needs it). */
const label = (cls: unknown, method: string): string => `${nameOf(cls)}.${method}`;
const pidOf = (proc: Proc): Pid => proc.pid;

class Handle implements ActorHandle {
  private readonly proc: Proc;
  readonly pid: Pid;
  constructor(proc: Proc) {
    this.proc = proc;
    this.pid = proc.pid;
  }
  cancel(): Promise<void> {
    return this.proc.exit("cancelled");
  }
}
const handleOf = (proc: Proc): ActorHandle => new Handle(proc);

/** @internal check that `cls` is an actor class */
export function checkActorClass(fn: string, cls: unknown): asserts cls is ActorClass {
  if (typeof cls !== "function" || !(cls.prototype instanceof Actor)) {
    throw new TypeError(`${fn}: expected a class that extends Actor, got ${describeValue(cls)}`);
  }
}

/** @internal start an actor process (`method` names the caller in errors); resolves once init returned */
export function startActor(
  method: string,
  cls: unknown,
  scope: unknown,
  options: StartLinkOptions | undefined,
  args: readonly unknown[],
  listener?: ExitListener,
): Promise<Proc> {
  if (typeof cls !== "function" || !(cls.prototype instanceof Actor)) {
    throw new TypeError(
      `${label(cls, method)}: expected a class that extends Actor, got ${describeValue(cls)}`,
    );
  }
  if (!(scope instanceof Scope)) {
    throw new TypeError(
      `${label(cls, method)}: expected a Scope as the first argument, got ${describeValue(scope)}`,
    );
  }
  if (options !== undefined && (options === null || typeof options !== "object")) {
    throw new TypeError(
      `${label(cls, method)}: expected an options object { onExit }, got ${describeValue(options)}`,
    );
  }
  const onExit = options?.onExit;
  if (onExit !== undefined && typeof onExit !== "function") {
    throw new TypeError(`${label(cls, method)}: onExit must be a function, got ${describeValue(onExit)}`);
  }
  let actor: Actor<any>;
  try {
    actor = new (cls as ActorClass)(...args);
  } catch (e) {
    return Promise.reject(e);
  }
  const host = actor[kHost]();
  const rt = scope.rt;
  const proc = new Proc(rt, cls.name || "Actor", host, scope);
  scope.add(proc);
  actor[kProc] = proc;
  const slot = new Slot<Proc>(rt, () => `start of ${proc.toString()}`, "started");
  host.starter = slot;
  proc.addListener(host);
  if (onExit !== undefined) proc.addListener(new OnExit(onExit, host));
  if (listener !== undefined) proc.addListener(listener);
  proc.launch();
  return slot.promise;
}

class OnExit implements ExitListener {
  private readonly fn: (pid: Pid, reason: ExitReason) => void | Promise<void>;
  private readonly host: ActorHost<any>;
  constructor(fn: (pid: Pid, reason: ExitReason) => void | Promise<void>, host: ActorHost<any>) {
    this.fn = fn;
    this.host = host;
  }
  exited(proc: Proc, reason: ExitReason): void {
    if (!this.host.started) return;
    try {
      const r = this.fn(proc.pid, reason);
      if (isThenable(r)) r.then(undefined, ignore);
    } catch {
      // best effort
    }
  }
}

const ignore = (): void => {};

/** Turns of an actor's run loop between two yields to the scheduler. */
const YIELD_EVERY = 64;

/**
 * @internal drives an actor: init, the run loop, terminate. Also the start
 * acknowledgement (as an exit listener until init has returned).
 */
export class ActorHost<State> implements ProcHost, ExitListener {
  readonly actor: Actor<State>;
  state: State | undefined;
  started = false;
  starter: Slot<Proc> | undefined;
  initError: unknown;
  private hasInitError = false;

  constructor(actor: Actor<State>) {
    this.actor = actor;
  }

  begin(proc: Proc): void {
    let s: State | Promise<State>;
    try {
      s = this.actor.init();
    } catch (e) {
      return this.initFailed(proc, e);
    }
    if (isThenable(s)) {
      s.then(
        (v) => this.initDone(proc, v),
        (e) => this.initFailed(proc, e),
      );
    } else {
      this.initDone(proc, s);
    }
  }

  protected initDone(proc: Proc, state: State): void {
    if (proc.status !== STARTING) return;
    this.state = state;
    this.started = true;
    proc.status = RUNNING;
    proc.removeListener(this);
    const slot = this.starter as Slot<Proc>;
    this.starter = undefined;
    proc.rt.scheduler.deliver(proc, slot, proc);
    this.loop(proc);
  }

  private initFailed(proc: Proc, error: unknown): void {
    if (proc.status !== STARTING) return;
    this.initError = error;
    this.hasInitError = true;
    void proc.exit(reasonOf(error), false);
  }

  /** The start failed: tell the starter. */
  exited(proc: Proc, reason: ExitReason): void {
    const slot = this.starter;
    if (slot === undefined) return;
    this.starter = undefined;
    const error = this.hasInitError ? this.initError : new StartFailed(proc.toString(), reason);
    proc.rt.scheduler.deliver(proc, slot, new Failure(error));
  }

  /** The generic loop: `run` again and again. */
  protected loop(proc: Proc): void {
    void this.runLoop(proc);
  }

  private async runLoop(proc: Proc): Promise<void> {
    const actor = this.actor;
    try {
      for (let turn = 1; ; turn++) {
        let s = actor.run(this.state as State);
        if (isThenable(s)) s = await s;
        if (proc.status !== RUNNING) return;
        this.state = s;
        // A run that never waits must not hold the thread: every so often, go to the
        // back of the scheduler's queue (in a simulation, a step that counts).
        if (turn % YIELD_EVERY === 0) {
          await new Promise<void>((resolve) => {
            this.resumeYield = resolve;
            proc.reschedule();
          });
          if (proc.status !== RUNNING) return;
        }
      }
    } catch (e) {
      if (proc.status === RUNNING) void proc.exit(reasonOf(e));
    }
  }

  private resumeYield: (() => void) | undefined;

  drain(proc: Proc): void {
    const resume = this.resumeYield;
    if (resume !== undefined) {
      this.resumeYield = undefined;
      resume();
      return;
    }
    proc.waiter?.scan(proc);
  }

  terminate(_proc: Proc, reason: ExitReason): void | Promise<void> {
    if (!this.started) return;
    const r = this.actor.terminate(reason, this.state as State);
    if (isThenable(r)) return Promise.resolve(r);
  }

  stopChildren(): void | Promise<void> {
    const scope = (this.actor as unknown as { childScope: Scope | undefined }).childScope;
    if (scope !== undefined) return scope.close("shutdown");
  }
}
