/**
 * Supervisor: starts children in order, restarts them by strategy and restart type,
 * and gives up (crashing with MaxRestartsExceeded) when they restart too often.
 */
import { type ActorClass, checkActorClass, kProc, startActor } from "./actor.js";
import { Crash, describeValue, type ExitReason, isNormalExit, MaxRestartsExceeded } from "./errors.js";
import { Deque } from "./deque.js";
import { GenServer } from "./genserver.js";
import { call, procOf, type From } from "./messaging.js";
import type { Pid } from "./pid.js";
import { render, RENDER } from "./render.js";
import type { ExitListener, Proc } from "./runtime.js";

/** How a supervisor reacts to a child's exit. */
export const RestartStrategy = {
  ONE_FOR_ONE: "one_for_one",
  ONE_FOR_ALL: "one_for_all",
  REST_FOR_ONE: "rest_for_one",
} as const;
export type RestartStrategy = (typeof RestartStrategy)[keyof typeof RestartStrategy];

/** When a child is restarted: always, after an abnormal exit only, or never. */
export const RestartType = {
  PERMANENT: "permanent",
  TRANSIENT: "transient",
  TEMPORARY: "temporary",
} as const;
export type RestartType = (typeof RestartType)[keyof typeof RestartType];

/** A checked child specification, made by `childSpec`. */
export interface ChildSpec {
  readonly id: string;
  readonly actor: ActorClass;
  readonly args: readonly unknown[];
  readonly restart: RestartType;
}

/** What `childSpec` takes. */
export interface ChildSpecInput<A extends unknown[] = any[]> {
  id: string;
  actor: ActorClass<any, A>;
  args?: A;
  restart?: RestartType;
}

const restartTypes: readonly string[] = Object.values(RestartType);
const strategies: readonly string[] = Object.values(RestartStrategy);

/**
 * A child specification.
 * @throws TypeError for an empty id, an actor class that is not an Actor, args that are not an array, or an unknown restart type.
 */
export function childSpec<A extends unknown[]>(spec: ChildSpecInput<A> | ChildSpec): ChildSpec {
  if (spec === null || typeof spec !== "object") {
    throw new TypeError(`childSpec: expected { id, actor, args?, restart? }, got ${describeValue(spec)}`);
  }
  const { id, actor, args = [], restart = RestartType.PERMANENT } = spec;
  if (typeof id !== "string" || id.length === 0) {
    throw new TypeError(`childSpec: id must be a non-empty string, got ${describeValue(id)}`);
  }
  checkActorClass(`childSpec (id "${id}")`, actor);
  if (!Array.isArray(args))
    throw new TypeError(`childSpec (id "${id}"): args must be an array, got ${describeValue(args)}`);
  if (!restartTypes.includes(restart)) {
    throw new TypeError(
      `childSpec (id "${id}"): restart must be one of ${restartTypes.join(", ")}, got ${describeValue(restart)}`,
    );
  }
  return Object.freeze({ id, actor, args: Object.freeze([...args]), restart });
}

/** One line of `whichChildren`. */
export interface ChildInfo {
  readonly id: string;
  /** `undefined` while the child is not running. */
  readonly pid: Pid | undefined;
}

interface Child {
  spec: ChildSpec;
  proc: Proc | undefined;
}

/** @internal a child's exit, in its supervisor's mailbox */
class ChildExit {
  readonly proc: Proc;
  readonly reason: ExitReason;
  constructor(proc: Proc, reason: ExitReason) {
    this.proc = proc;
    this.reason = reason;
  }
  [RENDER](): string {
    return `EXIT ${this.proc.pid.toString()} ${render(this.reason, 40)}`;
  }
}

class Link implements ExitListener {
  private readonly supervisor: Proc;
  constructor(supervisor: Proc) {
    this.supervisor = supervisor;
  }
  exited(proc: Proc, reason: ExitReason): void {
    if (this.supervisor.alive) proc.rt.scheduler.deliver(proc, this.supervisor, new ChildExit(proc, reason));
  }
}

type SupRequest =
  | { readonly op: "which" }
  | { readonly op: "count" }
  | { readonly op: "terminate"; readonly id: string }
  | { readonly op: "restart"; readonly id: string }
  | { readonly op: "start"; readonly spec: ChildSpec };

