/**
 * SimScheduler: a seeded, virtual-time scheduler. Every send is an in-flight delivery,
 * every process start a step, every timer an event; a strategy picks the next event
 * among those enabled, and each step settles (microtasks drained) before the next pick.
 * The only file of the simulator that touches real time (setImmediate, to let a step settle).
 */
import seedrandom from "seedrandom";
import {
  Crash,
  formatReason,
  render,
  type Endpoint,
  type ExitReason,
  type ProcessRef,
  type Runnable,
  type Scheduler,
  type TimerHandle,
  type TimerTarget,
} from "../src/index.js";
import {
  claimAmbient,
  DEAD,
  Deque,
  Failure,
  Proc,
  type ProcHost,
  releaseAmbient,
  RUNNING,
  type Runtime,
  runtimeFor,
  Scope,
  Slot,
  STARTING,
  type RuntimeObserver,
} from "../src/internal.js";
import {
  Deadlock,
  type FailureContext,
  SimulationEscape,
  SimulationFailure,
  StepLimitExceeded,
  type BlockedProcess,
} from "./errors.js";
import { encodeReplay } from "./replay.js";
import {
  type Choice,
  type Departure,
  RandomStrategy,
  ReplayDiverged,
  ReplayStrategy,
  type Strategy,
} from "./strategy.js";
import { TraceHasher, type TraceEvent, type TraceKind } from "./trace.js";

/** Options of a SimScheduler (and of `simulate`). */
export interface SimSchedulerOptions {
  /** The seed of the schedule and of the runtime's randomness: a non-negative integer (default 0). */
  seed?: number;
  /** Scheduling steps before the run fails with StepLimitExceeded (default 1,000,000). */
  maxSteps?: number;
  /**
   * A timer due within this many virtual ms may fire before events that are still in
   * flight (slow delivery); later timers fire only when nothing else can run (default 5).
   */
  timerSlackMs?: number;
  /** Who picks the next event (default: uniform choices seeded by `seed`). */
  strategy?: Strategy;
}

const DEFAULT_MAX_STEPS = 1_000_000;
/** Microtask turns a step gets to block again before a host turn is taken instead. */
const MICRO_TURNS = 16;
/** Every this many steps, a host turn anyway. */
const FULL_SETTLE_EVERY = 64;
const DEFAULT_SLACK = 5;

class Lane {
  readonly queue = new Deque<Delivery>();
  /** `From#0>To#1`: the lane's stable name. */
  readonly name: string;
  sent = 0;
  constructor(name: string) {
    this.name = name;
  }
}

class Delivery {
  readonly seq: number;
  /** Its place on its lane. */
  readonly n: number;
  readonly from: ProcessRef | undefined;
  readonly to: Endpoint;
  readonly message: unknown;
  readonly lane: Lane;
  /** The message as the trace shows it, rendered once when sent. */
  text = "";
  constructor(seq: number, from: ProcessRef | undefined, to: Endpoint, message: unknown, lane: Lane) {
    this.seq = seq;
    this.n = lane.sent++;
    this.from = from;
    this.to = to;
    this.message = message;
    this.lane = lane;
  }
  /** Its stable name, made only when a strategy or a departure needs it. */
  get id(): string {
    return `d ${this.lane.name} ${this.n}`;
  }
  get kind(): "deliver" {
    return "deliver";
  }
  get label(): string {
    return `${nameOf(this.from)} → ${nameOf(this.to.owner)}: ${this.text}`;
  }
}

class StepEvent {
  readonly seq: number;
  readonly task: Runnable;
  readonly id: string;
  constructor(seq: number, task: Runnable, id: string) {
    this.seq = seq;
    this.task = task;
    this.id = id;
  }
  get kind(): "step" {
    return "step";
  }
  get label(): string {
    return nameOf(this.task as unknown as Proc);
  }
}

