import { describe, it, expect } from "vitest";
import {
  ANY,
  Actor,
  CallExit,
  Crash,
  GenServer,
  Pid,
  ReceiveTimeout,
  Task,
  call,
  cast,
  on,
  send,
  sleep,
  withScope,
  type ExitReason,
  type From,
} from "fauxtp";
import { exitOf } from "./support.js";

class SomeActor extends Actor<null> {
  override init(): null {
    return null;
  }
  override run(state: null): null {
    return state;
  }
  receiveAnything(): Promise<unknown> {
    return this.receive(
      on(ANY, (m: unknown) => m),
      { timeout: 100 },
    );
  }
}

describe("edge cases from the original suite", () => {
  it("test_actor_not_started_error", async () => {
    await withScope(async () => {
      const actor = new SomeActor();
      expect(() => actor.pid).toThrow(new Error("Actor not started"));
    });
  });

  it("test_actor_receive_not_started_raises_runtime_error", async () => {
    await withScope(async () => {
      const actor = new SomeActor();
      await expect(async () => actor.receiveAnything()).rejects.toThrow("Actor not started");
    });
  });

  it("test_mailbox_timeout_exception_message_contains_timeout", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      await expect(
        inbox.receive(
          on(["never"], () => null),
          { timeout: 50 },
        ),
      ).rejects.toThrow("No matching message within 50ms");
    });
  });

  it("test_genserver_handle_call_not_implemented_crashes_and_reports_reason", async () => {
    class Incomplete extends GenServer<Record<string, never>> {
      override init(): Record<string, never> {
        return {};
      }
    }
    await withScope(async (scope) => {
      const exits = scope.inbox();
      const handle = await Incomplete.startLink(scope, {
        onExit: (pid, reason) => send(exits.pid, ["exit", pid, reason]),
      });
      // The server crashes before replying, so the caller gets CallExit, not a timeout.
      const error = await call(handle.pid, "ping", 1000).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CallExit);
      expect(error).not.toBeInstanceOf(ReceiveTimeout);
      const reason = await exitOf(exits, handle.pid);
      expect(reason).toBeInstanceOf(Crash);
      expect(String(((reason as Crash).error as Error).message)).toContain("handleCall not implemented");
    });
  });

  it("test_actor_terminate_called_on_cancel_and_reason_is_cancelled", async () => {
    const reasons: ExitReason[] = [];
    class Terminating extends Actor<null> {
      override init(): null {
        return null;
      }
      override async run(state: null): Promise<null> {
        return this.receive(
          on(ANY, () => state),
          { timeout: 10_000 },
        );
      }
      override terminate(reason: ExitReason): void {
        reasons.push(reason);
      }
    }
    await withScope(async (scope) => {
      const handle = await Terminating.startLink(scope, {});
      await handle.cancel();
      expect(reasons).toEqual(["cancelled"]);
    });
    expect(reasons).toEqual(["cancelled"]);
  });

  it("test_genserver_handle_cast_default_does_not_change_state", async () => {
    class Minimal extends GenServer<{ value: number }, "get"> {
      override init(): { value: number } {
        return { value: 1 };
      }
      override handleCall(_r: "get", _f: From, state: { value: number }): [number, { value: number }] {
        return [state.value, state];
      }
    }
    await withScope(async (scope) => {
      const pid = await Minimal.start(scope);
      cast(pid, "some_cast");
      expect(await call(pid, "get", 1000)).toBe(1);
    });
  });

  it("test_genserver_handle_info_default_does_not_change_state", async () => {
    class Minimal extends GenServer<{ value: number }, "get"> {
      override init(): { value: number } {
        return { value: 1 };
      }
      override handleCall(_r: "get", _f: From, state: { value: number }): [number, { value: number }] {
        return [state.value, state];
      }
    }
    await withScope(async (scope) => {
      const pid = await Minimal.start(scope);
      send(pid, ["info", "message"]);
      expect(await call(pid, "get", 1000)).toBe(1);
    });
  });

  it("test_send_to_mailbox_fifo_receive", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      send(inbox.pid, "test1");
      send(inbox.pid, "test2");
      send(inbox.pid, "test3");
      const got = [
        await inbox.receive(
          on(ANY, (x: unknown) => x),
          { timeout: 500 },
        ),
        await inbox.receive(
          on(ANY, (x: unknown) => x),
          { timeout: 500 },
        ),
        await inbox.receive(
          on(ANY, (x: unknown) => x),
          { timeout: 500 },
        ),
      ];
      expect(got).toEqual(["test1", "test2", "test3"]);
    });
  });

  it("test_mailbox_handler_return_types_sync_and_async", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      send(inbox.pid, "sync");
      expect(
        await inbox.receive(
          on("sync", () => "sync_result"),
          { timeout: 500 },
        ),
      ).toBe("sync_result");
      send(inbox.pid, "async");
      expect(
        await inbox.receive(
          on("async", async () => {
            await sleep(1);
            return "async_result";
          }),
          { timeout: 500 },
        ),
      ).toBe("async_result");
    });
  });

  it("test_mailbox_handler_with_multiple_args", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      send(inbox.pid, "msg1");
      expect(
        await inbox.receive(
          on("msg1", () => "zero_args"),
          { timeout: 500 },
        ),
      ).toBe("zero_args");
      send(inbox.pid, ["tag", "value"]);
      expect(
        await inbox.receive(
          on(["tag", String], (x: string) => `one_arg:${x}`),
          { timeout: 500 },
        ),
      ).toBe("one_arg:value");
      send(inbox.pid, ["tag", "val1", "val2"]);
      expect(
        await inbox.receive(
          on(["tag", String, String], (x: string, y: string) => `two_args:${x},${y}`),
          { timeout: 500 },
        ),
      ).toBe("two_args:val1,val2");
    });
  });
});

