/**
 * Receive clauses and selective receive: take the oldest message that matches any
 * clause (clauses tried in order for each message), leave the rest in their order.
 */
import { checkTimeout, describeValue, ReceiveTimeout } from "./errors.js";
import { compile, type Matcher, type Pattern } from "./pattern.js";
import { render } from "./render.js";
import { CallSlot, closedError, EXITING, type Proc, Wait } from "./runtime.js";
import type { TimerHandle, TimerTarget } from "./scheduler.js";

/** A receive clause, made by `on`. */
export class Clause<R = unknown> {
  readonly pattern: Pattern;
  readonly matcher: Matcher;
  readonly handler: (...args: any[]) => R | Promise<R>;
  /**
   * For a tagged array pattern (`["tag", ...]`, the common case): its length and tag, so
   * that a scan can pass over other messages without calling the matcher. -1 otherwise.
   */
  readonly length: number;
  readonly tag: unknown;
  constructor(pattern: Pattern, handler: (...args: any[]) => R | Promise<R>) {
    this.pattern = pattern;
    this.matcher = compile(pattern);
    this.handler = handler;
    const first: unknown = Array.isArray(pattern) ? pattern[0] : undefined;
    const tagged =
      typeof first === "string" ||
      typeof first === "boolean" ||
      (typeof first === "number" && first !== 0 && first === first);
    this.length = tagged ? (pattern as unknown[]).length : -1;
    this.tag = first;
  }
}

/** Options of a receive. */
export interface ReceiveOptions {
  /** Milliseconds to wait for a matching message; rejects with `ReceiveTimeout` after it. */
  timeout?: number;
}

/**
 * A receive clause: when a message matches `pattern`, `handler` gets the extracted values.
 * @example on(["echo", Pid, String], (from, text) => send(from, text))
 */
export function on<R>(pattern: Pattern, handler: (...args: any[]) => R | Promise<R>): Clause<R> {
  if (typeof handler !== "function") {
    throw new TypeError(
      `on: expected a handler function as the second argument, got ${describeValue(handler)}`,
    );
  }
  return new Clause(pattern, handler);
}

/** The result type of a list of clauses. */
export type ClauseResult<C> = C extends Clause<infer R> ? R : never;

/** Split `receive`'s arguments into clauses and options, checking them. */
export function parseReceiveArgs(
  fn: string,
  args: readonly unknown[],
): { clauses: Clause[]; timeout: number } {
  let n = args.length;
  let timeout = Infinity;
  const last = args[n - 1];
  if (n > 0 && !(last instanceof Clause)) {
    if (last === undefined || last === null || typeof last !== "object") {
      throw new TypeError(`${fn}: expected clauses made by on(pattern, handler), got ${describeValue(last)}`);
    }
    const t = (last as ReceiveOptions).timeout;
    if (t !== undefined) timeout = checkTimeout(fn, "timeout", t);
    n--;
  }
  if (n === 0)
    throw new TypeError(`${fn}: expected at least one clause made by on(pattern, handler), got none`);
  const clauses: Clause[] = [];
  for (let i = 0; i < n; i++) {
    const c = args[i];
    if (!(c instanceof Clause)) {
      throw new TypeError(
        `${fn}: argument ${i + 1} must be a clause made by on(pattern, handler), got ${describeValue(c)}`,
      );
    }
    clauses.push(c);
  }
  return { clauses, timeout };
}

const scratch: unknown[] = [];

/** Remember a call taken by a generic receive, so that it fails if the process exits first. */
function hold(proc: Proc, call: CallSlot): void {
  const held = (proc.held ??= []);
  if (held.length >= 16) proc.held = held.filter((c) => !c.settled);
  proc.held.push(call);
}

/** Find the oldest matching message at or after `from`; on a hit remove it and return its clause and values. */
function take(proc: Proc, clauses: Clause[], from: number): { clause: Clause; args: unknown[] } | undefined {
  const box = proc.mailbox;
  if (clauses.length === 1) return takeOne(proc, clauses[0] as Clause, from);
  for (let i = from; i < box.length; i++) {
    const msg = box.at(i);
    for (let c = 0; c < clauses.length; c++) {
      const clause = clauses[c] as Clause;
      const n = clause.length;
      if (n >= 0 && (!Array.isArray(msg) || msg.length !== n || msg[0] !== clause.tag)) continue;
      if (scratch.length !== 0) scratch.length = 0; // setting length costs even when it is 0
      if (clause.matcher(msg, scratch)) {
        box.removeAt(i);
        if (msg instanceof CallSlot) hold(proc, msg);
        const args = scratch.slice();
        scratch.length = 0;
        return { clause, args };
      }
    }
  }
  if (scratch.length !== 0) scratch.length = 0;
  return undefined;
}