class SimTimer implements TimerHandle, Choice {
  readonly deadline: number;
  readonly delay: number;
  id = "";
  readonly seq: number;
  readonly target: TimerTarget;
  readonly owner: ProcessRef | undefined;
  cancelled = false;
  constructor(
    deadline: number,
    delay: number,
    seq: number,
    target: TimerTarget,
    owner: ProcessRef | undefined,
  ) {
    this.deadline = deadline;
    this.delay = delay;
    this.seq = seq;
    this.target = target;
    this.owner = owner;
  }
  get kind(): "timer" {
    return "timer";
  }
  get label(): string {
    return `${nameOf(this.owner)}: ${describeTimer(this.target)}`;
  }
}

type SimEvent = Delivery | StepEvent | SimTimer;

const nameOf = (p: ProcessRef | undefined): string => (p === undefined ? "" : `${p.name}${p.pid.toString()}`);

function renderDelivery(d: Delivery): string {
  const m = d.message;
  if (d.to instanceof Proc) return render(m);
  if (m instanceof Failure) return `failure ${render(m.error)}`;
  if (m instanceof Proc) return `started ${m.toString()}`;
  return `${(d.to as Slot).carries ?? "reply"} ${render(m)}`;
}

function describeTimer(target: TimerTarget): string {
  const d = (target as { describe?: () => string }).describe;
  return typeof d === "function" ? d.call(target) : "timer";
}

const rootHost: ProcHost = {
  begin() {},
  drain() {},
  terminate() {},
  stopChildren() {},
};

export function checkOptions(fn: string, o: SimSchedulerOptions): void {
  if (o === null || typeof o !== "object")
    throw new TypeError(`${fn}: options must be an object, got ${String(o)}`);
  const { seed, maxSteps, timerSlackMs } = o;
  if (seed !== undefined && (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0)) {
    throw new TypeError(
      `${fn}: seed must be a non-negative integer, got ${typeof seed === "number" ? seed : typeof seed}`,
    );
  }
  if (
    maxSteps !== undefined &&
    (typeof maxSteps !== "number" || !Number.isSafeInteger(maxSteps) || maxSteps <= 0)
  ) {
    throw new TypeError(
      `${fn}: maxSteps must be a positive integer, got ${typeof maxSteps === "number" ? maxSteps : typeof maxSteps}`,
    );
  }
  if (
    timerSlackMs !== undefined &&
    (typeof timerSlackMs !== "number" || !Number.isFinite(timerSlackMs) || timerSlackMs < 0)
  ) {
    throw new TypeError(
      `${fn}: timerSlackMs must be a finite non-negative number, got ${String(timerSlackMs)}`,
    );
  }
}

/**
 * The seeded, virtual-time scheduler. Use it through `simulate`, or pass it to
 * `withScope(body, { scheduler })`, which it then drives itself.
 *
 * **Gotchas**: one simulation runs at a time per JS realm. A body that awaits a real
 * timer or I/O fails with `SimulationEscape` instead of losing determinism.
 */
export class SimScheduler implements Scheduler, RuntimeObserver {
  readonly exclusive = true;
  readonly seed: number;
  readonly maxSteps: number;
  readonly timerSlackMs: number;
  /** The events recorded so far. */
  readonly trace: TraceEvent[] = [];
  /** The index picked at each choice point (where more than one event could run). */
  readonly picks: number[] = [];
  /** The choices that departed from the default order, by event name. */
  readonly departures: Departure[] = [];
  private readonly strategy: Strategy;
  private readonly rng: () => number;
  private readonly rt: Runtime;
  private time = 0;
  private seq = 0;
  private stepNo = 0;
  private readonly lanes = new Map<number, Lane>();
  private readonly active = new Set<Lane>();
  private readonly pendingSteps: StepEvent[] = [];
  private readonly timers: SimTimer[] = [];
  private applying = false;
  private readonly inline: Runnable[] = [];
  private readonly hasher = new TraceHasher();
  private hashed = 0;
  private used = false;
  private claimed = false;
  /** Stable process names: class and instance number (`Counter#2`). */
  private readonly labels = new Map<ProcessRef, string>();
  private readonly perName = new Map<string, number>();
  private readonly counters = new Map<string, number>();
  /** True while the run loop drives the body. */
  private live = false;
  /** Processes their own step left unsettled (awaiting a promise no event settles, yet). */
  private readonly detached = new Set<Proc>();
  /** What was done outside any step, if anything. */
  private outside: string | undefined;