describe("more edge cases", () => {
  it("undefined and null are ordinary messages", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      send(inbox.pid, undefined);
      send(inbox.pid, null);
      expect(
        await inbox.receive(
          on(ANY, (m: unknown) => ["got", m]),
          { timeout: 500 },
        ),
      ).toEqual(["got", undefined]);
      expect(
        await inbox.receive(
          on(null, () => "null literal"),
          { timeout: 500 },
        ),
      ).toBe("null literal");
    });
  });

  it("a timeout of 0 takes a message already there, and times out at once otherwise", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      send(inbox.pid, "ready");
      expect(
        await inbox.receive(
          on("ready", () => "took it"),
          { timeout: 0 },
        ),
      ).toBe("took it");
      await expect(
        inbox.receive(
          on("ready", () => "again"),
          { timeout: 0 },
        ),
      ).rejects.toThrow("No matching message within 0ms");
    });
  });

  it("selective receive digs the last message out of a long mailbox and keeps the rest in order", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      const n = 20_000;
      for (let i = 0; i < n; i++) send(inbox.pid, ["n", i]);
      send(inbox.pid, "needle");
      expect(
        await inbox.receive(
          on("needle", () => "found"),
          { timeout: 1000 },
        ),
      ).toBe("found");
      let expected = 0;
      let inOrder = true;
      for (let i = 0; i < n; i++) {
        const got = await inbox.receive(
          on(["n", Number], (k: number) => k),
          { timeout: 1000 },
        );
        if (got !== expected++) inOrder = false;
      }
      expect(inOrder).toBe(true);
      await expect(
        inbox.receive(
          on(ANY, (m: unknown) => m),
          { timeout: 0 },
        ),
      ).rejects.toBeInstanceOf(ReceiveTimeout);
    });
  });

  it("an actor can send to itself", async () => {
    class SelfSender extends Actor<number> {
      readonly log: Pid;
      constructor(log: Pid) {
        super();
        this.log = log;
      }
      override init(): number {
        send(this.pid, ["tick", 1]);
        return 0;
      }
      override async run(total: number): Promise<number> {
        return this.receive(
          on(["tick", Number], (n: number) => {
            if (n < 5) send(this.pid, ["tick", n + 1]);
            else send(this.log, ["total", total + n]);
            return total + n;
          }),
        );
      }
    }
    await withScope(async (scope) => {
      const log = scope.inbox();
      await SelfSender.start(scope, log.pid);
      expect(
        await log.receive(
          on(["total", Number], (t: number) => t),
          { timeout: 1000 },
        ),
      ).toBe(15);
    });
  });

  it("a GenServer answers a call whose request and reply are undefined", async () => {
    class Nothing extends GenServer<undefined> {
      override init(): undefined {
        return undefined;
      }
      override handleCall(request: unknown, _from: From, state: undefined): [unknown, undefined] {
        return [request === undefined ? undefined : "defined", state];
      }
    }
    await withScope(async (scope) => {
      const pid = await Nothing.start(scope);
      expect(await call(pid, undefined, 1000)).toBeUndefined();
      expect(await call(pid, 0, 1000)).toBe("defined");
    });
  });

  it("a call to a process that never replies times out rather than hanging", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      await expect(call(inbox.pid, "hello?", 10)).rejects.toThrow("No reply within 10ms");
    });
  });

  it("stop with a Crash reason is an abnormal exit carrying that crash", async () => {
    const problem = { code: 7 };
    class Giver extends Actor<null> {
      override init(): null {
        return null;
      }
      override async run(): Promise<null> {
        return this.receive(on("go", () => this.stop(new Crash(problem))));
      }
    }
    await withScope(async (scope) => {
      const exits = scope.inbox();
      const handle = await Giver.startLink(scope, {
        onExit: (pid, reason) => send(exits.pid, ["exit", pid, reason]),
      });
      send(handle.pid, "go");
      const reason = await exitOf(exits, handle.pid);
      expect(reason).toBeInstanceOf(Crash);
      expect((reason as Crash).error).toBe(problem);
    });
  });
});

