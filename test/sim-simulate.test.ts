import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, it, expect } from "vitest";
import {
  ANY,
  Actor,
  CallExit,
  CallTimeout,
  GenServer,
  Pid,
  ReceiveTimeout,
  Supervisor,
  Task,
  call,
  cast,
  childSpec,
  makeRef,
  now,
  on,
  random,
  register,
  registered,
  send,
  sleep,
  whereis,
  whichChildren,
  type From,
  type Scope,
} from "fauxtp";
import {
  Deadlock,
  ReplayDiverged,
  SimulationEscape,
  SimulationFailure,
  StepLimitExceeded,
  simulate,
} from "fauxtp/sim";
import { Counter, rejectionOf } from "./sim-support.js";

/** A small protocol with real choice points: three clients racing casts and calls on a counter. */
async function racingClients(scope: Scope): Promise<number> {
  const counter = await Counter.start(scope);
  const clients = [1, 2, 3].map((n) =>
    Task.spawn(scope, async () => {
      cast(counter, "inc");
      await call(counter, ["add", n]);
      return call<number>(counter, "get");
    }),
  );
  const tasks = await Promise.all(clients);
  await Promise.all(tasks.map((t) => t.join()));
  return call<number>(counter, "get");
}

/** A different protocol, with choice points of its own. */
async function pingPongs(scope: Scope): Promise<string[]> {
  const inbox = scope.inbox();
  for (const word of ["a", "b", "c", "d"]) {
    await Task.spawn(scope, async () => {
      await sleep(word.charCodeAt(0) % 3);
      send(inbox.pid, word);
    });
  }
  const got: string[] = [];
  for (let i = 0; i < 4; i++) got.push(await inbox.receive(on(String, (w: string) => w)));
  return got;
}

/** The ReplayDiverged behind a failure (the error itself or its cause). */
function divergenceOf(e: unknown): ReplayDiverged | undefined {
  if (e instanceof ReplayDiverged) return e;
  if (e instanceof Error && e.cause instanceof ReplayDiverged) return e.cause;
  return undefined;
}

/** Calls its peer (set by a cast) from inside handleCall, waiting forever. */
class Caller extends GenServer<Pid | undefined, string, Pid> {
  override init(): Pid | undefined {
    return undefined;
  }
  override handleCast(peer: Pid): Pid {
    return peer;
  }
  override async handleCall(
    request: string,
    _from: From,
    peer: Pid | undefined,
  ): Promise<readonly [string, Pid | undefined]> {
    const answer = await call<string>(peer as Pid, `${request}!`, Infinity);
    return [answer, peer];
  }
}
class Ping extends Caller {}
class Pong extends Caller {}

/** Bounces a ball to its peer forever. */
class Bouncer extends Actor<void> {
  override run(): Promise<void> {
    return this.receive(
      on(["ball", Pid, Number], (from: Pid, n: number) => {
        send(from, ["ball", this.pid, n + 1]);
      }),
    );
  }
}

/** Real I/O, which the simulator does not control: reading this test file. */
const realIo = (): Promise<string> => readFile(fileURLToPath(import.meta.url), "utf8");

describe("simulate: the result", () => {
  it("carries value, seed, steps, virtual time, trace, traceHash and replay", async () => {
    const run = await simulate(racingClients, { seed: 42 });
    expect(run.value).toBe(9);
    expect(run.seed).toBe(42);
    expect(Number.isInteger(run.steps)).toBe(true);
    expect(run.steps).toBeGreaterThan(10);
    expect(run.virtualTimeMs).toBe(0);
    expect(run.trace.length).toBeGreaterThan(run.steps);
    expect(typeof run.traceHash).toBe("string");
    expect(run.traceHash.length).toBeGreaterThan(0);
    expect(typeof run.replay).toBe("string");
    const last = run.trace[run.trace.length - 1];
    expect(last?.step).toBe(run.steps);
    for (const e of run.trace) {
      expect(e).toEqual({
        step: expect.any(Number),
        time: expect.any(Number),
        kind: expect.any(String),
        source: expect.any(String),
        target: expect.any(String),
        message: expect.any(String),
      });
    }
  });

  it("uses seed 0 by default", async () => {
    const a = await simulate(racingClients);
    const b = await simulate(racingClients, { seed: 0 });
    expect(a.seed).toBe(0);
    expect(a.traceHash).toBe(b.traceHash);
  });

  it("gives the same trace, byte for byte, for the same seed", async () => {
    for (const seed of [0, 1, 7, 123, 99_999]) {
      const a = await simulate(racingClients, { seed });
      const b = await simulate(racingClients, { seed });
      expect(b.traceHash).toBe(a.traceHash);
      expect(b.trace).toEqual(a.trace);
      expect(b.steps).toBe(a.steps);
      expect(b.replay).toBe(a.replay);
      expect(b.value).toBe(a.value);
    }
  });

  it("explores different interleavings with different seeds", async () => {
    const hashes = new Set<string>();
    for (let seed = 0; seed < 20; seed++) hashes.add((await simulate(racingClients, { seed })).traceHash);
    expect(hashes.size).toBeGreaterThan(5);
  });

  it("returns the body's value even when the body is synchronous", async () => {
    const run = await simulate(() => "plain");
    expect(run.value).toBe("plain");
    expect(run.virtualTimeMs).toBe(0);
  });
});

