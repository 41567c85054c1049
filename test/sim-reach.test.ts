/**
 * Reach: every order a real deployment could show is found within a few hundred seeds;
 * and soundness: the impossible ones never happen over those seeds.
 */
import { describe, it, expect } from "vitest";
import {
  ANY,
  Actor,
  CallExit,
  CallTimeout,
  Crash,
  GenServer,
  Pid,
  ReceiveTimeout,
  Task,
  call,
  cast,
  now,
  on,
  register,
  send,
  sleep,
  whereis,
  type From,
  type Scope,
  type TaskStatus,
} from "fauxtp";
import { simulate, type SimulationResult } from "fauxtp/sim";
import { Counter, unsound } from "./sim-support.js";

/** Seeds tried for each scenario. */
const SEEDS = 300;

interface Exploration {
  /** outcome → the first seed that showed it */
  readonly first: Map<string, number>;
  /** outcome → how many seeds showed it */
  readonly count: Map<string, number>;
}

/**
 * Run `body` for seeds 0..SEEDS-1 and classify each run. Every trace is checked for
 * soundness on the way (per-pair FIFO, monotonic time, no early timer).
 */
async function explore<T>(
  body: (scope: Scope) => Promise<T>,
  classify: (run: SimulationResult<T>) => string,
  options: { timerSlackMs?: number } = {},
): Promise<Exploration> {
  const first = new Map<string, number>();
  const count = new Map<string, number>();
  for (let seed = 0; seed < SEEDS; seed++) {
    const run = await simulate(body, { ...options, seed });
    expect(unsound(run.trace), `seed ${seed}`).toEqual([]);
    const outcome = classify(run);
    if (!first.has(outcome)) first.set(outcome, seed);
    count.set(outcome, (count.get(outcome) ?? 0) + 1);
  }
  return { first, count };
}

/** One line for the log: each outcome with its first seed and how often it came. */
function summary(name: string, x: Exploration): string {
  const parts = [...x.first].map(([o, s]) => `${o}: first at seed ${s}, ${x.count.get(o)}/${SEEDS}`);
  return `[reach] ${name}: ${parts.join("; ")}`;
}

function expectReached(name: string, x: Exploration, expected: readonly string[]): void {
  console.log(summary(name, x));
  for (const o of expected) expect(x.first.has(o), `${name}: outcome ${o} never reached`).toBe(true);
}

const permutations = (xs: readonly number[]): number[][] =>
  xs.length <= 1
    ? [xs.slice()]
    : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));

/** Forwards `["relay", to, message]` to `to`. */
class Relay extends Actor<void> {
  override run(): Promise<void> {
    return this.receive(
      on(["relay", Pid, ANY], (to: Pid, message: unknown) => {
        send(to, message);
      }),
    );
  }
}

/** Spawns three tasks in order on `["go", report]`; reports the order in which they ended. */
class Boss extends GenServer<{ ended: unknown[]; report: Pid | undefined }, never, ["go", Pid]> {
  override init(): { ended: unknown[]; report: Pid | undefined } {
    return { ended: [], report: undefined };
  }
  override handleCast([, report]: ["go", Pid]): { ended: unknown[]; report: Pid | undefined } {
    for (const n of [1, 2, 3]) this.spawnTask(async (k: number) => k, n);
    return { ended: [], report };
  }
  override handleTaskEnd(
    _task: Pid,
    status: TaskStatus,
    result: unknown,
    state: { ended: unknown[]; report: Pid | undefined },
  ): { ended: unknown[]; report: Pid | undefined } {
    const ended = [...state.ended, status === "success" ? result : status];
    if (ended.length === 3 && state.report !== undefined) send(state.report, ["ended", ended]);
    return { ended, report: state.report };
  }
}

/** Answers `"get"`; crashes on the info message `"boom"`; answers `["ping", to]` with `"pong"`. */
class Fragile extends GenServer<number, "get"> {
  override init(): number {
    return 7;
  }
  override handleCall(_request: "get", _from: From, state: number): readonly [number, number] {
    return [state, state];
  }
  override handleInfo(message: unknown, state: number): number {
    if (message === "boom") throw new Error("boom");
    if (Array.isArray(message) && message[0] === "ping") send(message[1] as Pid, "pong");
    return state;
  }
}

function callOutcome(e: unknown): string {
  if (!(e instanceof CallExit)) return `other ${String(e)}`;
  if (e.reason === "noproc") return "noproc";
  return e.reason instanceof Crash ? "exit-crash" : `exit-${String(e.reason)}`;
}

