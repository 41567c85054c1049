import { describe, it, expect } from "vitest";
import {
  ANY,
  Actor,
  IGNORE,
  CallExit,
  Crash,
  Pid,
  call,
  isNormalExit,
  on,
  send,
  sleep,
  withScope,
  type ExitReason,
  type Inbox,
} from "fauxtp";
import { exitOf, is } from "./support.js";

const reportExit =
  (inbox: Inbox) =>
  (pid: Pid, reason: ExitReason): void => {
    send(inbox.pid, ["exit", pid, reason]);
  };

type CounterState = { count: number };

class Counter extends Actor<CounterState> {
  override async init(): Promise<CounterState> {
    return { count: 0 };
  }
  override async run(state: CounterState): Promise<CounterState> {
    return this.receive(
      on(["increment"], () => ({ count: state.count + 1 })),
      on(["increment_by", Number], (n: number) => ({ count: state.count + n })),
      on(["get", Pid], (replyTo: Pid) => {
        send(replyTo, ["count", state.count]);
        return state;
      }),
      on(["stop"], () => this.stop("normal")),
      on(ANY, () => state),
    );
  }
}

class Echo extends Actor<number> {
  readonly prefix: string;
  constructor(prefix: string) {
    super();
    this.prefix = prefix;
  }
  override init(): number {
    return 0;
  }
  override async run(count: number): Promise<number> {
    return this.receive(
      on(["echo", Pid, String], (from: Pid, text: string) => {
        send(from, [this.prefix + text, count + 1]);
        return count + 1;
      }),
      on("stop", () => this.stop("normal")),
      { timeout: 10_000 },
    );
  }
}

/** Blocks in receive until told to stop with a given reason or to crash with a given value. */
class Controlled extends Actor<string> {
  readonly log: Pid;
  constructor(log: Pid) {
    super();
    this.log = log;
  }
  override init(): string {
    return "state";
  }
  override async run(state: string): Promise<string> {
    return this.receive(
      on(["stop", ANY], (reason: ExitReason) => this.stop(reason)),
      on(["stop"], () => this.stop()),
      on(["crash", ANY], (value: unknown) => {
        throw value;
      }),
      on(["crash_async", ANY], async (value: unknown) => {
        await sleep(1);
        throw value;
      }),
      on(["ping", Pid], (from: Pid) => {
        send(from, ["pong", this.pid]);
        return state;
      }),
    );
  }
  override terminate(reason: ExitReason, state: string): void {
    send(this.log, ["terminate", this.pid, reason, state]);
  }
}

async function terminateOf(inbox: Inbox, pid: Pid): Promise<ExitReason> {
  return inbox.receive(
    on(["terminate", is(pid), ANY, IGNORE], (_pid: Pid, reason: ExitReason) => reason),
    { timeout: 1000 },
  );
}