describe("simulate: virtual time", () => {
  it("sleeps 10 s of virtual time at no real cost", async () => {
    const run = await simulate(async () => {
      const before = now();
      await sleep(10_000);
      return now() - before;
    });
    expect(run.value).toBeGreaterThanOrEqual(10_000);
    expect(run.virtualTimeMs).toBeGreaterThanOrEqual(10_000);
    expect(run.trace.some((e) => e.kind === "timer")).toBe(true);
  });

  it("sleeps an hour in a loop of actors without real time passing", async () => {
    class Ticker extends Actor<number> {
      override init(): number {
        return 0;
      }
      override async run(ticks: number): Promise<number> {
        await sleep(60_000);
        if (ticks + 1 === 60) this.stop("normal");
        return ticks + 1;
      }
    }
    const run = await simulate(async (scope) => {
      const inbox = scope.inbox();
      await Ticker.startLink(scope, { onExit: (pid, reason) => send(inbox.pid, [pid, reason]) });
      return inbox.receive(on([Pid, ANY], (_pid: Pid, reason: unknown) => [reason, now()]));
    });
    expect(run.value).toEqual(["normal", 3_600_000]);
    expect(run.virtualTimeMs).toBeGreaterThanOrEqual(3_600_000);
  });

  it("fires a call timeout in virtual time", async () => {
    class Slow extends GenServer<null> {
      override init(): null {
        return null;
      }
      override async handleCall(): Promise<readonly [string, null]> {
        await sleep(10_000);
        return ["late", null];
      }
    }
    const run = await simulate(async (scope) => {
      const pid = await Slow.start(scope);
      const start = now();
      const error = await rejectionOf(call(pid, "hello", 250));
      return { error, elapsed: now() - start };
    });
    expect(run.value.error).toBeInstanceOf(CallTimeout);
    expect((run.value.error as Error).message).toBe("No reply within 250ms");
    expect(run.value.elapsed).toBeGreaterThanOrEqual(250);
    expect(run.value.elapsed).toBeLessThan(10_000);
  });

  it("fires a receive timeout in virtual time", async () => {
    const run = await simulate(async (scope) => {
      const inbox = scope.inbox();
      const start = now();
      const error = await rejectionOf(
        inbox.receive(
          on("never", () => 1),
          { timeout: 1_500 },
        ),
      );
      return { error, elapsed: now() - start };
    });
    expect(run.value.error).toBeInstanceOf(ReceiveTimeout);
    expect((run.value.error as Error).message).toBe("No matching message within 1500ms");
    expect(run.value.elapsed).toBeGreaterThanOrEqual(1_500);
    expect(run.virtualTimeMs).toBeGreaterThanOrEqual(1_500);
  });

  it("fires an actor's receive timeout in virtual time", async () => {
    class Waiter extends Actor<void> {
      override async run(): Promise<void> {
        const started = now();
        await this.receive(
          on("never", () => undefined),
          { timeout: 30_000 },
        ).catch((e: unknown) => {
          this.stop(e instanceof ReceiveTimeout ? `timeout after ${now() - started}` : "other");
        });
      }
    }
    const run = await simulate(async (scope) => {
      const inbox = scope.inbox();
      await Waiter.startLink(scope, { onExit: (_pid, reason) => send(inbox.pid, reason) });
      return inbox.receive(on(String, (r: string) => r));
    });
    expect(run.value).toBe("timeout after 30000");
  });
});

