/**
 * The Scheduler seam: the one place through which the runtime gets time, timers,
 * randomness and the running of process steps. `MicrotaskScheduler` is the
 * production implementation; `SimScheduler` (in `fauxtp/sim`) is the seeded,
 * virtual-time one. Nothing else in the runtime touches real time or randomness.
 */
import type { Pid } from "./pid.js";
import type { Scope } from "./scope.js";

/** Something the scheduler runs when it gets to it: one step of a process. */
export interface Runnable {
  run(): void;
}

/** A process, as the scheduler sees it (for attribution and traces). */
export interface ProcessRef {
  readonly pid: Pid;
  /** The actor class name, `Task`, `Inbox` or `main`. */
  readonly name: string;
}

/** Where a delivery lands: a process's mailbox or a reply slot. */
export interface Endpoint {
  /** Perform the arrival. Called by the scheduler, once per delivery. */
  accept(message: unknown): void;
  /** The process that a delivery to this endpoint resumes (undefined outside any process). */
  readonly owner: ProcessRef | undefined;
}

/** Something a timer fires. */
export interface TimerTarget {
  fire(): void;
}

/** An armed timer, as returned by `setTimer`. Opaque to the runtime. */
export interface TimerHandle {
  readonly deadline: number;
}

/**
 * The interface every scheduler implements.
 *
 * **Gotchas**: `deliver` must keep the order of deliveries between one sender and one
 * endpoint owner; `schedule` may be called many times for one runnable only after it ran.
 */
export interface Scheduler {
  /** Milliseconds, monotonic. Virtual inside a simulation. */
  now(): number;
  /** A float in [0, 1). Seeded inside a simulation. */
  random(): number;
  /** Run `task.run()` soon. */
  schedule(task: Runnable): void;
  /** Carry `message` from `from` (the sending process, if any) to `to`: call `to.accept(message)` now or later. */
  deliver(from: ProcessRef | undefined, to: Endpoint, message: unknown): void;
  /** Call `target.fire()` once, no earlier than `delayMs` from now. `owner` is the process that waits on it. */
  setTimer(delayMs: number, target: TimerTarget, owner?: ProcessRef): TimerHandle;
  /** Disarm a timer; a no-op when it already fired or was cancelled. */
  cancelTimer(handle: TimerHandle): void;
  /**
   * When true, the runtime of this scheduler becomes the ambient one (for `now`,
   * `sleep`, the registry and refs) while a scope runs on it, and only one such
   * scheduler may be in use at a time. Simulation schedulers set it.
   */
  readonly exclusive?: boolean;
  /**
   * A scheduler that drives its own event loop (a simulation) runs `withScope` bodies
   * itself: `withScope(body, { scheduler })` delegates to this when it is present.
   */
  runScope?<T>(body: (scope: Scope) => T | Promise<T>): Promise<T>;
}