/** An error answered to a supervisor call (the supervisor itself carries on). */
class Refusal {
  readonly error: Error;
  constructor(error: Error) {
    this.error = error;
  }
}

/**
 * A supervisor. Set `strategy`, `maxRestarts`, `maxSeconds` and override `childSpecs()`.
 * @example
 * class App extends Supervisor {
 *   override strategy = RestartStrategy.ONE_FOR_ONE;
 *   override childSpecs() { return [childSpec({ id: "c1", actor: Counter })]; }
 * }
 *
 * **Gotchas**: more than `maxRestarts` restarts within `maxSeconds` (scheduler time)
 * stops every child and exits the supervisor with a `Crash` of `MaxRestartsExceeded`.
 */
export class Supervisor extends GenServer<undefined, SupRequest, never, unknown> {
  /** How to restart: one_for_one (default), one_for_all or rest_for_one. */
  strategy: RestartStrategy = RestartStrategy.ONE_FOR_ONE;
  /** Restarts allowed within `maxSeconds` (default 3). */
  maxRestarts = 3;
  /** The window of the restart intensity, in seconds of scheduler time (default 5). */
  maxSeconds = 5;
  private kids: Child[] = [];
  private readonly restarts = new Deque<number>();

  /** The children, started in this order and stopped in reverse. */
  childSpecs(): ChildSpec[] {
    return [];
  }

  override async init(): Promise<undefined> {
    const name = this.constructor.name;
    if (!strategies.includes(this.strategy)) {
      throw new TypeError(
        `${name}: strategy must be one of ${strategies.join(", ")}, got ${describeValue(this.strategy)}`,
      );
    }
    if (!Number.isInteger(this.maxRestarts) || this.maxRestarts < 0) {
      throw new TypeError(
        `${name}: maxRestarts must be a non-negative integer, got ${describeValue(this.maxRestarts)}`,
      );
    }
    if (typeof this.maxSeconds !== "number" || !(this.maxSeconds > 0)) {
      throw new TypeError(
        `${name}: maxSeconds must be a positive number, got ${describeValue(this.maxSeconds)}`,
      );
    }
    const specs = this.childSpecs();
    if (!Array.isArray(specs))
      throw new TypeError(`${name}.childSpecs must return an array, got ${describeValue(specs)}`);
    const seen = new Set<string>();
    for (const spec of specs) {
      const checked = childSpec(spec);
      if (seen.has(checked.id)) throw new Error(`${name}: duplicate child id "${checked.id}"`);
      seen.add(checked.id);
      this.kids.push({ spec: checked, proc: undefined });
    }
    for (const child of this.kids) await this.startKid(child);
    return undefined;
  }

  override async handleInfo(message: unknown, state: undefined): Promise<undefined> {
    if (message instanceof ChildExit) await this.childExited(message);
    return state;
  }

  override async handleCall(
    request: SupRequest,
    _from: From,
    state: undefined,
  ): Promise<readonly [unknown, undefined]> {
    try {
      return [await this.answer(request), state];
    } catch (e) {
      return [new Refusal(e instanceof Error ? e : new Error(String(e))), state];
    }
  }

  override async terminate(): Promise<void> {
    for (let i = this.kids.length - 1; i >= 0; i--) await this.stopKid(this.kids[i] as Child, "shutdown");
  }

  private async answer(request: SupRequest): Promise<unknown> {
    switch (request.op) {
      case "which":
        return this.kids.map((c) => ({ id: c.spec.id, pid: c.proc?.pid }));
      case "count":
        return this.kids.length;
      case "terminate": {
        const child = this.find("terminateChild", request.id);
        await this.stopKid(child, "shutdown");
        if (child.spec.restart === RestartType.TEMPORARY) this.kids.splice(this.kids.indexOf(child), 1);
        return undefined;
      }
      case "restart": {
        const child = this.find("restartChild", request.id);
        if (child.proc !== undefined)
          throw new Error(`restartChild: child "${request.id}" is already running`);
        return this.startKid(child);
      }
      case "start": {
        const spec = request.spec;
        if (this.kids.some((c) => c.spec.id === spec.id))
          throw new Error(`startChild: duplicate child id "${spec.id}"`);
        const child: Child = { spec, proc: undefined };
        const pid = await this.startKid(child);
        this.kids.push(child);
        return pid;
      }
    }
  }