describe("simulate: a supervisor's restart window in virtual time", () => {
  /** Crashes when told; reports each start to the pid it was given. */
  class Flaky extends GenServer<null> {
    private readonly report: Pid;
    constructor(report: Pid) {
      super();
      this.report = report;
    }
    override init(): null {
      send(this.report, ["started", now()]);
      return null;
    }
    override handleInfo(): null {
      throw new Error("flaky");
    }
  }

  /** Crashes the child `crashes` times, `gapMs` of virtual time apart; returns how the supervisor ended. */
  async function crashLoop(scope: Scope, crashes: number, gapMs: number): Promise<string> {
    const inbox = scope.inbox();
    class App extends Supervisor {
      override maxRestarts = 2;
      override maxSeconds = 1;
      override childSpecs(): ReturnType<Supervisor["childSpecs"]> {
        return [childSpec({ id: "flaky", actor: Flaky, args: [inbox.pid] })];
      }
    }
    const sup = await App.startLink(scope, {
      onExit: (_pid, reason) => send(inbox.pid, ["sup exit", String(reason)]),
    });
    await inbox.receive(on(["started", Number], () => undefined));
    for (let i = 0; i < crashes; i++) {
      await sleep(gapMs);
      const [child] = await whichChildren(sup.pid);
      if (child?.pid === undefined) return "no child";
      send(child.pid, "crash");
      const outcome = await inbox.receive(
        on(["started", Number], () => "restarted"),
        on(["sup exit", String], (reason: string) => `supervisor exited: ${reason}`),
      );
      if (outcome !== "restarted") return `${outcome} after ${i + 1} crashes at ${now()}ms`;
    }
    return `alive after ${crashes} crashes at ${now()}ms`;
  }

  it("restarts spread over virtual seconds stay within the intensity", async () => {
    const run = await simulate((scope) => crashLoop(scope, 6, 600));
    expect(run.value).toBe("alive after 6 crashes at 3600ms");
  });

  it("restarts bunched within the window exceed it", async () => {
    const run = await simulate((scope) => crashLoop(scope, 6, 100));
    expect(run.value).toMatch(
      /^supervisor exited: Crash\(MaxRestartsExceeded: .*\) after 3 crashes at 300ms$/,
    );
  });
});