/** `take` for one clause, the common case: its fields read once, not per message. */
function takeOne(proc: Proc, clause: Clause, from: number): { clause: Clause; args: unknown[] } | undefined {
  const box = proc.mailbox;
  const n = clause.length;
  const tag = clause.tag;
  const matcher = clause.matcher;
  const end = box.length;
  for (let i = from; i < end; i++) {
    const msg = box.at(i);
    if (n >= 0 && (!Array.isArray(msg) || msg.length !== n || msg[0] !== tag)) continue;
    if (scratch.length !== 0) scratch.length = 0;
    if (matcher(msg, scratch)) {
      box.removeAt(i);
      if (msg instanceof CallSlot) hold(proc, msg);
      const args = scratch.slice();
      scratch.length = 0;
      return { clause, args };
    }
  }
  if (scratch.length !== 0) scratch.length = 0;
  return undefined;
}

class Waiter extends Wait implements TimerTarget {
  readonly proc: Proc;
  readonly clauses: Clause[];
  readonly timeout: number;
  scanFrom: number;
  timer: TimerHandle | undefined;
  private resolveFn!: (v: unknown) => void;
  private rejectFn!: (e: unknown) => void;
  readonly promise: Promise<unknown>;

  constructor(proc: Proc, clauses: Clause[], timeout: number) {
    super(proc.rt.current);
    this.proc = proc;
    this.clauses = clauses;
    this.timeout = timeout;
    this.scanFrom = proc.mailbox.length;
    this.promise = new Promise((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
    if (timeout !== Infinity) this.timer = proc.rt.scheduler.setTimer(timeout, this, this.owner ?? proc);
  }

  /** New messages arrived: look at them. */
  scan(proc: Proc): void {
    const hit = take(proc, this.clauses, this.scanFrom);
    if (hit === undefined) {
      this.scanFrom = proc.mailbox.length;
      return;
    }
    this.finish();
    try {
      this.resolveFn(hit.clause.handler(...hit.args));
    } catch (e) {
      this.rejectFn(e);
    }
  }

  fire(): void {
    if (this.proc.waiter !== this) return;
    this.timer = undefined;
    this.finish();
    this.rejectFn(new ReceiveTimeout(this.timeout));
  }

  abandon(): void {
    this.finish();
  }

  fail(error: unknown): void {
    this.finish();
    this.rejectFn(error);
  }

  describe(): string {
    const patterns = this.clauses.map((c) => renderPattern(c.pattern)).join(" | ");
    return `receive ${patterns}${this.timeout === Infinity ? "" : ` (timeout ${this.timeout}ms)`}`;
  }

  private finish(): void {
    if (this.proc.waiter === this) this.proc.waiter = null;
    if (this.timer !== undefined) {
      this.proc.rt.scheduler.cancelTimer(this.timer);
      this.timer = undefined;
    }
    this.endWait();
  }
}

/** Selective receive on a process's mailbox (the body of `Actor.receive` and `Inbox.receive`). */
export function receiveOn(proc: Proc, fn: string, args: readonly unknown[]): Promise<any> {
  const { clauses, timeout } = parseReceiveArgs(fn, args);
  if (proc.waiter !== null) {
    throw new Error(`${fn}: ${proc.toString()} is already waiting in another receive; receive one at a time`);
  }
  if (proc.status >= EXITING) {
    // An inbox's reader learns that it closed; a dead actor's orphaned code never receives again.
    return proc.passive ? Promise.reject(closedError(proc)) : new Promise(() => {});
  }
  const hit = take(proc, clauses, 0);
  if (hit !== undefined) {
    try {
      return Promise.resolve(hit.clause.handler(...hit.args));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  const waiter = new Waiter(proc, clauses, timeout);
  proc.waiter = waiter;
  return waiter.promise;
}

/** A short rendering of a pattern, for deadlock reports. */
export function renderPattern(p: unknown): string {
  if (typeof p === "function") return p.name || "fn";
  if (typeof p === "symbol")
    return p.description === "fauxtp.ANY" ? "ANY" : p.description === "fauxtp.IGNORE" ? "_" : String(p);
  if (Array.isArray(p)) return `[${p.map(renderPattern).join(", ")}]`;
  if (p !== null && typeof p === "object" && Object.getPrototypeOf(p) !== Object.prototype)
    return render(p, 40);
  if (p !== null && typeof p === "object") {
    const keys = Object.keys(p);
    if (keys.length === 0 && Object.getOwnPropertySymbols(p).length > 0) return "where(...)";
    return `{${keys.map((k) => `${k}: ${renderPattern((p as Record<string, unknown>)[k])}`).join(", ")}}`;
  }
  return typeof p === "string" ? JSON.stringify(p) : String(p);
}
