/**
 * `schedule()`: a fast-check arbitrary of schedules for `simulate(body, { schedule })`.
 * A schedule is one small integer per choice point (taken modulo the number of events
 * that could run; 0 is the oldest), so fast-check's shrinker, which shortens arrays and
 * moves values towards 0, shrinks a schedule towards the plain default order.
 */
import fc from "fast-check";

/** Options of `schedule()`. */
export interface ScheduleOptions {
  /** Choice points the schedule decides; past them, the default order (default 300). */
  maxLength?: number;
  /** The largest pick (default 3): larger values reach further from the oldest event. */
  maxPick?: number;
}

/**
 * An arbitrary of schedules.
 * @example
 * fc.assert(fc.asyncProperty(schedule(), async (s) => {
 *   await simulate(body, { schedule: s });
 * }));
 */
export function schedule(options: ScheduleOptions = {}): fc.Arbitrary<number[]> {
  const { maxLength = 300, maxPick = 3 } = options;
  if (!Number.isSafeInteger(maxLength) || maxLength < 0) {
    throw new TypeError(`schedule: maxLength must be a non-negative integer, got ${String(maxLength)}`);
  }
  if (!Number.isSafeInteger(maxPick) || maxPick < 1) {
    throw new TypeError(`schedule: maxPick must be a positive integer, got ${String(maxPick)}`);
  }
  return fc.array(fc.nat({ max: maxPick }), { maxLength });
}