describe("simulate: isolation between runs", () => {
  const body = async (scope: Scope) => {
    const start = now();
    const names = registered();
    const before = whereis("counter");
    const pid = await Counter.start(scope);
    const ok = register("counter", pid);
    await sleep(500);
    return { start, names, before, pid: String(pid), ok, draws: [random(), random()] };
  };

  it("starts every run with a fresh clock, registry and pid counter", async () => {
    const a = await simulate(body, { seed: 5 });
    const b = await simulate(body, { seed: 6 });
    for (const run of [a, b]) {
      expect(run.value.start).toBe(0);
      expect(run.value.names).toEqual([]);
      expect(run.value.before).toBeUndefined();
      expect(run.value.ok).toBe(true);
    }
    expect(b.value.pid).toBe(a.value.pid);
    expect(a.value.pid).toMatch(/^<\d+\.\d+>$/);
  });

  it("keeps a run's names out of the next run and out of the production registry", async () => {
    await simulate(async (scope) => {
      expect(register("only-in-run-one", await Counter.start(scope))).toBe(true);
      // the scope ends with the pid still registered: the run's registry goes with it
    });
    expect(whereis("only-in-run-one")).toBeUndefined();
    expect(registered()).not.toContain("only-in-run-one");
    const run = await simulate(() => ({ names: registered(), where: whereis("only-in-run-one") }));
    expect(run.value).toEqual({ names: [], where: undefined });
  });

  it("seeds the runtime's randomness: same seed, same draws; another seed, other draws", async () => {
    const a = await simulate(body, { seed: 11 });
    const b = await simulate(body, { seed: 11 });
    const c = await simulate(body, { seed: 12 });
    expect(b.value.draws).toEqual(a.value.draws);
    expect(c.value.draws).not.toEqual(a.value.draws);
    for (const d of a.value.draws) {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(1);
    }
  });

  it("gives the same refs and pids in every run", async () => {
    const body = async (scope: Scope) => [
      String(makeRef()),
      String(await Counter.start(scope)),
      String(makeRef()),
    ];
    const a = await simulate(body, { seed: 1 });
    const b = await simulate(body, { seed: 2 });
    expect(b.value).toEqual(a.value);
  });

  it("rejects a second simulation started while one runs, and the first still completes", async () => {
    const first = simulate(async () => {
      await sleep(1_000);
      return "first";
    });
    const second = await rejectionOf(simulate(async () => "second"));
    expect(second).toBeInstanceOf(Error);
    expect((second as Error).message).toMatch(/already running/);
    expect((second as Error).message).toMatch(/one at a time/);
    const run = await first;
    expect(run.value).toBe("first");
    expect(run.virtualTimeMs).toBe(1_000);
    // and once it is over, the next one runs
    expect((await simulate(() => "third")).value).toBe("third");
  });

  it("reports a second concurrent simulation as misuse, not as a failure of a body that never ran", async () => {
    const first = simulate(async () => {
      await sleep(10);
      return "first";
    });
    const second = await rejectionOf(simulate(async () => "second"));
    await first;
    expect((second as Error).message).toMatch(/^simulate: /);
    expect((second as Error).message).not.toMatch(/body failed/);
    expect(second).not.toBeInstanceOf(SimulationFailure);
  });

  it("rejects a simulation started from inside a simulated body", async () => {
    const run = await simulate(async () => {
      const inner = await rejectionOf(simulate(() => "inner"));
      return (inner as Error).message;
    });
    expect(run.value).toMatch(/already running/);
  });
});

