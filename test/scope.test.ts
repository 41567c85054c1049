import { describe, it, expect } from "vitest";
import {
  ANY,
  Actor,
  CallExit,
  Crash,
  MicrotaskScheduler,
  Pid,
  ReceiveTimeout,
  Task,
  call,
  now,
  on,
  register,
  send,
  sleep,
  whereis,
  withScope,
  withTimeout,
  type ExitReason,
  type Inbox,
  type Scope,
} from "fauxtp";
import { is } from "./support.js";

/** Records its terminate (name and reason) in a shared log; optionally slow to terminate. */
class Recorder extends Actor<null> {
  readonly name: string;
  readonly log: string[];
  readonly slow: boolean;
  constructor(name: string, log: string[], slow = false) {
    super();
    this.name = name;
    this.log = log;
    this.slow = slow;
  }
  override init(): null {
    return null;
  }
  override async run(state: null): Promise<null> {
    return this.receive(
      on("stop", () => this.stop("normal")),
      on("crash", () => {
        throw new Error(`${this.name} crashed`);
      }),
      on(["ping", Pid], (from: Pid) => {
        send(from, ["pong", this.name]);
        return state;
      }),
    );
  }
  override async terminate(reason: ExitReason): Promise<void> {
    if (this.slow) await sleep(5);
    this.log.push(`${this.name}:${String(reason)}`);
  }
}

/** Starts a Recorder child in its own children scope. */
class ParentOf extends Actor<null> {
  readonly log: string[];
  constructor(log: string[]) {
    super();
    this.log = log;
  }
  override async init(): Promise<null> {
    await this.spawnChild(Recorder, {}, "grandchild", this.log);
    return null;
  }
  override async run(state: null): Promise<null> {
    return this.receive(on("never", () => state));
  }
  override terminate(reason: ExitReason): void {
    this.log.push(`parent:${String(reason)}`);
  }
}

