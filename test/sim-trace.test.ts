import { describe, it, expect } from "vitest";
import { GenServer, Pid, Task, call, cast, on, send, sleep, type From, type Scope } from "fauxtp";
import { formatEvent, formatTrace, hashTrace, simulate, type TraceEvent } from "fauxtp/sim";
import { Counter, earlyTimers, fifoViolations, timeGoesBack } from "./sim-support.js";

/** Slow casts (so that its mailbox fills past a drain budget), a crash on "boom". */
class Busy extends GenServer<number> {
  override init(): number {
    return 0;
  }
  override async handleCast(_request: unknown, state: number): Promise<number> {
    await sleep(100);
    return state + 1;
  }
  override handleCall(_request: unknown, _from: From, state: number): readonly [number, number] {
    return [state, state];
  }
  override handleInfo(message: unknown, state: number): number {
    if (message === "boom") throw new Error("boom");
    return state + 1;
  }
}

/** A run that shows every kind of event. */
async function everyKind(scope: Scope): Promise<number> {
  const inbox = scope.inbox();
  const busy = await Busy.start(scope);
  cast(busy, "slow");
  for (let i = 0; i < 1100; i++) send(busy, i);
  const n = await call<number>(busy, "get");
  const task = await Task.spawn(scope, () => 5);
  await task.join();
  send(busy, "boom");
  send(busy, "too late");
  await sleep(50);
  send(inbox.pid, "bye");
  return n;
}

describe("the trace", () => {
  it("records every kind of event", async () => {
    const run = await simulate(everyKind, { seed: 1 });
    const kinds = new Set(run.trace.map((e) => e.kind));
    for (const kind of [
      "spawn",
      "start",
      "send",
      "deliver",
      "drop",
      "step",
      "timer",
      "exit",
      "crash",
      "task end",
    ] as const) {
      expect(kinds.has(kind), `no ${kind} event`).toBe(true);
    }
    expect(run.value).toBe(1101);
  });

  it("names processes Class<pid> and renders messages shortly", async () => {
    const run = await simulate(everyKind, { seed: 1 });
    const find = (p: (e: TraceEvent) => boolean): TraceEvent | undefined => run.trace.find(p);
    expect(find((e) => e.kind === "spawn" && e.target === "Busy<0.2>")?.source).toBe("main<0.0>");
    expect(find((e) => e.kind === "start")?.target).toBe("Busy<0.2>");
    expect(find((e) => e.kind === "crash")).toMatchObject({
      source: "Busy<0.2>",
      message: expect.stringMatching(/boom/),
    });
    expect(find((e) => e.kind === "drop")).toMatchObject({
      source: "main<0.0>",
      target: "Busy<0.2>",
      message: '"too late"',
    });
    expect(find((e) => e.kind === "task end")?.source).toMatch(/^Task<0\.\d+>$/);
    expect(find((e) => e.kind === "deliver" && e.message.startsWith("cast"))?.message).toBe('cast "slow"');
    expect(find((e) => e.kind === "deliver" && e.message.startsWith("call"))?.message).toBe('call "get"');
    expect(find((e) => e.kind === "timer")?.message).toMatch(/sleep until 100ms/);
    expect(find((e) => e.kind === "exit" && e.source.startsWith("Inbox<"))?.message).toMatch(/shutdown/);
    for (const e of run.trace) {
      for (const who of [e.source, e.target])
        if (who !== "") expect(who).toMatch(/^[A-Za-z_$][\w$]*<\d+\.\d+>$/);
      expect(e.message.length).toBeLessThanOrEqual(120);
    }
  });

  it("keeps steps and virtual time in order", async () => {
    const run = await simulate(everyKind, { seed: 2 });
    for (let i = 1; i < run.trace.length; i++) {
      const a = run.trace[i - 1] as TraceEvent;
      const b = run.trace[i] as TraceEvent;
      expect(b.step).toBeGreaterThanOrEqual(a.step);
      expect(b.time).toBeGreaterThanOrEqual(a.time);
    }
    expect(run.trace[run.trace.length - 1]?.time).toBe(run.virtualTimeMs);
  });

  it("hashTrace(trace) is the run's traceHash, and changes with any event", async () => {
    const run = await simulate(everyKind, { seed: 3 });
    expect(hashTrace(run.trace)).toBe(run.traceHash);
    const altered = run.trace.map((e, i) => (i === 5 ? { ...e, message: `${e.message}!` } : e));
    expect(hashTrace(altered)).not.toBe(run.traceHash);
    expect(hashTrace(run.trace.slice(0, -1))).not.toBe(run.traceHash);
    expect(hashTrace([])).toBe(hashTrace([]));
  });
});