  constructor(options: SimSchedulerOptions | number = {}) {
    const o = typeof options === "number" ? { seed: options } : options;
    checkOptions("SimScheduler", o);
    this.seed = o.seed ?? 0;
    this.maxSteps = o.maxSteps ?? DEFAULT_MAX_STEPS;
    this.timerSlackMs = o.timerSlackMs ?? DEFAULT_SLACK;
    this.strategy = o.strategy ?? new RandomStrategy(this.seed);
    this.rng = seedrandom.alea(`fauxtp-random:${this.seed}`);
    this.rt = runtimeFor(this);
  }

  /** Where a lenient replay did not fit the run (empty otherwise). */
  get divergences(): readonly Error[] {
    return this.strategy instanceof ReplayStrategy ? this.strategy.divergences : [];
  }

  /** Scheduling decisions taken so far. */
  get steps(): number {
    return this.stepNo;
  }

  /** Virtual milliseconds elapsed. */
  get virtualTimeMs(): number {
    return this.time;
  }

  /** The digest of the trace so far. */
  get traceHash(): string {
    // Hashed on demand: most runs are never asked for it.
    const trace = this.trace;
    for (; this.hashed < trace.length; this.hashed++) {
      const e = trace[this.hashed] as TraceEvent;
      this.hasher.update(`${e.step}|${e.time}|${e.kind}|${e.source}|${e.target}|${e.message}\n`);
    }
    return this.hasher.digest();
  }

  /** A string that reproduces the run so far: `simulate(body, { replay })`. */
  get replay(): string {
    return encodeReplay({
      seed: this.seed,
      timerSlackMs: this.timerSlackMs,
      maxSteps: this.maxSteps,
      departures: this.departures,
    });
  }

  // --- Scheduler ---------------------------------------------------------------

  now(): number {
    return this.time;
  }

  random(): number {
    return this.rng();
  }

  schedule(task: Runnable): void {
    if (this.live && this.rt.current === undefined)
      this.noteOutside(`a start of ${(task as Proc).toString()}`);
    if (this.applying) this.inline.push(task);
    else
      this.pendingSteps.push(
        new StepEvent(this.seq++, task, this.eventId("s", this.label(task as unknown as Proc))),
      );
  }

  deliver(from: ProcessRef | undefined, to: Endpoint, message: unknown): void {
    this.noteOutside("a send");
    const target = to instanceof Proc ? to : to.owner;
    // Lanes are found by pid numbers; their stable names (for replays) are made once.
    const key =
      ((from === undefined ? -1 : from.pid.id) + 1) * 0x100000000 +
      (target === undefined ? 0 : target.pid.id + 1);
    let lane = this.lanes.get(key);
    if (lane === undefined) {
      lane = new Lane(`${this.label(from)}>${this.label(target)}`);
      this.lanes.set(key, lane);
    }
    const d = new Delivery(this.seq++, from, to, message, lane);
    lane.queue.push(d);
    this.active.add(lane);
    d.text = renderDelivery(d);
    this.record("send", nameOf(from), nameOf(target), d.text);
  }

  setTimer(delayMs: number, target: TimerTarget, owner?: ProcessRef): TimerHandle {
    this.noteOutside("a timer");
    const t = new SimTimer(this.time + delayMs, delayMs, this.seq++, target, owner);
    t.id = this.eventId("t", this.label(owner));
    heapPush(this.timers, t);
    return t;
  }

