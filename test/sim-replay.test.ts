import { describe, it, expect } from "vitest";
import {
  Actor,
  GenServer,
  Pid,
  Task,
  call,
  cast,
  now,
  on,
  send,
  sleep,
  type From,
  type Scope,
  type TaskStatus,
} from "fauxtp";
import { Deadlock, SimulationFailure, StepLimitExceeded, simulate } from "fauxtp/sim";
import { Counter, rejectionOf } from "./sim-support.js";

type Accounts = Record<string, number>;
type BankCall = ["balance", string] | ["transfer", string, string, number] | "audit";

/** A bank whose transfers run as tasks; an audit sums the balances. */
class Bank extends GenServer<Accounts, BankCall, ["deposit", string, number]> {
  override init(): Accounts {
    return { a: 100, b: 100, c: 100 };
  }
  override handleCall(request: BankCall, _from: From, state: Accounts): readonly [unknown, Accounts] {
    if (request === "audit") return [Object.values(state).reduce((x, y) => x + y, 0), state];
    if (request[0] === "balance") return [state[request[1]] ?? 0, state];
    const [, from, to, amount] = request;
    if ((state[from] ?? 0) < amount) return ["refused", state];
    this.spawnTask(async (ms: number) => {
      await sleep(ms);
      return ms;
    }, amount % 3);
    return ["ok", { ...state, [from]: (state[from] ?? 0) - amount, [to]: (state[to] ?? 0) + amount }];
  }
  override handleCast([, who, amount]: ["deposit", string, number], state: Accounts): Accounts {
    return { ...state, [who]: (state[who] ?? 0) + amount };
  }
  override handleTaskEnd(_t: Pid, _s: TaskStatus, _r: unknown, state: Accounts): Accounts {
    return state;
  }
}

/** A non-trivial protocol: clients transferring and depositing with sleeps, an auditor with timeouts. */
async function bankDay(scope: Scope): Promise<{ total: number; log: string[] }> {
  const bank = await Bank.start(scope);
  const log: string[] = [];
  const clients = [
    ["a", "b", 30],
    ["b", "c", 50],
    ["c", "a", 70],
    ["a", "c", 20],
  ] as const;
  const tasks = await Promise.all(
    clients.map(([from, to, amount], i) =>
      Task.spawn(scope, async () => {
        await sleep(i % 2);
        const r = await call<string>(bank, ["transfer", from, to, amount]);
        log.push(`${from}->${to}:${r}@${now()}`);
        cast(bank, ["deposit", to, 1]);
        // a call after the cast, from the same sender: the deposit is in when it returns
        await call(bank, ["balance", to]);
        return r;
      }),
    ),
  );
  const auditor = await Task.spawn(scope, async () => {
    const totals: number[] = [];
    for (let i = 0; i < 3; i++) {
      await sleep(1);
      totals.push(await call<number>(bank, "audit", 50));
    }
    return totals;
  });
  for (const t of tasks) await t.join();
  await auditor.join();
  const total = await call<number>(bank, "audit");
  return { total, log };
}

/** Lost update: two read-modify-writes race; fails on the seeds where an update is lost. */
async function racyIncrements(scope: Scope): Promise<number> {
  const counter = await Counter.start(scope);
  const writers = await Promise.all(
    [0, 1].map(() =>
      Task.spawn(scope, async () => {
        const v = await call<number>(counter, "get");
        await call(counter, ["set", v + 1]);
      }),
    ),
  );
  for (const w of writers) await w.join();
  const total = await call<number>(counter, "get");
  if (total !== 2) throw new Error(`lost update: total ${total}`);
  return total;
}

/** A named lock: takes `["acquire", pid]`, answers `["granted", name]`, frees on `["release", pid]`. */
class Lock extends Actor<Pid | undefined> {
  private readonly name: string;
  constructor(name: string) {
    super();
    this.name = name;
  }
  override init(): Pid | undefined {
    return undefined;
  }
  override run(holder: Pid | undefined): Promise<Pid | undefined> {
    if (holder === undefined) {
      return this.receive(
        on(["acquire", Pid], (who: Pid) => {
          send(who, ["granted", this.name]);
          return who;
        }),
      );
    }
    return this.receive(on(["release", Pid], () => undefined));
  }
}

/** Takes two locks in order, then releases both and reports. */
class Philosopher extends Actor<void> {
  private readonly locks: readonly (readonly [string, Pid])[];
  private readonly report: Pid;
  constructor(locks: readonly (readonly [string, Pid])[], report: Pid) {
    super();
    this.locks = locks;
    this.report = report;
  }
  override async run(): Promise<void> {
    for (const [name, lock] of this.locks) {
      send(lock, ["acquire", this.pid]);
      await this.receive(on(["granted", name], () => undefined));
    }
    for (const [, lock] of this.locks) send(lock, ["release", this.pid]);
    send(this.report, "fed");
    return this.receive(on("never", () => undefined));
  }
}