describe("withScope", () => {
  it("settles with the body's value", async () => {
    expect(await withScope(async () => 42)).toBe(42);
    expect(await withScope(() => "sync body")).toBe("sync body");
  });

  it("rejects with the body's error, the very same object", async () => {
    const boom = new Error("body failed");
    await expect(
      withScope(async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });

  it("stops every process with reason shutdown, in reverse start order, before settling with the value", async () => {
    const log: string[] = [];
    const result = await withScope(async (scope) => {
      await Recorder.start(scope, "a", log);
      await Recorder.start(scope, "b", log);
      await Recorder.start(scope, "c", log);
      expect(log).toEqual([]);
      return "done";
    });
    expect(result).toBe("done");
    expect(log).toEqual(["c:shutdown", "b:shutdown", "a:shutdown"]);
  });

  it("stops every process, in reverse start order, before settling with the body's error", async () => {
    const log: string[] = [];
    const boom = new Error("boom");
    const error = await withScope(async (scope) => {
      await Recorder.start(scope, "a", log);
      await Recorder.start(scope, "b", log);
      throw boom;
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBe(boom);
    expect(log).toEqual(["b:shutdown", "a:shutdown"]);
  });

  it("waits for async terminate callbacks to finish before settling", async () => {
    const log: string[] = [];
    await withScope(async (scope) => {
      await Recorder.start(scope, "slow1", log, true);
      await Recorder.start(scope, "slow2", log, true);
    });
    expect(log).toEqual(["slow2:shutdown", "slow1:shutdown"]);
  });

  it("stops the children of the processes it started too", async () => {
    const log: string[] = [];
    await withScope(async (scope) => {
      await ParentOf.start(scope, log);
    });
    expect(log).toContain("parent:shutdown");
    expect(log).toContain("grandchild:shutdown");
    expect(log).toHaveLength(2);
  });

  it("stops tasks started in it", async () => {
    let task: Task<string> | undefined;
    await withScope(async (scope) => {
      task = await Task.spawn(scope, () => new Promise<string>(() => {}));
    });
    await withScope(async () => {
      const error = await withTimeout(
        (task as Task<string>).join().then(
          () => undefined,
          (e: unknown) => e,
        ),
        1000,
      );
      expect((error as { reason: unknown }).reason).toBe("shutdown");
    });
  });

  it("does not run terminate again for a process that already exited", async () => {
    const log: string[] = [];
    await withScope(async (scope) => {
      const exits = scope.inbox();
      const handle = await Recorder.startLink(
        scope,
        { onExit: (pid, reason) => send(exits.pid, ["exit", pid, reason]) },
        "early",
        log,
      );
      await Recorder.start(scope, "late", log);
      send(handle.pid, "stop");
      await exits.receive(
        on(["exit", is(handle.pid), ANY], () => null),
        { timeout: 1000 },
      );
    });
    expect(log).toEqual(["early:normal", "late:shutdown"]);
  });

  it("a crash inside the scope does not reject withScope", async () => {
    const log: string[] = [];
    const result = await withScope(async (scope) => {
      const exits = scope.inbox();
      const handle = await Recorder.startLink(
        scope,
        { onExit: (pid, reason) => send(exits.pid, ["exit", pid, reason]) },
        "victim",
        log,
      );
      send(handle.pid, "crash");
      const reason = await exits.receive(
        on(["exit", is(handle.pid), ANY], (_p: Pid, r: ExitReason) => r),
        {
          timeout: 1000,
        },
      );
      expect(reason).toBeInstanceOf(Crash);
      return "fine";
    });
    expect(result).toBe("fine");
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/^victim:/);
  });

  it("nested scopes close independently: the inner one first", async () => {
    const log: string[] = [];
    await withScope(async (outer) => {
      await Recorder.start(outer, "outer", log);
      await withScope(async (inner) => {
        await Recorder.start(inner, "inner", log);
      });
      expect(log).toEqual(["inner:shutdown"]);
      const inbox = outer.inbox();
      const outerPid = await Recorder.start(outer, "outer2", log);
      send(outerPid, ["ping", inbox.pid]);
      expect(
        await inbox.receive(
          on(["pong", String], (n: string) => n),
          { timeout: 1000 },
        ),
      ).toBe("outer2");
    });
    expect(log).toEqual(["inner:shutdown", "outer2:shutdown", "outer:shutdown"]);
  });

  it("accepts an explicit MicrotaskScheduler", async () => {
    const log: string[] = [];
    const result = await withScope(
      async (scope) => {
        const inbox = scope.inbox();
        const pid = await Recorder.start(scope, "x", log);
        send(pid, ["ping", inbox.pid]);
        return inbox.receive(
          on(["pong", String], (n: string) => n),
          { timeout: 1000 },
        );
      },
      { scheduler: new MicrotaskScheduler() },
    );
    expect(result).toBe("x");
    expect(log).toEqual(["x:shutdown"]);
  });

  it("nothing can be started in a scope that has closed", async () => {
    let closed: Scope | undefined;
    await withScope(async (scope) => {
      closed = scope;
    });
    const log: string[] = [];
    await withScope(async () => {
      await expect(async () => Recorder.start(closed as Scope, "zombie", log)).rejects.toThrow();
    });
    expect(log).toEqual([]);
  });
});

describe("scope.inbox()", () => {
  it("gives a pid that actors can send to, and a selective receive", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      const pid = await Recorder.start(scope, "r", []);
      send(pid, ["ping", inbox.pid]);
      send(inbox.pid, "direct");
      expect(
        await inbox.receive(
          on(["pong", String], (n: string) => n),
          { timeout: 1000 },
        ),
      ).toBe("r");
      expect(
        await inbox.receive(
          on(ANY, (m: unknown) => m),
          { timeout: 1000 },
        ),
      ).toBe("direct");
    });
  });

  it("receive with a timeout rejects with ReceiveTimeout", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      const started = now();
      const error = await inbox
        .receive(
          on("nothing", () => 1),
          { timeout: 15 },
        )
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(ReceiveTimeout);
      expect((error as Error).message).toBe("No matching message within 15ms");
      expect(now() - started).toBeGreaterThanOrEqual(14);
    });
  });

  it("two inboxes are separate mailboxes", async () => {
    await withScope(async (scope) => {
      const a = scope.inbox();
      const b = scope.inbox();
      expect(a.pid).not.toBe(b.pid);
      send(a.pid, "for a");
      send(b.pid, "for b");
      expect(
        await b.receive(
          on(ANY, (m: unknown) => m),
          { timeout: 1000 },
        ),
      ).toBe("for b");
      expect(
        await a.receive(
          on(ANY, (m: unknown) => m),
          { timeout: 1000 },
        ),
      ).toBe("for a");
    });
  });

  it("closes with the scope: its pid is no longer alive", async () => {
    let inbox: Inbox | undefined;
    await withScope(async (scope) => {
      inbox = scope.inbox();
    });
    await withScope(async () => {
      const pid = (inbox as Inbox).pid;
      expect(() => send(pid, "too late")).not.toThrow();
      const error = await call(pid, "anyone?", 1000).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CallExit);
      expect((error as CallExit).reason).toBe("noproc");
      const name = `closed_inbox_${String(pid)}`;
      let registeredIt: boolean | "threw";
      try {
        registeredIt = register(name, pid);
      } catch {
        registeredIt = "threw";
      }
      expect(registeredIt).not.toBe(true);
      expect(whereis(name)).toBeUndefined();
    });
  });

  it("a receive on a closed inbox does not wait forever, even with a timeout", async () => {
    let inbox: Inbox | undefined;
    await withScope(async (scope) => {
      inbox = scope.inbox();
    });
    await withScope(async () => {
      const outcome = await withTimeout(
        (inbox as Inbox)
          .receive(
            on(ANY, (m: unknown) => m),
            { timeout: 20 },
          )
          .then(
            (m) => ["resolved", m],
            (e: unknown) => ["rejected", e],
          ),
        500,
      ).catch((e: unknown) => ["hung", e]);
      expect(outcome[0]).toBe("rejected");
    });
  });

  it("a receive still waiting when the scope closes is settled, not left hanging", async () => {
    let pending: Promise<unknown> | undefined;
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      pending = inbox.receive(on("never", () => "matched")).then(
        (m) => ["resolved", m],
        (e: unknown) => ["rejected", e],
      );
    });
    await withScope(async () => {
      const outcome = (await withTimeout(pending as Promise<unknown>, 500).catch((e: unknown) => [
        "hung",
        e,
      ])) as unknown[];
      expect(outcome[0]).toBe("rejected");
    });
  });
});

describe("now and sleep", () => {
  it("sleep waits at least the given time on the scheduler's clock", async () => {
    await withScope(async () => {
      const t0 = now();
      await sleep(10);
      const elapsed = now() - t0;
      expect(elapsed).toBeGreaterThanOrEqual(9);
      expect(typeof t0).toBe("number");
    });
  });

  it("now never goes backwards", async () => {
    await withScope(async () => {
      let last = now();
      for (let i = 0; i < 100; i++) {
        const t = now();
        expect(t).toBeGreaterThanOrEqual(last);
        last = t;
      }
    });
  });

  it("sleep rejects bad durations", async () => {
    await withScope(async () => {
      await expect(async () => sleep(-1)).rejects.toThrow();
      await expect(async () => sleep(Number.NaN)).rejects.toThrow();
    });
  });
});