  cancelTimer(handle: TimerHandle): void {
    (handle as SimTimer).cancelled = true;
  }

  runScope<T>(body: (scope: Scope) => T | Promise<T>): Promise<T> {
    return this.run(body, "withScope");
  }

  // --- RuntimeObserver -----------------------------------------------------------

  spawned(proc: Proc): void {
    const k = this.perName.get(proc.name) ?? 0;
    this.perName.set(proc.name, k + 1);
    this.labels.set(proc, `${proc.name}#${k}`);
    this.record("spawn", nameOf(this.rt.current), proc.toString(), "");
  }

  exited(proc: Proc, reason: ExitReason): void {
    const kind: TraceKind = proc.name === "Task" ? "task end" : reason instanceof Crash ? "crash" : "exit";
    this.record(kind, proc.toString(), "", render(formatReason(reason), 100));
  }

  // --- The run ---------------------------------------------------------------------

  /**
   * Run `body` in a fresh scope under this scheduler until it settles and its scope has
   * stopped. Rejects with a SimulationFailure (Deadlock, SimulationEscape,
   * StepLimitExceeded) or with the body's own error.
   */
  async run<T>(body: (scope: Scope) => T | Promise<T>, fn = "simulate"): Promise<T> {
    if (typeof body !== "function")
      throw new TypeError(`${fn}: expected a body function, got ${typeof body}`);
    if (this.used) throw new Error(`${fn}: this SimScheduler has already run; make a new one for each run`);
    this.claim(fn);
    this.used = true;
    const rt = this.rt;
    rt.observer = this;
    try {
      const root = new Proc(rt, "main", rootHost, undefined);
      root.begun = true;
      root.status = RUNNING;
      let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
      let finished = false;
      rt.current = root;
      const scope = new Scope(rt);
      const done = (async () => {
        try {
          outcome = { ok: true, value: await body(scope) };
        } catch (error) {
          outcome = { ok: false, error };
        }
        await scope.close("shutdown");
      })();
      void done.then(() => {
        finished = true;
        root.status = DEAD;
        rt.procs.delete(root);
      });
      this.live = true;
      await this.settle();
      this.noteDetached(root);
      while (!finished) {
        const event = this.pick();
        if (event === undefined) {
          // Nothing can run: a process neither blocked nor done awaits something outside.
          const waiting = this.unsettled();
          if (waiting.length > 0) throw new SimulationEscape(waiting.join(", "), this.context());
          throw new Deadlock(this.blocked(), this.context());
        }
        if (++this.stepNo > this.maxSteps) {
          this.stepNo--;
          throw new StepLimitExceeded(this.maxSteps, this.context());
        }
        const who = this.apply(event);
        await this.settle(who);
        this.noteDetached(who);
      }
      if (this.strategy instanceof ReplayStrategy) this.strategy.finish(this.stepNo);
      const result = outcome as { ok: true; value: T } | { ok: false; error: unknown };
      if (!result.ok) throw result.error;
      return result.value;
    } finally {
      this.live = false;
      rt.current = undefined;
      rt.observer = undefined;
      releaseAmbient(rt);
    }
  }

  /**
   * Take the realm's ambient runtime for this simulation.
   * @throws Error when another simulation is running (a misuse, not a simulation failure).
   */
  claim(fn = "simulate"): void {
    if (this.claimed) return;
    claimAmbient(this.rt, fn);
    this.claimed = true;
  }

  /** The failure context of the run so far. */
  context(cause?: unknown): FailureContext {
    const base = { seed: this.seed, trace: this.trace, replay: this.replay, step: this.stepNo };
    return cause === undefined ? base : { ...base, cause };
  }

  /** Wrap an error of a run into a SimulationFailure (kept as is when it already is one). */
  failure(error: unknown): SimulationFailure {
    if (error instanceof SimulationFailure) return error;
    if (error instanceof ReplayDiverged) return new SimulationFailure(error.message, this.context(error));
    const what = error instanceof Error ? `${error.name}: ${error.message}` : render(error, 200);
    return new SimulationFailure(`The simulated body failed: ${what}`, this.context(error));
  }