describe("Actor messaging", () => {
  it("round-trips messages without sleeping (test_actor_message_round_trip_without_sleeps)", async () => {
    await withScope(async (scope) => {
      const pid = await Counter.start(scope);
      const reply = scope.inbox();
      send(pid, ["increment"]);
      send(pid, ["increment_by", 2]);
      send(pid, ["get", reply.pid]);
      const count = await reply.receive(
        on(["count", Number], (n: number) => n),
        { timeout: 1000 },
      );
      expect(count).toBe(3);
    });
  });

  it("passes constructor arguments after the scope", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      const pid = await Echo.start(scope, "> ");
      send(pid, ["echo", inbox.pid, "hi"]);
      send(pid, ["echo", inbox.pid, "there"]);
      const a = await inbox.receive(
        on([String, Number], (s: string, n: number) => [s, n]),
        { timeout: 1000 },
      );
      const b = await inbox.receive(
        on([String, Number], (s: string, n: number) => [s, n]),
        { timeout: 1000 },
      );
      expect(a).toEqual(["> hi", 1]);
      expect(b).toEqual(["> there", 2]);
    });
  });

  it("messages an actor sends to one receiver arrive in the order sent", async () => {
    class Burst extends Actor<null> {
      readonly to: Pid;
      constructor(to: Pid) {
        super();
        this.to = to;
      }
      override init(): null {
        for (let i = 0; i < 100; i++) send(this.to, ["n", i]);
        return null;
      }
      override async run(state: null): Promise<null> {
        return this.receive(on("never", () => state));
      }
    }
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      await Burst.start(scope, inbox.pid);
      const got: number[] = [];
      for (let i = 0; i < 100; i++) {
        got.push(
          await inbox.receive(
            on(["n", Number], (n: number) => n),
            { timeout: 1000 },
          ),
        );
      }
      expect(got).toEqual(Array.from({ length: 100 }, (_, i) => i));
    });
  });

  it("sending to a process that has exited is silently dropped", async () => {
    await withScope(async (scope) => {
      const exits = scope.inbox();
      const handle = await Counter.startLink(scope, { onExit: reportExit(exits) });
      send(handle.pid, ["stop"]);
      expect(await exitOf(exits, handle.pid)).toBe("normal");
      expect(() => send(handle.pid, ["increment"])).not.toThrow();
    });
  });

  it("this.pid is available in init and is the pid start returns", async () => {
    class WhoAmI extends Actor<null> {
      readonly to: Pid;
      constructor(to: Pid) {
        super();
        this.to = to;
      }
      override init(): null {
        send(this.to, ["me", this.pid]);
        return null;
      }
      override async run(state: null): Promise<null> {
        return this.receive(on("never", () => state));
      }
    }
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      const pid = await WhoAmI.start(scope, inbox.pid);
      const reported = await inbox.receive(
        on(["me", Pid], (p: Pid) => p),
        { timeout: 1000 },
      );
      expect(reported).toBe(pid);
    });
  });
});

