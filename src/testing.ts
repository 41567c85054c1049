/**
 * Helpers for tests of actor code. Their timers go through the scheduler, so inside
 * `simulate` they cost no real time.
 */
import type { Actor } from "./actor.js";
import { describeValue } from "./errors.js";
import { GenServer } from "./genserver.js";
import { call, type From } from "./messaging.js";
import type { Pid } from "./pid.js";
import type { Clause, ClauseResult, ReceiveOptions } from "./receive.js";
import { currentRuntime, Sleep } from "./runtime.js";
import type { Inbox } from "./scope.js";
import { sleep } from "./time.js";

/** A helper's time ran out. */
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

/**
 * Settle with `work`, or reject with `TimeoutError` (`Timed out after <n>ms`).
 * @example await withTimeout(call(pid, "get"), 100);
 */
export function withTimeout<T>(work: Promise<T> | (() => T | Promise<T>), timeoutMs = 1000): Promise<T> {
  if (typeof timeoutMs !== "number" || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new TypeError(
      `withTimeout: timeoutMs must be a non-negative number, got ${describeValue(timeoutMs)}`,
    );
  }
  let promise: Promise<T>;
  try {
    promise = Promise.resolve(typeof work === "function" ? work() : work);
  } catch (e) {
    return Promise.reject(e);
  }
  if (timeoutMs === Infinity) return promise;
  const timer = new Sleep(currentRuntime(), timeoutMs);
  return new Promise<T>((resolve, reject) => {
    let done = false;
    promise.then(
      (v) => {
        done = true;
        timer.abandon();
        resolve(v);
      },
      (e) => {
        done = true;
        timer.abandon();
        reject(e);
      },
    );
    void timer.promise.then(() => {
      if (!done) reject(new TimeoutError(`Timed out after ${timeoutMs}ms`));
    });
  });
}

/** Options of `waitFor`. */
export interface WaitForOptions {
  /** Give up after this many ms (default 1000). */
  timeout?: number;
  /** Check every this many ms (default 10). */
  interval?: number;
}

/**
 * Resolve once `condition()` is truthy, checking every `interval` ms.
 * @throws TimeoutError (`Condition not met within <n>ms`).
 */
export async function waitFor(condition: () => unknown, options: WaitForOptions = {}): Promise<void> {
  if (typeof condition !== "function")
    throw new TypeError(`waitFor: expected a condition function, got ${describeValue(condition)}`);
  const { timeout = 1000, interval = 10 } = options;
  if (typeof interval !== "number" || !(interval > 0)) {
    throw new TypeError(`waitFor: interval must be a positive number, got ${describeValue(interval)}`);
  }
  const rt = currentRuntime();
  const deadline = rt.scheduler.now() + timeout;
  for (;;) {
    if (condition()) return;
    if (rt.scheduler.now() >= deadline) throw new TimeoutError(`Condition not met within ${timeout}ms`);
    await sleep(Math.min(interval, Math.max(0, deadline - rt.scheduler.now())));
  }
}

/**
 * `target.receive(...clauses)` with a 1000 ms timeout unless options say otherwise.
 * @throws ReceiveTimeout when nothing matches in time.
 */
export function assertReceives<C extends Clause<any>[]>(
  target: Inbox | Actor<any>,
  ...args: [...C] | [...C, ReceiveOptions]
): Promise<ClauseResult<C[number]>> {
  const last = args[args.length - 1];
  const hasOptions = last !== undefined && typeof last === "object" && !("matcher" in last);
  const clauses = (hasOptions ? args.slice(0, -1) : args) as Clause[];
  const options: ReceiveOptions = { timeout: 1000, ...(hasOptions ? last : {}) };
  return (target.receive as (...a: unknown[]) => Promise<ClauseResult<C[number]>>)(...clauses, options);
}

const MESSAGES = Symbol("fauxtp.collector.messages");

/** A GenServer that keeps every plain message it receives, in order. */
export class Collector extends GenServer<unknown[], typeof MESSAGES> {
  override init(): unknown[] {
    return [];
  }
  override handleInfo(message: unknown, state: unknown[]): unknown[] {
    state.push(message);
    return state;
  }
  override handleCall(
    _request: typeof MESSAGES,
    _from: From,
    state: unknown[],
  ): readonly [unknown[], unknown[]] {
    return [state.slice(), state];
  }
  /** The messages `pid` has collected so far (a copy). */
  static messages(pid: Pid): Promise<unknown[]> {
    return call<unknown[]>(pid, MESSAGES);
  }
}