describe("simulate: failures", () => {
  it("a body that throws gives a SimulationFailure with seed, trace, cause and replay", async () => {
    const boom = new Error("boom in the body");
    const e = await rejectionOf(
      simulate(
        async (scope) => {
          const pid = await Counter.start(scope);
          await call(pid, ["add", 2]);
          throw boom;
        },
        { seed: 17 },
      ),
    );
    expect(e).toBeInstanceOf(SimulationFailure);
    const f = e as SimulationFailure;
    expect(f.seed).toBe(17);
    expect(f.cause).toBe(boom);
    expect(f.message).toContain("boom in the body");
    expect(f.message).toContain("17");
    expect(typeof f.replay).toBe("string");
    expect(f.trace.some((ev) => ev.kind === "deliver" && ev.message.includes('["add", 2]'))).toBe(true);
    expect(f.step).toBeGreaterThan(0);
    expect(f).not.toBeInstanceOf(Deadlock);
  });

  it("a body that throws a non-Error keeps it as the cause", async () => {
    const e = await rejectionOf(
      simulate(() => {
        throw "plain string";
      }),
    );
    expect(e).toBeInstanceOf(SimulationFailure);
    expect((e as SimulationFailure).cause).toBe("plain string");
  });

  it("a crash inside a process is not a failure of the run", async () => {
    class Fragile extends GenServer<null> {
      override init(): null {
        return null;
      }
      override handleInfo(): null {
        throw new Error("fragile");
      }
    }
    const run = await simulate(async (scope) => {
      const pid = await Fragile.start(scope);
      send(pid, "poke");
      const e = await rejectionOf(call(pid, "anything"));
      return e instanceof CallExit;
    });
    expect(run.value).toBe(true);
    expect(run.trace.some((e) => e.kind === "crash" && e.source.startsWith("Fragile<"))).toBe(true);
  });

  it("two servers calling each other forever is a Deadlock naming both and what they wait for", async () => {
    const e = await rejectionOf(
      simulate(async (scope) => {
        const ping = await Ping.start(scope);
        const pong = await Pong.start(scope);
        cast(ping, pong);
        cast(pong, ping);
        return call(ping, "serve", Infinity);
      }),
    );
    expect(e).toBeInstanceOf(Deadlock);
    const d = e as Deadlock;
    expect(d).toBeInstanceOf(SimulationFailure);
    const ping = d.blocked.find((b) => b.process.startsWith("Ping<"));
    const pong = d.blocked.find((b) => b.process.startsWith("Pong<"));
    expect(ping?.waitingFor).toMatch(/Pong</);
    expect(pong?.waitingFor).toMatch(/Ping</);
    expect(ping?.waitingFor).toMatch(/call/);
    const main = d.blocked.find((b) => b.process.startsWith("main<"));
    expect(main?.waitingFor).toMatch(/Ping</);
    expect(d.message).toContain(ping?.process);
    expect(d.message).toContain(pong?.process);
    expect(d.trace.length).toBeGreaterThan(0);
    expect(typeof d.replay).toBe("string");
  });

  it("a body waiting in a receive that nobody answers is a Deadlock naming the receive", async () => {
    const e = await rejectionOf(
      simulate(async (scope) => {
        const inbox = scope.inbox();
        return inbox.receive(on(["reply", String], (s: string) => s));
      }),
    );
    expect(e).toBeInstanceOf(Deadlock);
    const d = e as Deadlock;
    expect(d.blocked.length).toBeGreaterThan(0);
    const waiting = d.blocked.map((b) => `${b.process}: ${b.waitingFor}`).join("\n");
    expect(waiting).toMatch(/receive/);
    expect(waiting).toMatch(/"reply"/);
    expect(d.message).toMatch(/Deadlock/);
  });

  it("a deadlock in a receive whose pattern holds a pid is a Deadlock naming that pid", async () => {
    const e = await rejectionOf(
      simulate(async (scope) => {
        const inbox = scope.inbox();
        const server = await Counter.start(scope);
        return inbox.receive(on(["reply", server, Number], (n: number) => n));
      }),
    );
    expect(e, String(e)).toBeInstanceOf(Deadlock);
    const waiting = (e as Deadlock).blocked.map((b) => b.waitingFor).join("\n");
    expect(waiting).toMatch(/"reply"/);
    expect(waiting).toMatch(/<0\.\d+>/);
  });

  it("an actor waiting in its own receive while the body waits for it is a Deadlock naming the actor", async () => {
    class Sulky extends Actor<void> {
      override run(): Promise<void> {
        return this.receive(on("never", () => undefined));
      }
    }
    const e = await rejectionOf(
      simulate(async (scope) => {
        const pid = await Sulky.start(scope);
        const inbox = scope.inbox();
        send(pid, "hello");
        return inbox.receive(on(ANY, (x: unknown) => x));
      }),
    );
    expect(e).toBeInstanceOf(Deadlock);
    const sulky = (e as Deadlock).blocked.find((b) => b.process.startsWith("Sulky<"));
    expect(sulky?.waitingFor).toMatch(/"never"/);
  });

  it("a body sleeping forever is a Deadlock naming the sleep, not an escape", async () => {
    const e = await rejectionOf(
      simulate(async (scope) => {
        await Counter.start(scope);
        await sleep(Infinity);
      }),
    );
    expect(e, String(e)).toBeInstanceOf(Deadlock);
    const main = (e as Deadlock).blocked.find((b) => b.process.startsWith("main<"));
    expect(main?.waitingFor).toMatch(/sleep/);
  });

  it("a body awaiting real I/O is a SimulationEscape naming it, not a hang", async () => {
    const e = await rejectionOf(
      simulate(async () => {
        // real I/O, on purpose: the simulator must refuse it
        await realIo();
        return "escaped";
      }),
    );
    expect(e).toBeInstanceOf(SimulationEscape);
    expect(e).toBeInstanceOf(SimulationFailure);
    expect((e as SimulationEscape).message).toMatch(/main<0\.\d+>/);
  });

  it("a body awaiting real I/O after virtual sleeps is still a SimulationEscape", async () => {
    const e = await rejectionOf(
      simulate(async () => {
        await sleep(3);
        // real I/O, on purpose: the simulator must refuse it
        await realIo();
        return "escaped";
      }),
    );
    expect(e).toBeInstanceOf(SimulationEscape);
    expect((e as SimulationEscape).message).toMatch(/main</);
  });

  it("an actor awaiting real I/O in a handler is a SimulationEscape naming the actor", async () => {
    class Leaky extends GenServer<null> {
      override init(): null {
        return null;
      }
      override async handleCall(): Promise<readonly [string, null]> {
        // real I/O, on purpose: the simulator must refuse it
        await realIo();
        return ["late", null];
      }
    }
    const e = await rejectionOf(
      simulate(async (scope) => {
        const pid = await Leaky.start(scope);
        return call(pid, "hello", Infinity);
      }),
    );
    expect(e).toBeInstanceOf(SimulationEscape);
    expect((e as SimulationEscape).message).toMatch(/Leaky<0\.\d+>/);
  });

  it("an actor awaiting real I/O in init is a SimulationEscape naming the actor", async () => {
    class SlowStart extends GenServer<null> {
      override async init(): Promise<null> {
        // real I/O, on purpose: the simulator must refuse it
        await realIo();
        return null;
      }
    }
    const e = await rejectionOf(
      simulate(async (scope) => {
        await SlowStart.start(scope);
        return "started";
      }),
    );
    expect(e).toBeInstanceOf(SimulationEscape);
    expect((e as SimulationEscape).message).toMatch(/SlowStart<0\.\d+>/);
  });

  it("an actor resuming from a host callback while the simulator waits is a SimulationEscape naming it", async () => {
    class Hasty extends GenServer<null> {
      override init(): null {
        return null;
      }
      override async handleCall(): Promise<readonly [string, null]> {
        // real I/O, on purpose: the handler resumes from the host while the simulator waits idle
        await realIo();
        return ["soon", null];
      }
    }
    const e = await rejectionOf(
      simulate(async (scope) => {
        const pid = await Hasty.start(scope);
        return call(pid, "hello", Infinity);
      }),
    );
    expect(e).toBeInstanceOf(SimulationEscape);
    expect((e as SimulationEscape).message).toMatch(/Hasty<0\.\d+>/);
  });

  it("a body awaiting a promise that nothing settles is a SimulationEscape, not a hang", async () => {
    const e = await rejectionOf(
      simulate(async () => {
        await new Promise<void>(() => {});
      }),
    );
    expect(e).toBeInstanceOf(SimulationEscape);
    expect((e as SimulationEscape).message).toMatch(/main<0\.0>/);
  });

  it("a promise settled by another process's step is not an escape", async () => {
    class Resolver extends GenServer<null> {
      private readonly resolve: (v: string) => void;
      constructor(resolve: (v: string) => void) {
        super();
        this.resolve = resolve;
      }
      override init(): null {
        return null;
      }
      override async handleCast(word: string): Promise<null> {
        await sleep(30);
        this.resolve(word);
        return null;
      }
    }
    const run = await simulate(async (scope) => {
      let resolve!: (v: string) => void;
      const shared = new Promise<string>((r) => {
        resolve = r;
      });
      const pid = await Resolver.start(scope, resolve);
      cast(pid, "settled");
      const late = await Task.spawn(scope, async () => {
        await sleep(5);
        return shared;
      });
      return [await shared, await late.join(), now()];
    });
    expect(run.value.slice(0, 2)).toEqual(["settled", "settled"]);
    // 30 when the cast lands first; 35 when the task's 5 ms timer overtakes it in flight
    expect([30, 35]).toContain(run.value[2]);
  });

  it("a runaway ping-pong ends with StepLimitExceeded at maxSteps", async () => {
    const e = await rejectionOf(
      simulate(
        async (scope) => {
          const a = await Bouncer.start(scope);
          const b = await Bouncer.start(scope);
          send(a, ["ball", b, 0]);
          await sleep(1_000);
          return "never";
        },
        { maxSteps: 500, seed: 3 },
      ),
    );
    expect(e).toBeInstanceOf(StepLimitExceeded);
    const f = e as StepLimitExceeded;
    expect(f).toBeInstanceOf(SimulationFailure);
    expect(f.step).toBe(500);
    expect(f.seed).toBe(3);
    expect(f.message).toMatch(/maxSteps/);
    expect(f.message).toContain("500");
    expect(f.trace.filter((ev) => ev.kind === "deliver").length).toBeGreaterThan(100);
  });

  it("a run that fits in maxSteps completes", async () => {
    const run = await simulate(racingClients, { seed: 1 });
    const again = await simulate(racingClients, { seed: 1, maxSteps: run.steps });
    expect(again.traceHash).toBe(run.traceHash);
    const short = await rejectionOf(simulate(racingClients, { seed: 1, maxSteps: run.steps - 1 }));
    expect(short).toBeInstanceOf(StepLimitExceeded);
  });
});