describe("formatTrace", () => {
  it("prints one readable line per event", async () => {
    const run = await simulate(async (scope) => {
      const pid = await Counter.start(scope);
      cast(pid, "inc");
      await call(pid, ["add", 2]);
      await sleep(5);
      return call<number>(pid, "get");
    });
    const text = formatTrace(run.trace);
    const lines = text.split("\n");
    expect(lines).toHaveLength(run.trace.length);
    run.trace.forEach((e, i) => {
      const line = lines[i] as string;
      expect(line).toBe(formatEvent(e));
      expect(line).toContain(`#${e.step}`);
      expect(line).toContain(`${e.time}ms`);
      expect(line).toContain(e.kind);
      if (e.source !== "") expect(line).toContain(e.source);
      if (e.target !== "") expect(line).toContain(e.target);
      if (e.message !== "") expect(line).toContain(e.message);
    });
    expect(text).toContain("Counter<0.1>");
    expect(text).toMatch(/deliver\s+main<0\.0> → Counter<0\.1>\s+cast "inc"/);
    expect(text).toMatch(/deliver\s+main<0\.0> → Counter<0\.1>\s+call \["add", 2\]/);
    expect(text).toMatch(/Counter<0\.1> → main<0\.0>\s+reply 3/);
    expect(text).toMatch(/5ms\s+timer\s+main<0\.0>\s+sleep until 5ms/);
  });

  it("shows the first and last events within a limit, with a marker for the rest", async () => {
    const run = await simulate(everyKind, { seed: 1 });
    const n = run.trace.length;
    expect(n).toBeGreaterThan(40);
    const text = formatTrace(run.trace, { limit: 10 });
    const lines = text.split("\n");
    expect(lines).toHaveLength(11);
    expect(lines.slice(0, 5)).toEqual(run.trace.slice(0, 5).map(formatEvent));
    expect(lines.slice(6)).toEqual(run.trace.slice(n - 5).map(formatEvent));
    expect(lines[5]).toContain(String(n - 10));
    // a limit above the length prints everything
    expect(formatTrace(run.trace, { limit: n + 1 }).split("\n")).toHaveLength(n);
  });

  it("can leave out sends", async () => {
    const run = await simulate(everyKind, { seed: 1 });
    const text = formatTrace(run.trace, { hideSends: true });
    const lines = text.split("\n");
    expect(lines).toHaveLength(run.trace.filter((e) => e.kind !== "send").length);
    expect(lines.some((l) => / send /.test(l))).toBe(false);
    expect(lines.some((l) => / deliver /.test(l))).toBe(true);
  });

  it("is the same text for the same seed", async () => {
    const a = await simulate(everyKind, { seed: 8 });
    const b = await simulate(everyKind, { seed: 8 });
    expect(formatTrace(b.trace)).toBe(formatTrace(a.trace));
  });
});

describe("the soundness checks used by the reach tests and properties", () => {
  it("pass on a real trace and catch a tampered one", async () => {
    const run = await simulate(everyKind, { seed: 5 });
    expect(fifoViolations(run.trace)).toEqual([]);
    expect(timeGoesBack(run.trace)).toEqual([]);
    expect(earlyTimers(run.trace)).toEqual([]);
    // swap two different deliveries of one (source, target) pair
    const byPair = new Map<string, number[]>();
    run.trace.forEach((e, i) => {
      if (e.kind !== "deliver") return;
      const key = `${e.source}|${e.target}`;
      byPair.set(key, [...(byPair.get(key) ?? []), i]);
    });
    const messageAt = (i: number | undefined): string | undefined =>
      i === undefined ? undefined : run.trace[i]?.message;
    const pairIndices = [...byPair.values()].find(
      (is) => messageAt(is[0]) !== messageAt(is[1]) && is.length >= 2,
    );
    const [i, j] = pairIndices ?? [];
    expect(i).toBeDefined();
    expect(j).toBeDefined();
    const swapped = run.trace.slice();
    swapped[i as number] = run.trace[j as number] as TraceEvent;
    swapped[j as number] = run.trace[i as number] as TraceEvent;
    expect(fifoViolations(swapped).length).toBeGreaterThan(0);
    // time going back
    const back = run.trace.map((e, i) => (i === run.trace.length - 1 ? { ...e, time: -1 } : e));
    expect(timeGoesBack(back).length).toBeGreaterThan(0);
    // a sleep firing before its deadline
    const early = run.trace.map((e) => (e.kind === "timer" ? { ...e, time: 0 } : e));
    expect(earlyTimers(early).length).toBeGreaterThan(0);
  });
});

describe("trace attribution of work that outlives a step", () => {
  it("a send made a dozen microtask turns after its process went idle is still its own", async () => {
    class Echoer extends GenServer<null, never, Pid> {
      override init(): null {
        return null;
      }
      override handleCast(to: Pid, state: null): null {
        // fire and forget: the server is idle again while this chain goes on
        void (async () => {
          for (let i = 0; i < 12; i++) await Promise.resolve();
          send(to, "late");
        })();
        return state;
      }
    }
    for (let seed = 0; seed < 20; seed++) {
      const run = await simulate(
        async (scope) => {
          const inbox = scope.inbox();
          const echoer = await Echoer.start(scope);
          cast(echoer, inbox.pid);
          await sleep(1);
          return inbox.receive(
            on("late", () => "got it"),
            { timeout: 1000 },
          );
        },
        { seed },
      );
      expect(run.value).toBe("got it");
      const sends = run.trace.filter((e) => e.kind === "send" && e.message === '"late"');
      expect(sends.map((e) => e.source)).toEqual([expect.stringMatching(/^Echoer<0\.\d+>$/)]);
    }
  });
});