/** Two philosophers taking two locks in opposite orders: deadlocks on some seeds. */
async function diningPair(scope: Scope): Promise<string> {
  const inbox = scope.inbox();
  const left = ["left", await Lock.start(scope, "left")] as const;
  const right = ["right", await Lock.start(scope, "right")] as const;
  await Philosopher.start(scope, [left, right], inbox.pid);
  await Philosopher.start(scope, [right, left], inbox.pid);
  await inbox.receive(on("fed", () => undefined));
  await inbox.receive(on("fed", () => undefined));
  return "both fed";
}

/** The first seed below `limit` whose run fails, and its failure. */
async function firstFailing<T>(
  body: (scope: Scope) => Promise<T>,
  limit: number,
): Promise<{ seed: number; failure: SimulationFailure }> {
  for (let seed = 0; seed < limit; seed++) {
    const outcome = await simulate(body, { seed }).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (outcome instanceof SimulationFailure) return { seed, failure: outcome };
    if (outcome !== undefined) throw outcome;
  }
  throw new Error(`no failing seed below ${limit}`);
}

describe("replay", () => {
  it("reproduces the trace of every seed of a non-trivial protocol", async () => {
    const hashes = new Set<string>();
    for (let seed = 0; seed < 60; seed++) {
      const run = await simulate(bankDay, { seed });
      expect(run.value.total).toBe(304);
      const again = await simulate(bankDay, { replay: run.replay });
      expect(again.traceHash, `seed ${seed}`).toBe(run.traceHash);
      expect(again.trace).toEqual(run.trace);
      expect(again.value).toEqual(run.value);
      expect(again.seed).toBe(seed);
      expect(again.steps).toBe(run.steps);
      expect(again.virtualTimeMs).toBe(run.virtualTimeMs);
      hashes.add(run.traceHash);
    }
    // the protocol really has choices: the seeds explore many interleavings
    expect(hashes.size).toBeGreaterThan(30);
  });

  it("a replayed run gives a replay that reproduces it again", async () => {
    const run = await simulate(bankDay, { seed: 9 });
    const again = await simulate(bankDay, { replay: run.replay });
    const third = await simulate(bankDay, { replay: again.replay });
    expect(again.replay).toBe(run.replay);
    expect(third.traceHash).toBe(run.traceHash);
  });

  it("keeps the replay's timer slack and step budget", async () => {
    // a seed where the slack matters
    let seed = 0;
    for (; seed < 50; seed++) {
      const tight = await simulate(bankDay, { seed, timerSlackMs: 0 });
      const loose = await simulate(bankDay, { seed });
      if (tight.traceHash !== loose.traceHash) break;
    }
    expect(seed).toBeLessThan(50);
    const run = await simulate(bankDay, { seed, timerSlackMs: 0, maxSteps: 10_000 });
    const again = await simulate(bankDay, { replay: run.replay });
    expect(again.traceHash).toBe(run.traceHash);
    // the step budget travels with it
    const short = await simulate(bankDay, { seed, timerSlackMs: 0, maxSteps: run.steps });
    const failing = await rejectionOf(simulate(bankDay, { seed, timerSlackMs: 0, maxSteps: run.steps - 1 }));
    expect(failing).toBeInstanceOf(StepLimitExceeded);
    const replayedFailure = await rejectionOf(
      simulate(bankDay, { replay: (failing as StepLimitExceeded).replay }),
    );
    expect(replayedFailure).toBeInstanceOf(StepLimitExceeded);
    expect(short.traceHash).toBe(run.traceHash);
  });

  it("every accepted timer slack gives a replay that reproduces the run", async () => {
    const body = async (scope: Scope): Promise<unknown[]> => {
      const inbox = scope.inbox();
      await Task.spawn(scope, () => {
        for (const m of [1, 2, 3]) send(inbox.pid, m);
      });
      await sleep(1_000);
      return inbox.pending();
    };
    for (const timerSlackMs of [0, 0.5, 5, 1e9, Infinity]) {
      const run = await simulate(body, { seed: 3, timerSlackMs }).catch((e: unknown) => e);
      // a slack that simulate refuses is fine too, as long as it says so
      if (run instanceof TypeError) {
        expect(run.message).toMatch(/timerSlackMs/);
        continue;
      }
      const { replay, traceHash } = run as { replay: string; traceHash: string };
      const again = await simulate(body, { replay }).catch((e: unknown) => e);
      expect(again, `timerSlackMs ${timerSlackMs}: ${String(again)}`).toMatchObject({ traceHash });
    }
  });

  it("reproduces a failing run: same failure, same cause, same trace", async () => {
    const { seed, failure } = await firstFailing(racyIncrements, 300);
    expect(failure.seed).toBe(seed);
    expect((failure.cause as Error).message).toMatch(/lost update: total 1/);
    for (let i = 0; i < 3; i++) {
      const again = await rejectionOf(simulate(racyIncrements, { replay: failure.replay }));
      expect(again).toBeInstanceOf(SimulationFailure);
      const f = again as SimulationFailure;
      expect(f.constructor).toBe(failure.constructor);
      expect(f.seed).toBe(seed);
      expect(f.step).toBe(failure.step);
      expect(f.trace).toEqual(failure.trace);
      expect((f.cause as Error).message).toBe((failure.cause as Error).message);
      expect(f.replay).toBe(failure.replay);
    }
    // and the plain seed reproduces it too
    const bySeed = await rejectionOf(simulate(racyIncrements, { seed }));
    expect((bySeed as SimulationFailure).trace).toEqual(failure.trace);
  });

  it("reproduces a deadlock that only some seeds show, with the same blocked processes", async () => {
    const { seed, failure } = await firstFailing(diningPair, 300);
    expect(failure).toBeInstanceOf(Deadlock);
    const blocked = (failure as Deadlock).blocked;
    expect(blocked.filter((b) => b.process.startsWith("Philosopher<"))).toHaveLength(2);
    expect(blocked.find((b) => b.process.startsWith("Philosopher<"))?.waitingFor).toMatch(/granted/);
    const again = await rejectionOf(simulate(diningPair, { replay: failure.replay }));
    expect(again).toBeInstanceOf(Deadlock);
    expect((again as Deadlock).blocked).toEqual(blocked);
    expect((again as Deadlock).trace).toEqual(failure.trace);
    expect((again as Deadlock).seed).toBe(seed);
    // and other seeds feed both
    let fed = 0;
    for (let s = 0; s < 50; s++) {
      const r = await simulate(diningPair, { seed: s }).catch(() => undefined);
      if (r?.value === "both fed") fed++;
    }
    expect(fed).toBeGreaterThan(0);
  });

  it("reproduces a step-limit failure", async () => {
    class Echo extends Actor<void> {
      override run(): Promise<void> {
        return this.receive(
          on(["ball", Pid], (peer: Pid) => {
            send(peer, ["ball", this.pid]);
          }),
        );
      }
    }
    const body = async (scope: Scope): Promise<void> => {
      const a = await Echo.start(scope);
      const b = await Echo.start(scope);
      send(a, ["ball", b]);
      send(b, ["ball", a]);
      await sleep(1_000);
    };
    const e = await rejectionOf(simulate(body, { seed: 21, maxSteps: 300 }));
    expect(e).toBeInstanceOf(StepLimitExceeded);
    const again = await rejectionOf(simulate(body, { replay: (e as StepLimitExceeded).replay }));
    expect(again).toBeInstanceOf(StepLimitExceeded);
    expect((again as StepLimitExceeded).trace).toEqual((e as StepLimitExceeded).trace);
  });
});

