/**
 * Error classes and exit reasons. Every class has a stable `name` and a type guard.
 */

/** Why a process ended: a string (`"normal"`, `"shutdown"`, `"cancelled"`, `"killed"`, ...) or a `Crash`. */
export type ExitReason = string | Crash;

/** The exit reason of a process that threw: `.error` is the thrown value, kept as is. */
export class Crash {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
  toString(): string {
    const e = this.error;
    if (e instanceof Error) return `Crash(${e.name}: ${e.message})`;
    return `Crash(${String(e)})`;
  }
}

/** `"normal"`, `"shutdown"` and `"cancelled"` are normal exits; every other reason is abnormal. */
export function isNormalExit(reason: ExitReason): boolean {
  return reason === "normal" || reason === "shutdown" || reason === "cancelled";
}

/** Renders an exit reason for messages and traces. */
export function formatReason(reason: ExitReason): string {
  return typeof reason === "string" ? reason : reason.toString();
}

/** A `receive` found no matching message in time. */
export class ReceiveTimeout extends Error {
  override name = "ReceiveTimeout";
  readonly timeoutMs: number;
  constructor(timeoutMs: number, message = `No matching message within ${timeoutMs}ms`) {
    super(message);
    this.timeoutMs = timeoutMs;
  }
}

/** A `call` got no reply in time. A subclass of `ReceiveTimeout`. */
export class CallTimeout extends ReceiveTimeout {
  override name = "CallTimeout";
  constructor(timeoutMs: number) {
    super(timeoutMs, `No reply within ${timeoutMs}ms`);
  }
}

/** A `call` whose server was not alive (`reason` `"noproc"`) or exited before replying. */
export class CallExit extends Error {
  override name = "CallExit";
  readonly reason: ExitReason;
  constructor(reason: ExitReason, target?: string) {
    super(`Call to ${target ?? "process"} failed: the server exited (${formatReason(reason)})`);
    this.reason = reason;
  }
}

/** `Task.join` on a task that threw or was cancelled; `.reason` says why. */
export class TaskFailed extends Error {
  override name = "TaskFailed";
  readonly reason: ExitReason;
  constructor(reason: ExitReason) {
    super(`Task failed: ${formatReason(reason)}`);
    this.reason = reason;
  }
}

/** The error inside the `Crash` of a supervisor whose children restarted too often. */
export class MaxRestartsExceeded extends Error {
  override name = "MaxRestartsExceeded";
  readonly maxRestarts: number;
  readonly maxSeconds: number;
  constructor(supervisor: string, maxRestarts: number, maxSeconds: number) {
    super(`${supervisor}: more than ${maxRestarts} restarts within ${maxSeconds}s`);
    this.maxRestarts = maxRestarts;
    this.maxSeconds = maxSeconds;
  }
}

/** A process ended before it finished starting (its `init` called `stop`, or it was stopped). */
export class StartFailed extends Error {
  override name = "StartFailed";
  readonly reason: ExitReason;
  constructor(what: string, reason: ExitReason) {
    super(`${what} did not start: ${formatReason(reason)}`);
    this.reason = reason;
  }
}

export const isReceiveTimeout = (e: unknown): e is ReceiveTimeout => e instanceof ReceiveTimeout;
export const isCallTimeout = (e: unknown): e is CallTimeout => e instanceof CallTimeout;
export const isCallExit = (e: unknown): e is CallExit => e instanceof CallExit;
export const isTaskFailed = (e: unknown): e is TaskFailed => e instanceof TaskFailed;
export const isCrash = (r: unknown): r is Crash => r instanceof Crash;

/**
 * Thrown by `Actor.stop(reason)` to end the process from inside; `start` rejects with it
 * when `init` calls `stop`. Catching it in `run` swallows the stop, as catching `exit` does in Erlang.
 */
export class ActorExit extends Error {
  override name = "ActorExit";
  readonly reason: ExitReason;
  constructor(reason: ExitReason) {
    super(`Actor stopped: ${formatReason(reason)}`);
    this.reason = reason;
  }
}

/** The exit reason for a thrown value: `stop(reason)` unwinds with its reason, anything else is a crash. */
export function reasonOf(thrown: unknown): ExitReason {
  return thrown instanceof ActorExit ? thrown.reason : new Crash(thrown);
}

/** @internal checks of arguments, with messages that name the function, what was expected and what came */
export function describeValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "function") return `function ${v.name || "(anonymous)"}`;
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "object") return `an object (${v.constructor?.name ?? "no prototype"})`;
  return `${typeof v} ${(v as string | number | boolean | bigint | symbol | undefined)?.toString()}`;
}

export function checkTimeout(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
    throw new TypeError(
      `${fn}: ${name} must be a non-negative number of milliseconds or Infinity, got ${describeValue(value)}`,
    );
  }
  return value;
}
