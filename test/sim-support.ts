/**
 * Shared pieces of the simulator tests and properties: small servers, and checks of
 * what a trace must never show (per-pair reordering, time going back, early timers).
 */
import { GenServer, type From } from "fauxtp";
import type { TraceEvent } from "fauxtp/sim";
import { rejectionOf } from "./support.js";
export { rejectionOf };

/** A counter with read-modify-write calls: `"get"`, `["set", n]`, `["add", n]`, and casts `"inc"`. */
export type CounterCall = "get" | ["set", number] | ["add", number];
export class Counter extends GenServer<number, CounterCall, "inc"> {
  override init(): number {
    return 0;
  }
  override handleCall(request: CounterCall, _from: From, state: number): readonly [number, number] {
    if (request === "get") return [state, state];
    if (request[0] === "set") return [request[1], request[1]];
    return [state + request[1], state + request[1]];
  }
  override handleCast(_request: "inc", state: number): number {
    return state + 1;
  }
}

/** The events that carry a message from one process to another. */
const isArrival = (e: TraceEvent): boolean => e.kind === "deliver" || e.kind === "drop";

/**
 * Per (source, target) pair, the arrivals (deliver or drop) must be the sends in the
 * same order (a prefix of them: a run may end with messages still in flight).
 * Returns a description of every violation (empty when the trace is sound).
 */
export function fifoViolations(trace: readonly TraceEvent[]): string[] {
  const sends = new Map<string, string[]>();
  const arrived = new Map<string, number>();
  const out: string[] = [];
  for (const e of trace) {
    if (e.kind !== "send" && !isArrival(e)) continue;
    const key = `${e.source} → ${e.target}`;
    if (e.kind === "send") {
      let list = sends.get(key);
      if (list === undefined) sends.set(key, (list = []));
      list.push(e.message);
      continue;
    }
    const n = arrived.get(key) ?? 0;
    const expected = sends.get(key)?.[n];
    if (expected !== e.message) {
      out.push(
        `#${e.step} ${key}: arrival ${n + 1} is ${e.message}, but send ${n + 1} was ${expected ?? "(none)"}`,
      );
    }
    arrived.set(key, n + 1);
  }
  return out;
}

/** Indices of events whose virtual time is smaller than the event before. */
export function timeGoesBack(trace: readonly TraceEvent[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < trace.length; i++) {
    const a = trace[i - 1] as TraceEvent;
    const b = trace[i] as TraceEvent;
    if (b.time < a.time) out.push(`event ${i} (#${b.step}) at ${b.time}ms after ${a.time}ms`);
  }
  return out;
}

/** Sleep timers (`sleep until <n>ms`) that fired before their deadline. */
export function earlyTimers(trace: readonly TraceEvent[]): string[] {
  const out: string[] = [];
  for (const e of trace) {
    if (e.kind !== "timer") continue;
    const m = /sleep until (\d+(?:\.\d+)?)ms/.exec(e.message);
    if (m !== null && e.time < Number(m[1])) out.push(`#${e.step} ${e.target} ${e.message} at ${e.time}ms`);
  }
  return out;
}

/** Every soundness check at once: the list of what is wrong with a trace. */
export function unsound(trace: readonly TraceEvent[]): string[] {
  return [...fifoViolations(trace), ...timeGoesBack(trace), ...earlyTimers(trace)];
}

/** All orders in which the messages of several senders can interleave, each sender's kept in order. */
export function interleavings<T>(lanes: readonly (readonly T[])[]): T[][] {
  const out: T[][] = [];
  const pos = lanes.map(() => 0);
  const acc: T[] = [];
  const total = lanes.reduce((n, l) => n + l.length, 0);
  const walk = (): void => {
    if (acc.length === total) {
      out.push(acc.slice());
      return;
    }
    lanes.forEach((lane, i) => {
      const p = pos[i] as number;
      if (p >= lane.length) return;
      acc.push(lane[p] as T);
      pos[i] = p + 1;
      walk();
      pos[i] = p;
      acc.pop();
    });
  };
  walk();
  return out;
}