describe("Actor lifecycle", () => {
  it("runs init, then run again and again with the returned state, then terminate exactly once, then onExit", async () => {
    const log: string[] = [];
    class Stepper extends Actor<number> {
      override init(): number {
        log.push("init");
        return 0;
      }
      override run(n: number): number {
        log.push(`run:${n}`);
        if (n === 3) this.stop("normal");
        return n + 1;
      }
      override terminate(reason: ExitReason, n: number): void {
        log.push(`terminate:${String(reason)}:${n}`);
      }
    }
    await withScope(async (scope) => {
      const exits = scope.inbox();
      const handle = await Stepper.startLink(scope, {
        onExit: (pid, reason) => {
          log.push(`onExit:${String(reason)}`);
          send(exits.pid, ["exit", pid, reason]);
        },
      });
      expect(await exitOf(exits, handle.pid)).toBe("normal");
      expect(log).toEqual([
        "init",
        "run:0",
        "run:1",
        "run:2",
        "run:3",
        "terminate:normal:3",
        "onExit:normal",
      ]);
    });
    // The scope's shutdown does not run terminate a second time.
    expect(log.filter((l) => l.startsWith("terminate")).length).toBe(1);
    expect(log.filter((l) => l.startsWith("onExit")).length).toBe(1);
  });

  it("init, run and terminate may all be async", async () => {
    const log: string[] = [];
    class AsyncSteps extends Actor<number> {
      override async init(): Promise<number> {
        await sleep(1);
        log.push("init");
        return 10;
      }
      override async run(n: number): Promise<number> {
        await sleep(1);
        log.push(`run:${n}`);
        if (n === 11) this.stop("normal");
        return n + 1;
      }
      override async terminate(reason: ExitReason, n: number): Promise<void> {
        await sleep(1);
        log.push(`terminate:${String(reason)}:${n}`);
      }
    }
    await withScope(async (scope) => {
      const exits = scope.inbox();
      const handle = await AsyncSteps.startLink(scope, { onExit: reportExit(exits) });
      expect(await exitOf(exits, handle.pid)).toBe("normal");
      expect(log).toEqual(["init", "run:10", "run:11", "terminate:normal:11"]);
    });
  });

  it("start resolves only once init has returned", async () => {
    let initDone = false;
    class SlowInit extends Actor<null> {
      override async init(): Promise<null> {
        await sleep(5);
        initDone = true;
        return null;
      }
      override async run(state: null): Promise<null> {
        return this.receive(on("never", () => state));
      }
    }
    await withScope(async (scope) => {
      const pid = await SlowInit.start(scope);
      expect(initDone).toBe(true);
      expect(pid).toBeInstanceOf(Pid);
    });
  });

  it("stop() inside a receive handler defaults to reason normal (test_actor_stop_calls_terminate_and_on_exit_reason_is_normal)", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      const handle = await Controlled.startLink(scope, { onExit: reportExit(log) }, log.pid);
      send(handle.pid, ["stop"]);
      expect(await terminateOf(log, handle.pid)).toBe("normal");
      expect(await exitOf(log, handle.pid)).toBe("normal");
      // Cancelling after the exit is safe.
      await handle.cancel();
    });
  });

  it("stop(reason) passes the reason to terminate and onExit", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      const handle = await Controlled.startLink(scope, { onExit: reportExit(log) }, log.pid);
      send(handle.pid, ["stop", "custom_reason"]);
      expect(await terminateOf(log, handle.pid)).toBe("custom_reason");
      const reason = await exitOf(log, handle.pid);
      expect(reason).toBe("custom_reason");
      expect(isNormalExit(reason)).toBe(false);
    });
  });

  it("terminate receives the last state", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      const pid = await Controlled.start(scope, log.pid);
      send(pid, ["stop", "shutdown"]);
      const state = await log.receive(
        on(["terminate", is(pid), "shutdown", ANY], (_p: Pid, s: unknown) => s),
        { timeout: 1000 },
      );
      expect(state).toBe("state");
    });
  });

  it("cancel via the handle exits with reason cancelled and runs terminate (test_actor_cancel_scope_results_in_cancelled_reason_and_terminate_runs)", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      const handle = await Controlled.startLink(scope, { onExit: reportExit(log) }, log.pid);
      await handle.cancel();
      expect(await terminateOf(log, handle.pid)).toBe("cancelled");
      const reason = await exitOf(log, handle.pid);
      expect(reason).toBe("cancelled");
      expect(isNormalExit(reason)).toBe(true);
    });
  });

  it("awaiting cancel() resolves after terminate has run", async () => {
    let terminated = 0;
    class Slow extends Actor<null> {
      override init(): null {
        return null;
      }
      override async run(state: null): Promise<null> {
        return this.receive(on("never", () => state));
      }
      override async terminate(): Promise<void> {
        await sleep(5);
        terminated += 1;
      }
    }
    await withScope(async (scope) => {
      const handle = await Slow.startLink(scope, {});
      await handle.cancel();
      expect(terminated).toBe(1);
      await handle.cancel();
      expect(terminated).toBe(1);
    });
  });

  it("a process that has been cancelled is gone: a call gets CallExit noproc", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      const handle = await Controlled.startLink(scope, { onExit: reportExit(log) }, log.pid);
      await handle.cancel();
      await exitOf(log, handle.pid);
      const error = await call(handle.pid, "anything", 1000).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CallExit);
      expect((error as CallExit).reason).toBe("noproc");
    });
  });
});