describe("reach: orders a real deployment can show", () => {
  it("a message relayed later through B can overtake one sent directly by A to C", async () => {
    const x = await explore(
      async (scope) => {
        const c = scope.inbox();
        const b = await Relay.start(scope);
        await Task.spawn(scope, () => {
          send(c.pid, "x");
          send(b, ["relay", c.pid, "y"]);
        });
        const first = await c.receive(on(String, (s: string) => s));
        const second = await c.receive(on(String, (s: string) => s));
        return first + second;
      },
      (run) => run.value,
    );
    expectReached("direct vs relayed", x, ["xy", "yx"]);
    expect([...x.first.keys()].sort()).toEqual(["xy", "yx"]);
  });

  it("a server's tasks end in every order, whatever order they were spawned in", async () => {
    const x = await explore(
      async (scope) => {
        const inbox = scope.inbox();
        const boss = await Boss.start(scope);
        cast(boss, ["go", inbox.pid]);
        return inbox.receive(on(["ended", Array], (order: unknown[]) => order.join("")));
      },
      (run) => run.value,
    );
    const all = permutations([1, 2, 3]).map((p) => p.join(""));
    expectReached("handleTaskEnd order", x, all);
    expect([...x.first.keys()].sort()).toEqual(all.sort());
  });

  it("spawnAndNotify tasks notify in every order", async () => {
    const x = await explore(
      async (scope) => {
        const inbox = scope.inbox();
        for (const n of [1, 2, 3]) await Task.spawnAndNotify(scope, () => n, inbox.pid);
        let order = "";
        for (let i = 0; i < 3; i++) {
          order += await inbox.receive(on(["$$success", Pid, Number], (_t: Pid, n: number) => String(n)));
        }
        return order;
      },
      (run) => run.value,
    );
    const all = permutations([1, 2, 3]).map((p) => p.join(""));
    expectReached("spawnAndNotify order", x, all);
  });

  it("a 1 ms sleep can fire while another process is inside a read-modify-write (lost update)", async () => {
    const x = await explore(
      async (scope) => {
        const counter = await Counter.start(scope);
        let inRmw = false;
        let sawRmw = false;
        const writer = await Task.spawn(scope, async () => {
          inRmw = true;
          const v = await call<number>(counter, "get");
          await call(counter, ["set", v + 1]);
          inRmw = false;
        });
        const sleeper = await Task.spawn(scope, async () => {
          await sleep(1);
          sawRmw = inRmw;
          await call(counter, ["add", 1]);
        });
        await writer.join();
        await sleeper.join();
        const total = await call<number>(counter, "get");
        return `${sawRmw ? "inside" : "outside"}-${total}`;
      },
      (run) => run.value,
    );
    expectReached("read-modify-write vs 1 ms sleep", x, ["inside-1", "outside-2"]);
    // an update is lost only when the sleeper acted inside the window
    expect(x.first.has("outside-1")).toBe(false);
    expect([...x.first.keys()].every((o) => /^(inside|outside)-[12]$/.test(o))).toBe(true);
  });

  it("a server can crash while its caller waits (CallExit) or after answering", async () => {
    const x = await explore(
      async (scope) => {
        const server = await Fragile.start(scope);
        await Task.spawn(scope, () => send(server, "boom"));
        return call<number>(server, "get").then((v) => `reply-${v}`, callOutcome);
      },
      (run) => run.value,
    );
    expectReached("crash while the caller waits", x, ["reply-7", "exit-crash"]);
    expect([...x.first.keys()].sort()).toEqual(["exit-crash", "reply-7"]);
  });

  it("a server can die between a whereis lookup and the send or call that follows", async () => {
    const x = await explore(
      async (scope) => {
        const server = await Fragile.start(scope);
        register("srv", server);
        const inbox = scope.inbox();
        const client = await Task.spawn(scope, async () => {
          const pid = whereis("srv");
          if (pid === undefined) return "absent";
          send(pid, ["ping", inbox.pid]);
          await sleep(1);
          return call<number>(pid, "get").then((v) => `reply-${v}`, callOutcome);
        });
        await Task.spawn(scope, () => send(server, "boom"));
        return client.join();
      },
      (run) => {
        const pings = run.trace.filter(
          (e) => e.message.includes('"ping"') && e.target.startsWith("Fragile<"),
        );
        const fate = pings.some((e) => e.kind === "drop")
          ? "dropped"
          : pings.some((e) => e.kind === "deliver")
            ? "delivered"
            : pings.some((e) => e.kind === "send")
              ? "in flight"
              : "unsent";
        return `${fate}/${run.value}`;
      },
    );
    expectReached("death between lookup and send/call", x, [
      "dropped/noproc",
      "delivered/noproc",
      "delivered/reply-7",
      "unsent/absent",
    ]);
    // a ping that was dropped means the server was dead: no later call can get a reply
    expect([...x.first.keys()].some((o) => o.startsWith("dropped/reply"))).toBe(false);
  });
});