describe("simulate: bad input", () => {
  const fine = async (): Promise<number> => 1;

  it.each([
    [1.5, /1\.5/],
    [-1, /-1/],
    [Number.NaN, /NaN/],
    [Infinity, /Infinity/],
  ])("rejects the seed %s, saying a seed is a non-negative integer", async (seed, shown) => {
    const e = await rejectionOf(simulate(fine, { seed }));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/seed/);
    expect((e as Error).message).toMatch(/non-negative integer/);
    expect((e as Error).message).toMatch(shown);
  });

  it("rejects a seed that is not a number", async () => {
    const e = await rejectionOf(simulate(fine, { seed: "7" as unknown as number }));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/seed/);
  });

  it.each([
    [0, /\b0\b/],
    [2.5, /2\.5/],
    [-3, /-3/],
    ["10", /string/],
  ])("rejects maxSteps %s, saying it must be a positive integer", async (maxSteps, shown) => {
    const e = await rejectionOf(simulate(fine, { maxSteps: maxSteps as number }));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/maxSteps/);
    expect((e as Error).message).toMatch(/positive integer/);
    expect((e as Error).message).toMatch(shown);
  });

  it("rejects a body that is not a function", async () => {
    const e = await rejectionOf(simulate(42 as unknown as () => number));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/simulate/);
    expect((e as Error).message).toMatch(/function/);
  });

  it.each(["garbage", "", "fauxtp1:", "fauxtp1:x:y:z:w", "fx2.!!!", "fx2.e30"])(
    "rejects the replay %j, saying it does not parse",
    async (replay) => {
      const e = await rejectionOf(simulate(fine, { replay }));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/replay/);
      expect((e as Error).message).toMatch(/does not parse/);
    },
  );

  it("rejects a replay that has been altered", async () => {
    const { replay } = await simulate(racingClients, { seed: 4 });
    const e = await rejectionOf(simulate(racingClients, { replay: replay.slice(0, replay.length - 3) }));
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(/replay|diverged/i);
  });

  it("rejects a replay of a different body, saying at which step it diverged", async () => {
    // a replay that departs from the default order somewhere
    const plain = await simulate(racingClients, { schedule: [] });
    let replay: string | undefined;
    for (let seed = 0; seed < 50 && replay === undefined; seed++) {
      const run = await simulate(racingClients, { seed });
      if (run.traceHash !== plain.traceHash) replay = run.replay;
    }
    expect(replay).toBeDefined();
    const e = await rejectionOf(simulate(pingPongs, { replay: replay as string }));
    const diverged = divergenceOf(e);
    expect(diverged, `expected a ReplayDiverged, got ${String(e)}`).toBeInstanceOf(ReplayDiverged);
    expect(Number.isInteger(diverged?.step)).toBe(true);
    expect(diverged?.message).toMatch(new RegExp(`step ${diverged?.step}`));
    expect((e as Error).message).toMatch(/diverged at step \d+/);
  });

  it("rejects a seed that contradicts the replay's seed", async () => {
    const { replay } = await simulate(racingClients, { seed: 3 });
    const e = await rejectionOf(simulate(racingClients, { replay, seed: 5 }));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/seed 5/);
    expect((e as Error).message).toMatch(/\b3\b/);
    // the replay's own seed does not contradict it
    const ok = await simulate(racingClients, { replay, seed: 3 });
    expect(ok.seed).toBe(3);
  });

  it("rejects a negative timer slack", async () => {
    const e = await rejectionOf(simulate(fine, { timerSlackMs: -1 }));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/timerSlackMs/);
  });
});

describe("simulate: a run that never waits", () => {
  it("an actor whose run never waits ends in StepLimitExceeded, not a hang", async () => {
    class Spinner extends Actor<number> {
      override init(): number {
        return 0;
      }
      override run(n: number): number {
        return n + 1;
      }
    }
    const e = await rejectionOf(
      simulate(
        async (scope) => {
          await Spinner.start(scope);
          await sleep(1);
        },
        { maxSteps: 500 },
      ),
    );
    expect(e).toBeInstanceOf(StepLimitExceeded);
  });
});