describe("Actor crashes", () => {
  it("a thrown Error becomes a Crash whose .error is that very error", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      const handle = await Controlled.startLink(scope, { onExit: reportExit(log) }, log.pid);
      const boom = new Error("boom");
      send(handle.pid, ["crash", boom]);
      const fromTerminate = await terminateOf(log, handle.pid);
      const reason = await exitOf(log, handle.pid);
      expect(reason).toBeInstanceOf(Crash);
      expect((reason as Crash).error).toBe(boom);
      expect(fromTerminate).toBeInstanceOf(Crash);
      expect((fromTerminate as Crash).error).toBe(boom);
      expect(isNormalExit(reason)).toBe(false);
    });
  });

  it("a thrown non-Error value is kept as is in Crash.error", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      for (const value of ["a string", 42, { code: "E_OBJ" }, null, undefined]) {
        const handle = await Controlled.startLink(scope, { onExit: reportExit(log) }, log.pid);
        send(handle.pid, ["crash", value]);
        const reason = await exitOf(log, handle.pid);
        expect(reason).toBeInstanceOf(Crash);
        expect((reason as Crash).error).toBe(value);
      }
    });
  });

  it("an async handler that rejects crashes the actor with that error", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      const handle = await Controlled.startLink(scope, { onExit: reportExit(log) }, log.pid);
      const boom = new RangeError("async boom");
      send(handle.pid, ["crash_async", boom]);
      const reason = await exitOf(log, handle.pid);
      expect(reason).toBeInstanceOf(Crash);
      expect((reason as Crash).error).toBe(boom);
    });
  });

  it("a crash does not affect siblings, the scope or the body's promise chain", async () => {
    const result = await withScope(async (scope) => {
      const log = scope.inbox();
      const victim = await Controlled.startLink(scope, { onExit: reportExit(log) }, log.pid);
      const sibling = await Controlled.start(scope, log.pid);
      send(victim.pid, ["crash", new Error("boom")]);
      expect(await exitOf(log, victim.pid)).toBeInstanceOf(Crash);
      send(sibling, ["ping", log.pid]);
      const pong = await log.receive(
        on(["pong", Pid], (p: Pid) => p),
        { timeout: 1000 },
      );
      expect(pong).toBe(sibling);
      return "body value";
    });
    expect(result).toBe("body value");
  });

  it("errors thrown by onExit are ignored", async () => {
    const result = await withScope(async (scope) => {
      const log = scope.inbox();
      const handle = await Controlled.startLink(
        scope,
        {
          onExit: (pid, reason) => {
            send(log.pid, ["exit", pid, reason]);
            throw new Error("onExit failed");
          },
        },
        log.pid,
      );
      send(handle.pid, ["stop", "bye"]);
      expect(await exitOf(log, handle.pid)).toBe("bye");
      const other = await Controlled.start(scope, log.pid);
      send(other, ["ping", log.pid]);
      expect(
        await log.receive(
          on(["pong", Pid], (p: Pid) => p),
          { timeout: 1000 },
        ),
      ).toBe(other);
      return 7;
    });
    expect(result).toBe(7);
  });

  it("a crash never escapes as an unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on("unhandledRejection", listener);
    try {
      class BadTerminate extends Actor<null> {
        readonly log: Pid;
        constructor(log: Pid) {
          super();
          this.log = log;
        }
        override init(): null {
          return null;
        }
        override async run(): Promise<null> {
          this.stop("normal");
        }
        override terminate(): void {
          send(this.log, "terminating");
          throw new Error("terminate failed");
        }
      }
      class BadInit extends Actor<null> {
        override async init(): Promise<null> {
          throw new Error("init failed");
        }
        override run(state: null): null {
          return state;
        }
      }
      await withScope(async (scope) => {
        const log = scope.inbox();
        const a = await Controlled.startLink(scope, { onExit: reportExit(log) }, log.pid);
        const b = await Controlled.startLink(scope, { onExit: reportExit(log) }, log.pid);
        const c = await Controlled.startLink(
          scope,
          {
            onExit: async (pid, reason) => {
              send(log.pid, ["exit", pid, reason]);
              throw new Error("async onExit failed");
            },
          },
          log.pid,
        );
        send(a.pid, ["crash", new Error("sync crash")]);
        send(b.pid, ["crash_async", new Error("async crash")]);
        send(c.pid, ["crash", "not even an Error"]);
        expect(await exitOf(log, a.pid)).toBeInstanceOf(Crash);
        expect(await exitOf(log, b.pid)).toBeInstanceOf(Crash);
        expect(await exitOf(log, c.pid)).toBeInstanceOf(Crash);
        await BadTerminate.start(scope, log.pid);
        await log.receive(
          on("terminating", () => null),
          { timeout: 1000 },
        );
        await expect(BadInit.start(scope)).rejects.toThrow("init failed");
        // Give the host a few turns to report any rejection nobody handled.
        await sleep(20);
      });
      await sleep(5);
    } finally {
      process.off("unhandledRejection", listener);
    }
    expect(unhandled).toEqual([]);
  });
});