/** A read-modify-write by one task racing a sleeper's increment (as in the reach test above). */
async function rmwVersusSleeper(scope: Scope, sleepMs: number): Promise<string> {
  const counter = await Counter.start(scope);
  let inRmw = false;
  let sawRmw = false;
  const writer = await Task.spawn(scope, async () => {
    inRmw = true;
    const v = await call<number>(counter, "get");
    await call(counter, ["set", v + 1]);
    inRmw = false;
  });
  const sleeper = await Task.spawn(scope, async () => {
    await sleep(sleepMs);
    sawRmw = inRmw;
    await call(counter, ["add", 1]);
  });
  await writer.join();
  await sleeper.join();
  return `${sawRmw ? "inside" : "outside"}-${await call<number>(counter, "get")}`;
}

/** A sends three messages to C while B sleeps `ms`, then sends one: the order C sees. */
async function senderVersusSleeper(scope: Scope, ms: number): Promise<string> {
  const c = scope.inbox();
  await Task.spawn(scope, () => {
    for (const m of ["a1", "a2", "a3"]) send(c.pid, m);
  });
  await Task.spawn(scope, async () => {
    await sleep(ms);
    send(c.pid, "b");
  });
  let order = "";
  for (let i = 0; i < 4; i++) order += await c.receive(on(String, (s: string) => s));
  return order;
}

describe("reach: timers and the slack", () => {
  it("with the default slack, a sleep of 5 ms can overtake messages in flight; of 6 ms never", async () => {
    const within = await explore(
      (scope) => senderVersusSleeper(scope, 5),
      (run) => run.value,
    );
    expectReached("sleep 5 vs in-flight", within, ["a1a2a3b", "ba1a2a3", "a1ba2a3"]);
    const beyond = await explore(
      (scope) => senderVersusSleeper(scope, 6),
      (run) => run.value,
    );
    expect([...beyond.first.keys()]).toEqual(["a1a2a3b"]);
  });

  it("with timerSlackMs 0, a 1 ms sleep never fires while messages are in flight", async () => {
    const x = await explore(
      (scope) => rmwVersusSleeper(scope, 1),
      (run) => run.value,
      { timerSlackMs: 0 },
    );
    expect([...x.first.keys()]).toEqual(["outside-2"]);
  });

  it("with timerSlackMs 100, a 50 ms sleep can overtake messages in flight", async () => {
    const x = await explore(
      (scope) => senderVersusSleeper(scope, 50),
      (run) => run.value,
      {
        timerSlackMs: 100,
      },
    );
    expectReached("sleep 50 vs in-flight, slack 100", x, ["a1a2a3b", "ba1a2a3"]);
  });

  it("a zero-delay timer never overtakes a message already sent", async () => {
    const x = await explore(
      async (scope) => {
        const inbox = scope.inbox();
        await Task.spawn(scope, () => send(inbox.pid, "early"));
        send(inbox.pid, "mine");
        const got = await inbox
          .receive(
            on("mine", () => "got it"),
            { timeout: 0 },
          )
          .catch((e: unknown) => (e instanceof ReceiveTimeout ? "missed" : String(e)));
        await sleep(0);
        return `${got}, pending ${inbox.pending().join(" ")}`;
      },
      (run) => run.value,
    );
    expect([...x.first.keys()]).toEqual(["got it, pending early"]);
  });

  it("a timer never fires before a pending process start", async () => {
    const x = await explore(
      async (scope) => {
        let started = false;
        await Task.spawn(scope, () => {
          started = true;
        });
        await sleep(1);
        return started ? "started first" : "timer first";
      },
      (run) => run.value,
    );
    expect([...x.first.keys()]).toEqual(["started first"]);
  });
});

