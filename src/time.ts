/**
 * Clock, sleep and refs of the runtime in use: virtual inside a simulation.
 */
import { checkTimeout } from "./errors.js";
import type { Ref } from "./pid.js";
import { currentRuntime, Forever, Sleep } from "./runtime.js";

/** Milliseconds on the scheduler's clock (virtual inside a simulation; monotonic). */
export function now(): number {
  return currentRuntime().scheduler.now();
}

/**
 * Resolve after `ms` milliseconds of scheduler time.
 * @throws TypeError for a negative or non-numeric `ms`.
 */
export function sleep(ms: number): Promise<void> {
  checkTimeout("sleep", "ms", ms);
  const rt = currentRuntime();
  if (ms === Infinity) return new Forever(rt.current).promise;
  return new Sleep(rt, ms).promise;
}

/** A fresh, unique reference. */
export function makeRef(): Ref {
  return currentRuntime().makeRef();
}

/** A float in [0, 1) from the scheduler (seeded inside a simulation). */
export function random(): number {
  return currentRuntime().scheduler.random();
}
