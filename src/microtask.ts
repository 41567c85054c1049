/**
 * The production scheduler: process steps run from one microtask turn at a time,
 * timers live in the scheduler's own queues behind a single host timer. The only
 * file of the runtime that touches real time or `Math.random`.
 */
import { Deque } from "./deque.js";
import type { Endpoint, ProcessRef, Runnable, Scheduler, TimerHandle, TimerTarget } from "./scheduler.js";

/** Waking through a resolved promise costs less than queueMicrotask in Node. */
const resolved = Promise.resolve();

/** Steps run before the scheduler lets the host run I/O and timers once. */
const TURN_BUDGET = 20_000;

class Timer implements TimerHandle {
  readonly deadline: number;
  readonly seq: number;
  target: TimerTarget | null;
  readonly lane: Lane;
  constructor(deadline: number, seq: number, target: TimerTarget, lane: Lane) {
    this.deadline = deadline;
    this.seq = seq;
    this.target = target;
    this.lane = lane;
  }
}

/** Timers of one delay, so in deadline order: pushing is O(1), cancelling marks. */
class Lane {
  readonly queue = new Deque<Timer>();
  cancelled = 0;
}

/**
 * The default, production scheduler.
 *
 * **Gotchas**: a message send is a synchronous push; the receiver runs on a later
 * microtask. After {@link TURN_BUDGET} steps in one turn it yields through `setImmediate`
 * so that I/O and timers are not starved.
 */
export class MicrotaskScheduler implements Scheduler {
  private readonly queue = new Deque<Runnable>();
  private pending = false;
  private readonly lanes = new Map<number, Lane>();
  private liveTimers = 0;
  private timerSeq = 0;
  private hostTimer: ReturnType<typeof setTimeout> | undefined;
  private hostDeadline = Infinity;
  /** Whether the host timer keeps the process alive (only while a live timer needs it). */
  private hostRefed = false;

  now(): number {
    return performance.now();
  }

  random(): number {
    return Math.random();
  }

  schedule(task: Runnable): void {
    this.queue.push(task);
    if (!this.pending) {
      this.pending = true;
      // Steps run on microtasks, but never more than a budget of them without letting
      // the host run I/O and timers once, however the flushes are split up.
      if (this.stepsSinceHostTurn < TURN_BUDGET) void resolved.then(this.flush);
      else setImmediate(this.flushFromHost);
    }
  }

  deliver(_from: ProcessRef | undefined, to: Endpoint, message: unknown): void {
    to.accept(message);
  }

  /** Steps run since the host last had a turn (I/O, timers). */
  private stepsSinceHostTurn = 0;

  private readonly flushFromHost = (): void => {
    this.stepsSinceHostTurn = 0;
    this.flush();
  };

  private readonly flush = (): void => {
    const queue = this.queue;
    while (queue.length > 0) {
      if (this.stepsSinceHostTurn++ >= TURN_BUDGET) {
        setImmediate(this.flushFromHost);
        return;
      }
      (queue.shift() as Runnable).run();
    }
    this.pending = false;
  };

  setTimer(delayMs: number, target: TimerTarget): TimerHandle {
    let lane = this.lanes.get(delayMs);
    if (lane === undefined) {
      lane = new Lane();
      this.lanes.set(delayMs, lane);
    }
    const timer = new Timer(performance.now() + delayMs, this.timerSeq++, target, lane);
    lane.queue.push(timer);
    this.liveTimers++;
    if (timer.deadline < this.hostDeadline) this.arm(timer.deadline);
    else if (!this.hostRefed) this.refHost(true);
    return timer;
  }

  cancelTimer(handle: TimerHandle): void {
    const timer = handle as Timer;
    if (timer.target === null) return;
    timer.target = null;
    const lane = timer.lane;
    const q = lane.queue;
    if (q.peek() === timer) {
      // Timers of one delay are mostly cancelled in the order they were set: pop them.
      q.shift();
      while (q.length > 0 && (q.peek() as Timer).target === null) {
        q.shift();
        lane.cancelled--;
      }
    } else {
      lane.cancelled++;
      if (lane.cancelled > 1024 && lane.cancelled * 2 > q.length) this.compact(lane);
    }
    // The host timer stays armed (re-arming costs a setTimeout per call); it just stops
    // keeping the process alive until a live timer needs it again.
    if (--this.liveTimers === 0 && !this.unrefPending) {
      this.unrefPending = true;
      setImmediate(this.unrefIfIdle);
    }
  }

  /** Once per idle period, not per cancelled timer: toggling the host timer costs. */
  private unrefPending = false;
  private readonly unrefIfIdle = (): void => {
    this.unrefPending = false;
    if (this.liveTimers === 0) this.refHost(false);
  };

  private refHost(on: boolean): void {
    const t = this.hostTimer;
    if (t === undefined) return;
    if (on) t.ref();
    else t.unref();
    this.hostRefed = on;
  }

  private compact(lane: Lane): void {
    const kept = lane.queue.toArray().filter((t) => t.target !== null);
    lane.queue.clear();
    for (const t of kept) lane.queue.push(t);
    lane.cancelled = 0;
  }

  private arm(deadline: number): void {
    if (this.hostTimer !== undefined) clearTimeout(this.hostTimer);
    this.hostDeadline = deadline;
    this.hostTimer = setTimeout(this.onHostTimer, Math.max(0, Math.ceil(deadline - performance.now())));
    this.hostRefed = true;
  }

  private disarm(): void {
    if (this.hostTimer !== undefined) clearTimeout(this.hostTimer);
    this.hostTimer = undefined;
    this.hostDeadline = Infinity;
    this.hostRefed = false;
  }

  private readonly onHostTimer = (): void => {
    this.hostTimer = undefined;
    this.hostDeadline = Infinity;
    this.hostRefed = false;
    const t = performance.now();
    const due: Timer[] = [];
    let next = Infinity;
    for (const [delay, lane] of this.lanes) {
      const q = lane.queue;
      while (q.length > 0) {
        const head = q.peek() as Timer;
        if (head.target === null) {
          q.shift();
          lane.cancelled--;
          continue;
        }
        if (head.deadline > t) {
          if (head.deadline < next) next = head.deadline;
          break;
        }
        due.push(q.shift() as Timer);
      }
      if (q.length === 0) this.lanes.delete(delay);
    }
    due.sort((a, b) => a.deadline - b.deadline || a.seq - b.seq);
    for (const timer of due) {
      const target = timer.target;
      if (target === null) continue; // cancelled by an earlier timer in this batch
      timer.target = null;
      this.liveTimers--;
      target.fire();
    }
    if (this.liveTimers === 0) return this.disarm();
    // Deadlines of lanes may have changed while firing; find the earliest live one.
    if (next !== Infinity || this.hostTimer === undefined) {
      let earliest = Infinity;
      for (const lane of this.lanes.values()) {
        const q = lane.queue;
        for (let i = 0; i < q.length; i++) {
          const timer = q.at(i);
          if (timer.target !== null) {
            if (timer.deadline < earliest) earliest = timer.deadline;
            break;
          }
        }
      }
      if (earliest !== Infinity && earliest < this.hostDeadline) this.arm(earliest);
    }
  };
}