describe("reach: what never happens", () => {
  it("messages from one sender to one receiver are never reordered", async () => {
    const x = await explore(
      async (scope) => {
        const inbox = scope.inbox();
        for (const who of ["a", "b"]) {
          await Task.spawn(scope, async () => {
            for (let i = 1; i <= 3; i++) send(inbox.pid, [who, i]);
            await sleep(1);
            for (let i = 4; i <= 5; i++) send(inbox.pid, [who, i]);
          });
        }
        const seen: string[] = [];
        for (let i = 0; i < 10; i++)
          seen.push(await inbox.receive(on([String, Number], (w, n) => `${w}${n}`)));
        return seen;
      },
      (run) => {
        const a = run.value.filter((s) => s.startsWith("a"));
        const b = run.value.filter((s) => s.startsWith("b"));
        const inOrder = (xs: string[]): boolean => xs.join() === xs.slice().sort().join();
        return inOrder(a) && inOrder(b) ? `fifo ${run.value[0]}` : `reordered ${run.value.join(" ")}`;
      },
    );
    console.log(summary("per-sender FIFO", x));
    expect([...x.first.keys()].filter((o) => o.startsWith("reordered"))).toEqual([]);
    // and the senders do interleave
    expect(x.first.has("fifo a1") && x.first.has("fifo b1")).toBe(true);
  });

  it("a cast then a call from the same sender are handled in that order", async () => {
    const x = await explore(
      async (scope) => {
        const counter = await Counter.start(scope);
        const results = await Promise.all(
          [1, 2].map(async () =>
            (
              await Task.spawn(scope, async () => {
                cast(counter, "inc");
                cast(counter, "inc");
                const seen = await call<number>(counter, "get");
                // its own two casts are handled before its call
                return seen >= 2 ? "ok" : `call before cast: ${seen}`;
              })
            ).join(),
          ),
        );
        return results.every((r) => r === "ok") ? "ok" : results.join();
      },
      (run) => run.value,
    );
    expect([...x.first.keys()]).toEqual(["ok"]);
  });

  it("virtual time never goes back, and no timer fires before its deadline", async () => {
    const x = await explore(
      async (scope) => {
        const early: string[] = [];
        const jobs = [3, 1, 4, 1, 5].map((ms, i) =>
          Task.spawn(scope, async () => {
            const inbox = scope.inbox();
            const t0 = now();
            await sleep(ms);
            if (now() - t0 < ms) early.push(`sleep ${ms} woke after ${now() - t0}`);
            const t1 = now();
            await inbox
              .receive(
                on(["never", i], () => 0),
                { timeout: ms },
              )
              .catch((e: unknown) => {
                if (!(e instanceof ReceiveTimeout)) early.push(`receive: ${String(e)}`);
              });
            if (now() - t1 < ms) early.push(`receive timeout ${ms} after ${now() - t1}`);
          }),
        );
        for (const j of await Promise.all(jobs)) await j.join();
        return early;
      },
      (run) => (run.value.length === 0 ? "on time" : run.value.join("; ")),
    );
    expect([...x.first.keys()]).toEqual(["on time"]);
  });

  it("a call timeout never fires before its deadline, though it may beat a reply in flight", async () => {
    class Sluggish extends GenServer<null> {
      override init(): null {
        return null;
      }
      override async handleCall(request: number): Promise<readonly [number, null]> {
        await sleep(request);
        return [request, null];
      }
    }
    const x = await explore(
      async (scope) => {
        const server = await Sluggish.start(scope);
        const t0 = now();
        return call<number>(server, 5, 6).then(
          (v) => `reply ${v} after ${now() - t0 >= 5 ? ">=5" : "<5"}`,
          (e: unknown) =>
            e instanceof CallTimeout && now() - t0 >= 6 ? "timeout on time" : `early ${now() - t0}`,
        );
      },
      (run) => run.value,
    );
    expectReached("call timeout vs slow reply", x, ["reply 5 after >=5", "timeout on time"]);
    expect([...x.first.keys()].sort()).toEqual(["reply 5 after >=5", "timeout on time"]);
  });

  it("a step settles before the next pick: a process's microtask continuations stay in its step", async () => {
    const x = await explore(
      async (scope) => {
        const inbox = scope.inbox();
        for (const who of ["p", "q"]) {
          await Task.spawn(scope, async () => {
            send(inbox.pid, `${who}1`);
            await Promise.resolve();
            await new Promise<void>((resolve) => resolve());
            send(inbox.pid, `${who}2`);
          });
        }
        for (let i = 0; i < 4; i++) await inbox.receive(on(String, (s: string) => s));
        return "done";
      },
      (run) => {
        const sends = run.trace.filter((e) => e.kind === "send" && e.target.startsWith("Inbox<"));
        const stepOf = (m: string): number | undefined => sends.find((e) => e.message === `"${m}"`)?.step;
        const same = stepOf("p1") === stepOf("p2") && stepOf("q1") === stepOf("q2");
        return same ? "settled" : "split";
      },
    );
    expect([...x.first.keys()]).toEqual(["settled"]);
  });
});