  private find(fn: string, id: string): Child {
    const child = this.kids.find((c) => c.spec.id === id);
    if (child === undefined) throw new Error(`${fn}: no child with id "${id}"`);
    return child;
  }

  private async startKid(child: Child): Promise<Pid> {
    const self = this[kProc] as Proc;
    const { spec } = child;
    const proc = await startActor(
      `child "${spec.id}"`,
      spec.actor,
      this.children,
      undefined,
      spec.args,
      new Link(self),
    );
    child.proc = proc;
    return proc.pid;
  }

  private async stopKid(child: Child, reason: ExitReason): Promise<void> {
    const proc = child.proc;
    if (proc === undefined) return;
    child.proc = undefined; // its exit is stale from now on
    await proc.exit(reason);
  }

  private async childExited(exit: ExitReasonMessage): Promise<void> {
    const index = this.kids.findIndex((c) => c.proc === exit.proc);
    if (index < 0) return; // stale: an instance already replaced or stopped on purpose
    const child = this.kids[index] as Child;
    child.proc = undefined;
    const { restart } = child.spec;
    if (restart === RestartType.TEMPORARY) {
      this.kids.splice(index, 1);
      return;
    }
    if (restart === RestartType.TRANSIENT && isNormalExit(exit.reason)) return;
    let group: Child[];
    if (this.strategy === RestartStrategy.ONE_FOR_ONE) group = [child];
    else if (this.strategy === RestartStrategy.ONE_FOR_ALL) group = [...this.kids];
    else group = this.kids.slice(index);
    // One restart event, whatever the strategy restarts; a child failing to start again counts as another.
    this.countRestart();
    for (let i = group.length - 1; i >= 0; i--) await this.stopKid(group[i] as Child, "shutdown");
    // A temporary sibling stopped for the restart is never restarted, only removed (as in OTP).
    for (const kid of group) {
      if (kid.spec.restart === RestartType.TEMPORARY) this.kids.splice(this.kids.indexOf(kid), 1);
    }
    for (const kid of group) {
      if (!this.kids.includes(kid)) continue;
      for (;;) {
        try {
          await this.startKid(kid);
          break;
        } catch {
          this.countRestart();
        }
      }
    }
  }

  /** Record a restart; past the intensity, stop everything and exit. */
  private countRestart(): void {
    const t = (this[kProc] as Proc).rt.scheduler.now();
    const windowStart = t - this.maxSeconds * 1000;
    const restarts = this.restarts; // in time order: expired ones are at the front
    while (restarts.length > 0 && (restarts.peek() as number) <= windowStart) restarts.shift();
    restarts.push(t);
    if (restarts.length > this.maxRestarts) {
      this.stop(new Crash(new MaxRestartsExceeded(this.constructor.name, this.maxRestarts, this.maxSeconds)));
    }
  }
}

type ExitReasonMessage = ChildExit;

async function supCall<T>(fn: string, sup: Pid, request: SupRequest): Promise<T> {
  procOf(fn, sup);
  const r = await call<unknown>(sup, request, Infinity);
  if (r instanceof Refusal) throw r.error;
  return r as T;
}

/** The children of `sup` as `[{ id, pid }]`, in start order (`pid` undefined when not running). */
export function whichChildren(sup: Pid): Promise<ChildInfo[]> {
  return supCall("whichChildren", sup, { op: "which" });
}

/** The number of children of `sup`. */
export function countChildren(sup: Pid): Promise<number> {
  return supCall("countChildren", sup, { op: "count" });
}

/** Stop the child `id` of `sup` (it is not restarted; a temporary child is removed). */
export function terminateChild(sup: Pid, id: string): Promise<void> {
  return supCall("terminateChild", sup, { op: "terminate", id });
}

/** Start again the stopped child `id` of `sup`; resolves with its new pid. */
export function restartChild(sup: Pid, id: string): Promise<Pid> {
  return supCall("restartChild", sup, { op: "restart", id });
}

/** Add and start a child at run time; resolves with its pid. */
export function startChild(sup: Pid, spec: ChildSpec | ChildSpecInput): Promise<Pid> {
  return supCall("startChild", sup, { op: "start", spec: childSpec(spec) });
}