  /**
   * Let a step settle: one host turn drains every microtask it started. A process still
   * neither blocked nor done afterwards awaits something no runtime event settles: a
   * promise another process settles later (deterministic: it resumes inside that step),
   * or a real timer or I/O (caught when it touches the runtime outside any step).
   */
  private async settle(who?: Proc): Promise<void> {
    // Most steps settle within a few microtask turns: when the stepped process is blocked
    // again by then, the next pick can go on without a host turn (a host turn costs about
    // as much as the rest of a step). Microtask order is deterministic, so this keeps
    // runs reproducible; a host turn every few steps still gives escapes a chance to show.
    if (who !== undefined && this.stepNo % FULL_SETTLE_EVERY !== 0) {
      for (let i = 0; i < MICRO_TURNS; i++) await resolved;
      if (isSettled(who)) {
        this.rt.current = undefined;
        return;
      }
    }
    await nextTurn();
    this.rt.current = undefined;
    if (this.outside !== undefined) {
      const suspects = new Set([...this.detached].map((p) => p.toString()));
      for (const p of this.unsettled()) suspects.add(p);
      const who = suspects.size > 0 ? [...suspects].join(", ") : "a process";
      throw new SimulationEscape(`${who} (${this.outside} outside any simulated step)`, this.context());
    }
  }

  /** Remember a process left neither blocked nor done by its own step: it awaits something unknown. */
  private noteDetached(who: Proc | undefined): void {
    for (const p of this.detached) if (isSettled(p)) this.detached.delete(p);
    if (who !== undefined && !isSettled(who)) this.detached.add(who);
  }

  /** Runtime activity with no simulated step running: code resumed by the host, not the simulator. */
  private noteOutside(what: string): void {
    if (this.live && this.rt.current === undefined && this.outside === undefined) this.outside = what;
  }

  private pick(): SimEvent | undefined {
    const options: SimEvent[] = [];
    for (const lane of this.active) options.push(lane.queue.peek() as Delivery);
    for (const s of this.pendingSteps) options.push(s);
    if (options.length > 1) options.sort((a, b) => a.seq - b.seq);
    const timers = this.timers;
    while (timers.length > 0 && (timers[0] as SimTimer).cancelled) heapPop(timers);
    const timer = timers[0];
    // A timer may overtake in-flight deliveries (slow delivery, slow handling) when it is
    // due within the slack, never a pending process start; and a zero-delay timer ("after 0")
    // never overtakes anything, so it cannot miss a message sent before it was set.
    if (
      timer !== undefined &&
      (options.length === 0 ||
        (timer.delay > 0 &&
          this.pendingSteps.length === 0 &&
          timer.deadline - this.time <= this.timerSlackMs))
    ) {
      options.push(timer);
    }
    if (options.length <= 1) return options[0];
    const index = this.strategy.choose(options, this.stepNo + 1);
    if (!Number.isInteger(index) || index < 0 || index >= options.length) {
      throw new Error(
        `strategy chose ${index} among ${options.length} events (seed ${this.seed}, step ${this.stepNo + 1})`,
      );
    }
    this.picks.push(index);
    if (index !== 0)
      this.departures.push({ at: (options[0] as SimEvent).id, pick: (options[index] as SimEvent).id });
    return options[index];
  }