describe("misuse throws at once with an error naming the function", () => {
  it("send, cast and call need a Pid", async () => {
    await withScope(async () => {
      expect(() => send("not a pid" as unknown as Pid, 1)).toThrow(/send/);
      expect(() => cast({} as unknown as Pid, 1)).toThrow(/cast/);
      await expect(async () => call(undefined as unknown as Pid, 1)).rejects.toThrow(/call/);
    });
  });

  it("on needs a handler function", async () => {
    await withScope(async () => {
      expect(() => on("x", "not a function" as unknown as () => void)).toThrow(/\bon\b/);
    });
  });

  it("receive arguments must be clauses made by on", async () => {
    await withScope(async (scope) => {
      const inbox: any = scope.inbox();
      await expect(async () => inbox.receive(["x", () => 1])).rejects.toThrow(/receive/);
      await expect(async () =>
        inbox.receive(
          "x",
          on(ANY, () => 1),
        ),
      ).rejects.toThrow(/receive/);
    });
  });

  it("start needs a scope", async () => {
    await withScope(async () => {
      const start: any = SomeActor.start;
      await expect(async () => start.call(SomeActor, undefined)).rejects.toThrow(/start/);
      await expect(async () => start.call(SomeActor, {})).rejects.toThrow(/start/);
    });
  });

  it("Task.spawn needs a scope and a function", async () => {
    await withScope(async (scope) => {
      await expect(async () => Task.spawn(scope, "nope" as unknown as () => number)).rejects.toThrow(
        /Task\.spawn/,
      );
      await expect(async () => Task.spawn({} as typeof scope, () => 1)).rejects.toThrow(/Task\.spawn/);
    });
  });

  it("withScope needs a body function", async () => {
    await expect(async () => withScope("nope" as unknown as () => number)).rejects.toThrow(/withScope/);
  });
});
