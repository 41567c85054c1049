/**
 * The trace of a simulation: every event with its step, virtual time, kind, source,
 * target and a short rendering of the message. Stable under replay, readable by a person.
 */

/** The kinds of traced events. */
export type TraceKind =
  "spawn" | "start" | "send" | "deliver" | "drop" | "step" | "timer" | "exit" | "crash" | "task end";

/** One traced event. `source` and `target` read like `Counter<0.7>`. */
export interface TraceEvent {
  /** The scheduling decision during which the event happened (0 before the first). */
  readonly step: number;
  /** Virtual milliseconds. */
  readonly time: number;
  readonly kind: TraceKind;
  readonly source: string;
  readonly target: string;
  /** A short rendering of the message, reason or timer. */
  readonly message: string;
}

/** One event as a line of text: `#12   5ms deliver  Client<0.3> → Counter<0.2>  call ["add", 1]`. */
export function formatEvent(e: TraceEvent): string {
  const step = `#${e.step}`.padEnd(6);
  const time = `${e.time}ms`.padStart(7);
  const kind = e.kind.padEnd(8);
  const who = e.source === "" ? e.target : e.target === "" ? e.source : `${e.source} → ${e.target}`;
  return `${step}${time} ${kind} ${who}${e.message === "" ? "" : `  ${e.message}`}`;
}

/** Options of `formatTrace`. */
export interface FormatTraceOptions {
  /** Show at most this many events: the first and last halves, with a marker between (default: all). */
  limit?: number;
  /** Leave out `send` events (each send is followed later by its `deliver`). */
  hideSends?: boolean;
}

/**
 * A trace as text that a person can follow, one event a line.
 * @example console.log(formatTrace(run.trace));
 */
export function formatTrace(trace: readonly TraceEvent[], options: FormatTraceOptions = {}): string {
  const events = options.hideSends === true ? trace.filter((e) => e.kind !== "send") : trace;
  const limit = options.limit ?? Infinity;
  if (events.length <= limit) return events.map(formatEvent).join("\n");
  const head = Math.ceil(limit / 2);
  const tail = Math.floor(limit / 2);
  return [
    ...events.slice(0, head).map(formatEvent),
    `… ${events.length - head - tail} events left out …`,
    ...events.slice(events.length - tail).map(formatEvent),
  ].join("\n");
}

/** A 64-bit FNV-1a digest, as 16 hex digits, fed one string at a time. */
export class TraceHasher {
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;

  update(text: string): void {
    let { hi, lo } = this;
    for (let i = 0; i < text.length; i++) {
      lo ^= text.charCodeAt(i);
      // multiply the 64-bit (hi, lo) by the FNV prime 0x100000001b3
      const loMul = lo * 0x1b3;
      const carry = Math.floor(loMul / 0x100000000);
      hi = (Math.imul(hi, 0x1b3) + Math.imul(lo, 0x100) + carry) >>> 0;
      lo = loMul >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
  }

  digest(): string {
    return this.hi.toString(16).padStart(8, "0") + this.lo.toString(16).padStart(8, "0");
  }
}

/** The digest of a whole trace. */
export function hashTrace(trace: readonly TraceEvent[]): string {
  const h = new TraceHasher();
  for (const e of trace) h.update(`${e.step}|${e.time}|${e.kind}|${e.source}|${e.target}|${e.message}\n`);
  return h.digest();
}