  /** Perform an event; returns the process it resumes. */
  private apply(event: SimEvent): Proc | undefined {
    const rt = this.rt;
    if (event instanceof Delivery) {
      const q = event.lane.queue;
      q.shift();
      if (q.length === 0) this.active.delete(event.lane);
      const to = event.to;
      let who: Proc | undefined;
      if (to instanceof Proc) {
        who = to.waiter?.owner ?? to;
        this.record(to.status === DEAD ? "drop" : "deliver", nameOf(event.from), to.toString(), event.text);
      } else {
        who = to.owner as Proc | undefined;
        this.record("deliver", nameOf(event.from), nameOf(who), event.text);
      }
      rt.current = who;
      this.applying = true;
      try {
        to.accept(event.message);
      } finally {
        this.applying = false;
      }
      const inline = this.inline;
      while (inline.length > 0) (inline.shift() as Runnable).run();
      return who;
    }
    if (event instanceof StepEvent) {
      this.pendingSteps.splice(this.pendingSteps.indexOf(event), 1);
      const proc = event.task as Proc;
      rt.current = proc;
      this.record(proc.begun ? "step" : "start", "", proc.toString(), "");
      proc.run();
      return proc;
    }
    heapPop(this.timers);
    if (event.deadline > this.time) this.time = event.deadline;
    const owner = event.owner as Proc | undefined;
    rt.current = owner;
    this.record("timer", "", nameOf(owner), describeTimer(event.target));
    event.target.fire();
    return owner;
  }

  /** Live processes that are neither blocked, idle, waiting to run nor dead. */
  private unsettled(): string[] {
    const out: string[] = [];
    for (const p of this.rt.procs) if (!isSettled(p)) out.push(p.toString());
    return out;
  }

  private blocked(): BlockedProcess[] {
    const out: BlockedProcess[] = [];
    for (const p of this.rt.procs) {
      if (p.passive) continue;
      out.push({ process: p.toString(), waitingFor: describeWaits(p) });
    }
    return out;
  }

  /** The stable name of a process: `Class#k`, `-` for none. */
  private label(p: ProcessRef | undefined): string {
    if (p === undefined) return "-";
    return this.labels.get(p) ?? p.name;
  }

  /** `kind name n`: the n-th event of this kind for this process. */
  private eventId(kind: string, name: string): string {
    const key = `${kind} ${name}`;
    const n = this.counters.get(key) ?? 0;
    this.counters.set(key, n + 1);
    return `${key} ${n}`;
  }

  private record(kind: TraceKind, source: string, target: string, message: string): void {
    const e: TraceEvent = { step: this.stepNo, time: this.time, kind, source, target, message };
    this.trace.push(e);
  }
}

const resolved: Promise<void> = Promise.resolve();

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function isSettled(p: Proc): boolean {
  return (
    p.status === DEAD ||
    p.passive ||
    p.idle ||
    p.scheduled ||
    p.waiter !== null ||
    (p.waits !== null && p.waits.size > 0) ||
    (p.status === STARTING && !p.begun)
  );
}

function describeWaits(p: Proc): string {
  const parts: string[] = [];
  if (p.waits !== null) for (const w of p.waits) parts.push(w.describe());
  if (parts.length === 0 && p.waiter !== null) parts.push(p.waiter.describe());
  if (parts.length === 0 && p.idle) parts.push("waiting for a message (idle)");
  return parts.length === 0 ? "nothing the simulator knows of" : parts.join("; ");
}

// A binary min-heap of timers by (deadline, seq): ties never depend on sort stability.
const before = (a: SimTimer, b: SimTimer): boolean =>
  a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);

function heapPush(h: SimTimer[], t: SimTimer): void {
  h.push(t);
  let i = h.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(h[i] as SimTimer, h[parent] as SimTimer)) break;
    [h[i], h[parent]] = [h[parent] as SimTimer, h[i] as SimTimer];
    i = parent;
  }
}

function heapPop(h: SimTimer[]): SimTimer | undefined {
  const top = h[0];
  const last = h.pop();
  if (h.length > 0 && last !== undefined) {
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l] as SimTimer, h[m] as SimTimer)) m = l;
      if (r < h.length && before(h[r] as SimTimer, h[m] as SimTimer)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m] as SimTimer, h[i] as SimTimer];
      i = m;
    }
  }
  return top;
}