describe("isNormalExit", () => {
  it("normal, shutdown and cancelled are normal; everything else is abnormal", async () => {
    await withScope(async (scope) => {
      expect(isNormalExit("normal")).toBe(true);
      expect(isNormalExit("shutdown")).toBe(true);
      expect(isNormalExit("cancelled")).toBe(true);
      expect(isNormalExit("killed")).toBe(false);
      expect(isNormalExit("error")).toBe(false);
      expect(isNormalExit("anything else")).toBe(false);
      expect(isNormalExit("")).toBe(false);

      const log = scope.inbox();
      const handle = await Controlled.startLink(scope, { onExit: reportExit(log) }, log.pid);
      send(handle.pid, ["crash", new Error("x")]);
      const crash = await exitOf(log, handle.pid);
      expect(crash).toBeInstanceOf(Crash);
      expect(isNormalExit(crash)).toBe(false);
    });
  });
});

describe("Actor start failures", () => {
  it("start rejects with the error init throws, and leaves no process", async () => {
    const boom = new Error("init exploded");
    class FailingInit extends Actor<null> {
      readonly to: Pid;
      constructor(to: Pid) {
        super();
        this.to = to;
      }
      override init(): null {
        send(this.to, ["my_pid", this.pid]);
        throw boom;
      }
      override run(state: null): null {
        return state;
      }
    }
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      await expect(FailingInit.start(scope, inbox.pid)).rejects.toBe(boom);
      const pid = await inbox.receive(
        on(["my_pid", Pid], (p: Pid) => p),
        { timeout: 1000 },
      );
      const error = await call(pid, "alive?", 1000).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CallExit);
      expect((error as CallExit).reason).toBe("noproc");

      await expect(FailingInit.startLink(scope, {}, inbox.pid)).rejects.toBe(boom);
    });
  });

  it("start rejects when an async init rejects", async () => {
    const boom = new TypeError("async init exploded");
    class FailingAsyncInit extends Actor<null> {
      override async init(): Promise<null> {
        await sleep(1);
        throw boom;
      }
      override run(state: null): null {
        return state;
      }
    }
    await withScope(async (scope) => {
      await expect(FailingAsyncInit.start(scope)).rejects.toBe(boom);
    });
  });

  it("start rejects when init calls stop, and leaves no process", async () => {
    class StopInInit extends Actor<null> {
      readonly to: Pid;
      constructor(to: Pid) {
        super();
        this.to = to;
      }
      override init(): null {
        send(this.to, ["my_pid", this.pid]);
        this.stop("no thanks");
      }
      override run(state: null): null {
        return state;
      }
    }
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      let rejected = false;
      await StopInInit.start(scope, inbox.pid).then(
        () => undefined,
        () => {
          rejected = true;
        },
      );
      expect(rejected).toBe(true);
      const pid = await inbox.receive(
        on(["my_pid", Pid], (p: Pid) => p),
        { timeout: 1000 },
      );
      await expect(call(pid, "alive?", 1000)).rejects.toBeInstanceOf(CallExit);
    });
  });

  it("start called on something that is not an Actor class throws", async () => {
    class NotAnActor {
      run(): void {}
    }
    await withScope(async (scope) => {
      const start: any = Actor.start;
      await expect(async () => start.call(NotAnActor, scope)).rejects.toThrow();
      await expect(async () => start.call({}, scope)).rejects.toThrow();
      await expect(async () => start.call(undefined, scope)).rejects.toThrow();
    });
  });
});