describe("schedules", () => {
  it("an empty schedule is the default order, the same every time", async () => {
    const a = await simulate(bankDay, { schedule: [] });
    const b = await simulate(bankDay, { schedule: [0, 0, 0, 0] });
    expect(b.traceHash).toBe(a.traceHash);
  });

  it("a schedule is reproducible and gives a replay of its own", async () => {
    const schedule = [1, 0, 2, 1, 1, 0, 3, 2];
    const a = await simulate(bankDay, { schedule });
    const b = await simulate(bankDay, { schedule });
    expect(b.traceHash).toBe(a.traceHash);
    const replayed = await simulate(bankDay, { replay: a.replay });
    expect(replayed.traceHash).toBe(a.traceHash);
  });

  it("refuses a schedule together with a replay, or a schedule that is not small integers", async () => {
    const { replay } = await simulate(bankDay, { seed: 1 });
    const both = await rejectionOf(simulate(bankDay, { replay, schedule: [0] }));
    expect(both).toBeInstanceOf(TypeError);
    expect((both as Error).message).toMatch(/replay/);
    expect((both as Error).message).toMatch(/schedule/);
    const bad = await rejectionOf(simulate(bankDay, { schedule: [1, -1] }));
    expect(bad).toBeInstanceOf(TypeError);
    expect((bad as Error).message).toMatch(/schedule/);
  });
});