describe("Actor children", () => {
  class Child extends Actor<string> {
    readonly name: string;
    readonly log: Pid;
    constructor(name: string, log: Pid) {
      super();
      this.name = name;
      this.log = log;
    }
    override init(): string {
      send(this.log, ["child_started", this.name, this.pid]);
      return this.name;
    }
    override async run(state: string): Promise<string> {
      return this.receive(
        on("crash", () => {
          throw new Error(`child ${state} crashed`);
        }),
      );
    }
    override terminate(reason: ExitReason): void {
      send(this.log, ["child_terminated", this.name, reason]);
    }
  }

  class Parent extends Actor<null> {
    readonly log: Pid;
    constructor(log: Pid) {
      super();
      this.log = log;
    }
    override async init(): Promise<null> {
      const handle = await this.spawnChild(
        Child,
        {
          onExit: (pid, reason) => {
            send(this.pid, ["child_exit", pid, reason]);
          },
        },
        "kid",
        this.log,
      );
      send(this.log, ["parent_spawned", handle.pid]);
      return null;
    }
    override async run(state: null): Promise<null> {
      return this.receive(
        on(["child_exit", Pid, ANY], (pid: Pid, reason: ExitReason) => {
          send(this.log, ["parent_saw_child_exit", pid, reason]);
          return state;
        }),
        on(["ping", Pid], (from: Pid) => {
          send(from, ["pong", this.pid]);
          return state;
        }),
        on("stop", () => this.stop("normal")),
      );
    }
  }

  it("spawnChild starts a child with its arguments and delivers its exit to onExit", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      const parent = await Parent.start(scope, log.pid);
      const childPid = await log.receive(
        on(["child_started", "kid", Pid], (p: Pid) => p),
        { timeout: 1000 },
      );
      const spawned = await log.receive(
        on(["parent_spawned", Pid], (p: Pid) => p),
        { timeout: 1000 },
      );
      expect(spawned).toBe(childPid);

      send(childPid, "crash");
      const reason = await log.receive(
        on(["parent_saw_child_exit", is(childPid), ANY], (_p: Pid, r: ExitReason) => r),
        { timeout: 1000 },
      );
      expect(reason).toBeInstanceOf(Crash);
      expect(((reason as Crash).error as Error).message).toBe("child kid crashed");

      // The parent is not taken down by its child's crash.
      send(parent, ["ping", log.pid]);
      expect(
        await log.receive(
          on(["pong", Pid], (p: Pid) => p),
          { timeout: 1000 },
        ),
      ).toBe(parent);
    });
  });

  it("this.children is stopped with reason shutdown when the actor exits", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      const parent = await Parent.startLink(scope, { onExit: reportExit(log) }, log.pid);
      const childPid = await log.receive(
        on(["child_started", "kid", Pid], (p: Pid) => p),
        { timeout: 1000 },
      );
      send(parent.pid, "stop");
      expect(await exitOf(log, parent.pid)).toBe("normal");
      const childReason = await log.receive(
        on(["child_terminated", "kid", ANY], (r: ExitReason) => r),
        {
          timeout: 1000,
        },
      );
      expect(childReason).toBe("shutdown");
      await expect(call(childPid, "alive?", 1000)).rejects.toBeInstanceOf(CallExit);
    });
  });

  it("this.children is stopped when the actor crashes too", async () => {
    class CrashingParent extends Actor<null> {
      readonly log: Pid;
      constructor(log: Pid) {
        super();
        this.log = log;
      }
      override async init(): Promise<null> {
        await this.spawnChild(Child, {}, "orphan", this.log);
        return null;
      }
      override async run(): Promise<null> {
        return this.receive(
          on("crash", () => {
            throw new Error("parent crashed");
          }),
        );
      }
    }
    await withScope(async (scope) => {
      const log = scope.inbox();
      const parent = await CrashingParent.start(scope, log.pid);
      await log.receive(
        on(["child_started", "orphan", Pid], () => null),
        { timeout: 1000 },
      );
      send(parent, "crash");
      const childReason = await log.receive(
        on(["child_terminated", "orphan", ANY], (r: ExitReason) => r),
        {
          timeout: 1000,
        },
      );
      expect(childReason).toBe("shutdown");
    });
  });
});

describe("Actor not started", () => {
  class NeverStarted extends Actor<null> {
    override init(): null {
      return null;
    }
    override run(state: null): null {
      return state;
    }
  }

  it("reading pid throws Error('Actor not started')", async () => {
    await withScope(async () => {
      const actor = new NeverStarted();
      expect(() => actor.pid).toThrow("Actor not started");
      expect(() => actor.pid).toThrow(Error);
    });
  });

  it("receive throws Error('Actor not started')", async () => {
    class Exposed extends NeverStarted {
      tryReceive(): Promise<unknown> {
        return this.receive(
          on(ANY, (m: unknown) => m),
          { timeout: 100 },
        );
      }
    }
    await withScope(async () => {
      const actor = new Exposed();
      await expect(async () => actor.tryReceive()).rejects.toThrow("Actor not started");
    });
  });
});
