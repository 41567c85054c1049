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
  call,
  cast,
  now,
  on,
  send,
  sleep,
  withScope,
  withTimeout,
  type ExitReason,
  type From,
  type Inbox,
} from "fauxtp";
import { exitOf, is, rejectionOf } from "./support.js";

const reportExit =
  (inbox: Inbox) =>
  (pid: Pid, reason: ExitReason): void => {
    send(inbox.pid, ["exit", pid, reason]);
  };

type CountingState = { count: number; data: Record<string, unknown>; lastInfo: unknown };
type CountingCall = "get" | ["add", number] | ["get_data", string] | "get_last_info";
type CountingCast = "reset" | ["set", number] | ["put_data", string, unknown];

class Counting extends GenServer<CountingState, CountingCall, CountingCast> {
  override init(): CountingState {
    return { count: 0, data: {}, lastInfo: undefined };
  }
  override handleCall(request: CountingCall, _from: From, state: CountingState): [unknown, CountingState] {
    if (request === "get") return [state.count, state];
    if (request === "get_last_info") return [state.lastInfo, state];
    if (request[0] === "add") {
      const count = state.count + request[1];
      return [count, { ...state, count }];
    }
    return [state.data[request[1]], state];
  }
  override handleCast(request: CountingCast, state: CountingState): CountingState {
    if (request === "reset") return { ...state, count: 0 };
    if (request[0] === "set") return { ...state, count: request[1] };
    return { ...state, data: { ...state.data, [request[1]]: request[2] } };
  }
  override handleInfo(message: unknown, state: CountingState): CountingState {
    return { ...state, lastInfo: message };
  }
}

describe("GenServer call, cast and info", () => {
  it("call updates state and replies (test_genserver_call_updates_state_and_replies)", async () => {
    await withScope(async (scope) => {
      const pid = await Counting.start(scope);
      expect(await call(pid, "get", 1000)).toBe(0);
      expect(await call(pid, ["add", 5], 1000)).toBe(5);
      expect(await call(pid, ["add", 3], 1000)).toBe(8);
      expect(await call(pid, "get")).toBe(8);
    });
  });

  it("a cast then a call from the same sender are handled in that order", async () => {
    await withScope(async (scope) => {
      const pid = await Counting.start(scope);
      cast(pid, ["set", 100]);
      expect(await call(pid, "get", 1000)).toBe(100);
      cast(pid, "reset");
      expect(await call(pid, "get", 1000)).toBe(0);
      cast(pid, ["put_data", "k", { v: 1 }]);
      expect(await call(pid, ["get_data", "k"], 1000)).toEqual({ v: 1 });
      for (let i = 1; i <= 50; i++) cast(pid, ["set", i]);
      expect(await call(pid, "get", 1000)).toBe(50);
    });
  });

  it("every other message goes to handleInfo, in order with calls", async () => {
    await withScope(async (scope) => {
      const pid = await Counting.start(scope);
      const msg = ["custom", "info", "message"];
      send(pid, msg);
      expect(await call(pid, "get_last_info", 1000)).toEqual(msg);
      send(pid, "plain string");
      expect(await call(pid, "get_last_info", 1000)).toBe("plain string");
      send(pid, { an: "object" });
      expect(await call(pid, "get_last_info", 1000)).toEqual({ an: "object" });
    });
  });

  it("many concurrent calls all get their own reply and the state stays consistent", async () => {
    await withScope(async (scope) => {
      const pid = await Counting.start(scope);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => call<number>(pid, ["add", 1], 2000)),
      );
      expect([...results].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(await call(pid, "get", 1000)).toBe(10);
    });
  });

  it("every handler may be async", async () => {
    class AsyncServer extends GenServer<string[], "get", string> {
      override async init(): Promise<string[]> {
        await sleep(1);
        return ["init"];
      }
      override async handleCall(
        _request: "get",
        _from: From,
        state: string[],
      ): Promise<[string[], string[]]> {
        await sleep(1);
        return [state, [...state, "call"]];
      }
      override async handleCast(request: string, state: string[]): Promise<string[]> {
        await sleep(1);
        return [...state, `cast:${request}`];
      }
      override async handleInfo(message: unknown, state: string[]): Promise<string[]> {
        await sleep(1);
        return [...state, `info:${String(message)}`];
      }
    }
    await withScope(async (scope) => {
      const pid = await AsyncServer.start(scope);
      cast(pid, "a");
      send(pid, "b");
      cast(pid, "c");
      expect(await call(pid, "get", 1000)).toEqual(["init", "cast:a", "info:b", "cast:c"]);
      expect(await call(pid, "get", 1000)).toEqual(["init", "cast:a", "info:b", "cast:c", "call"]);
    });
  });

  it("handlers may mix sync and async", async () => {
    class Mixed extends GenServer<number, "get", number> {
      override init(): number {
        return 1;
      }
      override handleCall(_request: "get", _from: From, state: number): [number, number] {
        return [state, state];
      }
      override async handleCast(n: number, state: number): Promise<number> {
        await sleep(1);
        return state * n;
      }
    }
    await withScope(async (scope) => {
      const pid = await Mixed.start(scope);
      cast(pid, 2);
      cast(pid, 3);
      expect(await call(pid, "get", 1000)).toBe(6);
    });
  });

  it("the default handleCast and handleInfo keep the state", async () => {
    class Minimal extends GenServer<{ value: number }, "get"> {
      override init(): { value: number } {
        return { value: 1 };
      }
      override handleCall(
        _request: "get",
        _from: From,
        state: { value: number },
      ): [number, { value: number }] {
        return [state.value, state];
      }
    }
    await withScope(async (scope) => {
      const pid = await Minimal.start(scope);
      cast(pid, "some_cast");
      expect(await call(pid, "get", 1000)).toBe(1);
      send(pid, ["info", "message"]);
      expect(await call(pid, "get", 1000)).toBe(1);
    });
  });

  it("the default handleCall crashes the server and the caller gets CallExit", async () => {
    class Incomplete extends GenServer<Record<string, never>> {
      override init(): Record<string, never> {
        return {};
      }
    }
    await withScope(async (scope) => {
      const exits = scope.inbox();
      const handle = await Incomplete.startLink(scope, { onExit: reportExit(exits) });
      const error = await rejectionOf(call(handle.pid, "ping", 1000));
      expect(error).toBeInstanceOf(CallExit);
      const callReason = (error as CallExit).reason;
      expect(callReason).toBeInstanceOf(Crash);
      expect(String(((callReason as Crash).error as Error).message)).toContain("handleCall not implemented");

      const reason = await exitOf(exits, handle.pid);
      expect(reason).toBeInstanceOf(Crash);
      expect((reason as Crash).error).toBeInstanceOf(Error);
      expect(((reason as Crash).error as Error).message).toContain("handleCall not implemented");
    });
  });

  it("a handler can call another server", async () => {
    class Front extends GenServer<Pid, "relay"> {
      readonly back: Pid;
      constructor(back: Pid) {
        super();
        this.back = back;
      }
      override init(): Pid {
        return this.back;
      }
      override async handleCall(_request: "relay", _from: From, back: Pid): Promise<[unknown, Pid]> {
        const n = await call<number>(back, ["add", 2], 1000);
        return [n * 10, back];
      }
    }
    await withScope(async (scope) => {
      const back = await Counting.start(scope);
      const front = await Front.start(scope, back);
      expect(await call(front, "relay", 1000)).toBe(20);
      expect(await call(front, "relay", 1000)).toBe(40);
    });
  });

  it("stop inside handleCast ends the server with that reason", async () => {
    class Stoppable extends GenServer<null, never, "halt"> {
      override init(): null {
        return null;
      }
      override handleCast(): null {
        this.stop("halted");
      }
    }
    await withScope(async (scope) => {
      const exits = scope.inbox();
      const handle = await Stoppable.startLink(scope, { onExit: reportExit(exits) });
      cast(handle.pid, "halt");
      expect(await exitOf(exits, handle.pid)).toBe("halted");
    });
  });
});

describe("call timeouts and exits", () => {
  class Slow extends GenServer<null, ["slow", number] | "fast"> {
    readonly log: Pid | undefined;
    constructor(log?: Pid) {
      super();
      this.log = log;
    }
    override init(): null {
      return null;
    }
    override async handleCall(
      request: ["slow", number] | "fast",
      _from: From,
      state: null,
    ): Promise<[unknown, null]> {
      if (request === "fast") return ["fast", state];
      await sleep(request[1]);
      if (this.log !== undefined) send(this.log, ["server_replying", now()]);
      return ["done", state];
    }
  }

  it("a call with no reply in time rejects with CallTimeout, a ReceiveTimeout", async () => {
    await withScope(async (scope) => {
      const pid = await Slow.start(scope);
      const error = await rejectionOf(call(pid, ["slow", 40], 10));
      expect(error).toBeInstanceOf(CallTimeout);
      expect(error).toBeInstanceOf(ReceiveTimeout);
      expect((error as Error).message).toBe("No reply within 10ms");
      // The server is still alive and serving.
      expect(await call(pid, "fast", 1000)).toBe("fast");
    });
  });

  it("Infinity waits as long as it takes", async () => {
    await withScope(async (scope) => {
      const pid = await Slow.start(scope);
      expect(await call(pid, ["slow", 20], Infinity)).toBe("done");
      expect(await call(pid, "fast", Infinity)).toBe("fast");
    });
  });

  it("a late reply after a timeout never reaches a later receive of the calling actor", async () => {
    class Client extends Actor<null> {
      readonly server: Pid;
      readonly log: Pid;
      constructor(server: Pid, log: Pid) {
        super();
        this.server = server;
        this.log = log;
      }
      override init(): null {
        return null;
      }
      override async run(state: null): Promise<null> {
        return this.receive(
          on("go", async () => {
            const outcome = await call(this.server, ["slow", 20], 5).then(
              () => "replied",
              (e: unknown) => (e instanceof CallTimeout ? "call_timeout" : "other_error"),
            );
            send(this.log, ["call_outcome", outcome]);
            const next = await this.receive(
              on(ANY, (m: unknown) => ["got", m]),
              { timeout: 50 },
            ).then(
              (v) => v,
              (e: unknown) => [e instanceof ReceiveTimeout ? "receive_timeout" : "other_error"],
            );
            send(this.log, ["after_timeout", next, now()]);
            return state;
          }),
        );
      }
    }
    await withScope(async (scope) => {
      const log = scope.inbox();
      const server = await Slow.start(scope, log.pid);
      const client = await Client.start(scope, server, log.pid);
      send(client, "go");
      expect(
        await log.receive(
          on(["call_outcome", ANY], (o: unknown) => o),
          { timeout: 1000 },
        ),
      ).toBe("call_timeout");
      const repliedAt = await log.receive(
        on(["server_replying", Number], (t: number) => t),
        { timeout: 1000 },
      );
      const [next, windowEnd] = await log.receive(
        on(["after_timeout", ANY, Number], (n: unknown, t: number) => [n, t] as const),
        { timeout: 1000 },
      );
      expect(next).toEqual(["receive_timeout"]);
      // The reply was sent while the client was still receiving, and was discarded.
      expect(repliedAt).toBeLessThanOrEqual(windowEnd);
    });
  });

  it("a late reply after a timeout never shows up in an inbox", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      const probe = scope.inbox();
      const pid = await Slow.start(scope, log.pid);
      await expect(call(pid, ["slow", 15], 5)).rejects.toBeInstanceOf(CallTimeout);
      await log.receive(
        on(["server_replying", Number], () => null),
        { timeout: 1000 },
      );
      await expect(
        probe.receive(
          on(ANY, (m: unknown) => m),
          { timeout: 20 },
        ),
      ).rejects.toBeInstanceOf(ReceiveTimeout);
      await expect(
        log.receive(
          on(ANY, (m: unknown) => m),
          { timeout: 20 },
        ),
      ).rejects.toBeInstanceOf(ReceiveTimeout);
    });
  });

  it("a call to a dead pid rejects with CallExit reason noproc", async () => {
    await withScope(async (scope) => {
      const exits = scope.inbox();
      const handle = await Counting.startLink(scope, { onExit: reportExit(exits) });
      await handle.cancel();
      await exitOf(exits, handle.pid);
      const error = await rejectionOf(call(handle.pid, "get", 1000));
      expect(error).toBeInstanceOf(CallExit);
      expect((error as CallExit).reason).toBe("noproc");
      const again = await rejectionOf(call(handle.pid, "get", Infinity));
      expect(again).toBeInstanceOf(CallExit);
      expect((again as CallExit).reason).toBe("noproc");
    });
  });

  it("a call to a closed inbox pid or a non-server process that exited rejects with noproc", async () => {
    let stalePid: Pid | undefined;
    await withScope(async (scope) => {
      stalePid = scope.inbox().pid;
    });
    await withScope(async () => {
      const error = await rejectionOf(call(stalePid as Pid, "get", 1000));
      expect(error).toBeInstanceOf(CallExit);
      expect((error as CallExit).reason).toBe("noproc");
    });
  });

  it("a server that crashes before replying rejects the call with CallExit carrying the crash", async () => {
    const boom = new Error("handler exploded");
    class Exploding extends GenServer<null, "explode"> {
      override init(): null {
        return null;
      }
      override handleCall(): [unknown, null] {
        throw boom;
      }
    }
    await withScope(async (scope) => {
      const pid = await Exploding.start(scope);
      const error = await rejectionOf(call(pid, "explode", Infinity));
      expect(error).toBeInstanceOf(CallExit);
      expect(error).not.toBeInstanceOf(ReceiveTimeout);
      const reason = (error as CallExit).reason;
      expect(reason).toBeInstanceOf(Crash);
      expect((reason as Crash).error).toBe(boom);
    });
  });

  it("a server that stops before replying rejects the call with CallExit carrying the reason", async () => {
    class Quitter extends GenServer<null, "quit"> {
      override init(): null {
        return null;
      }
      override handleCall(): [unknown, null] {
        this.stop("bye");
      }
    }
    await withScope(async (scope) => {
      const pid = await Quitter.start(scope);
      const error = await rejectionOf(call(pid, "quit", 1000));
      expect(error).toBeInstanceOf(CallExit);
      expect((error as CallExit).reason).toBe("bye");
    });
  });

  it("a pending call is rejected as soon as the server exits, without waiting for its timeout", async () => {
    await withScope(async (scope) => {
      const handle = await Slow.startLink(scope, {});
      const pending = rejectionOf(call(handle.pid, ["slow", 200], Infinity));
      await sleep(1);
      await handle.cancel();
      const error = await withTimeout(pending, 150);
      expect(error).toBeInstanceOf(CallExit);
      expect((error as CallExit).reason).toBe("cancelled");
    });
  });

  it("a negative, NaN or non-numeric timeout throws and is not a timeout", async () => {
    await withScope(async (scope) => {
      const pid = await Counting.start(scope);
      for (const timeout of [-1, Number.NaN, "100" as unknown as number]) {
        const error = await rejectionOf((async () => call(pid, "get", timeout))());
        expect(error).toBeInstanceOf(Error);
        expect(error).not.toBeInstanceOf(ReceiveTimeout);
        expect(error).not.toBeInstanceOf(CallExit);
      }
      expect(await call(pid, "get", 1000)).toBe(0);
    });
  });
});

describe("GenServer tasks", () => {
  type TaskReq =
    | ["ok", number]
    | ["fail", unknown]
    | ["sync", number, number]
    | ["gate"]
    | ["gate_fail", unknown]
    | "release"
    | ["max", number | null];

  class Worker extends GenServer<null, TaskReq> {
    readonly log: Pid;
    readonly gates: Array<() => void> = [];
    constructor(log: Pid) {
      super();
      this.log = log;
    }
    override init(): null {
      return null;
    }
    override handleCall(request: TaskReq, _from: From, state: null): [unknown, null] {
      if (request === "release") {
        for (const open of this.gates.splice(0)) open();
        return [true, state];
      }
      switch (request[0]) {
        case "ok": {
          const n = request[1];
          return [
            this.spawnTask(async (x: number) => {
              await sleep(1);
              return x * 2;
            }, n),
            state,
          ];
        }
        case "fail": {
          const value = request[1];
          return [
            this.spawnTask(async () => {
              await sleep(1);
              throw value;
            }),
            state,
          ];
        }
        case "sync":
          return [this.spawnTask((a: number, b: number) => a + b, request[1], request[2]), state];
        case "gate": {
          let open!: () => void;
          const gate = new Promise<string>((resolve) => {
            open = () => resolve("opened");
          });
          this.gates.push(open);
          return [this.spawnTask(() => gate), state];
        }
        case "gate_fail": {
          const value = request[1];
          let open!: () => void;
          const gate = new Promise<string>((_resolve, reject) => {
            open = () => reject(value);
          });
          this.gates.push(open);
          return [this.spawnTask(() => gate), state];
        }
        case "max":
          this.setMaxTasks(request[1]);
          return [true, state];
      }
    }
    override handleTaskEnd(taskPid: Pid, status: "success" | "failure", result: unknown, state: null): null {
      send(this.log, ["task_end", taskPid, status, result]);
      return state;
    }
  }

  async function taskEnd(log: Inbox, taskPid: Pid): Promise<[string, unknown]> {
    return log.receive(
      on(
        ["task_end", is(taskPid), String, ANY],
        (_p: Pid, status: string, result: unknown) => [status, result] as [string, unknown],
      ),
      { timeout: 1000 },
    );
  }

  it("spawnTask runs the function with its arguments and reports success through handleTaskEnd", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      const server = await Worker.start(scope, log.pid);
      const taskPid = await call<Pid | null>(server, ["ok", 21], 1000);
      expect(taskPid).toBeInstanceOf(Pid);
      expect(taskPid).not.toBe(server);
      expect(await taskEnd(log, taskPid as Pid)).toEqual(["success", 42]);
    });
  });

  it("spawnTask accepts a sync function", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      const server = await Worker.start(scope, log.pid);
      const taskPid = await call<Pid | null>(server, ["sync", 2, 3], 1000);
      expect(taskPid).toBeInstanceOf(Pid);
      expect(await taskEnd(log, taskPid as Pid)).toEqual(["success", 5]);
    });
  });

  it("a task that throws is reported as a failure whose result is the Crash, and the server survives", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      const server = await Worker.start(scope, log.pid);
      const boom = new Error("task boom");
      const taskPid = await call<Pid | null>(server, ["fail", boom], 1000);
      expect(taskPid).toBeInstanceOf(Pid);
      const [status, result] = await taskEnd(log, taskPid as Pid);
      expect(status).toBe("failure");
      expect(result).toBeInstanceOf(Crash);
      expect((result as Crash).error).toBe(boom);
      // The server is unaffected by its task's failure.
      const next = await call<Pid | null>(server, ["ok", 1], 1000);
      expect(await taskEnd(log, next as Pid)).toEqual(["success", 2]);
    });
  });

  it("several tasks run concurrently and each end is reported once", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      const server = await Worker.start(scope, log.pid);
      const pids = await Promise.all([1, 2, 3, 4].map((n) => call<Pid | null>(server, ["ok", n], 1000)));
      expect(new Set(pids).size).toBe(4);
      const results = [];
      for (const p of pids) results.push(await taskEnd(log, p as Pid));
      expect(results).toEqual([
        ["success", 2],
        ["success", 4],
        ["success", 6],
        ["success", 8],
      ]);
    });
  });

  it("setMaxTasks caps the running tasks: at the cap spawnTask returns null", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      const server = await Worker.start(scope, log.pid);
      await call(server, ["max", 2], 1000);
      const first = await call<Pid | null>(server, ["gate"], 1000);
      const second = await call<Pid | null>(server, ["gate"], 1000);
      const third = await call<Pid | null>(server, ["gate"], 1000);
      expect(first).toBeInstanceOf(Pid);
      expect(second).toBeInstanceOf(Pid);
      expect(third).toBeNull();

      await call(server, "release", 1000);
      expect(await taskEnd(log, first as Pid)).toEqual(["success", "opened"]);
      expect(await taskEnd(log, second as Pid)).toEqual(["success", "opened"]);

      // Below the cap again.
      const fourth = await call<Pid | null>(server, ["gate"], 1000);
      expect(fourth).toBeInstanceOf(Pid);

      // null lifts the cap.
      await call(server, ["max", null], 1000);
      const more = await Promise.all([1, 2, 3].map(() => call<Pid | null>(server, ["gate"], 1000)));
      for (const p of more) expect(p).toBeInstanceOf(Pid);
      await call(server, "release", 1000);
      for (const p of [fourth, ...more]) expect(await taskEnd(log, p as Pid)).toEqual(["success", "opened"]);
    });
  });

  it("a failed task frees its slot under the cap", async () => {
    await withScope(async (scope) => {
      const log = scope.inbox();
      const server = await Worker.start(scope, log.pid);
      await call(server, ["max", 1], 1000);
      const failing = await call<Pid | null>(server, ["gate_fail", "nope"], 1000);
      expect(failing).toBeInstanceOf(Pid);
      expect(await call(server, ["gate"], 1000)).toBeNull();
      await call(server, "release", 1000);
      const [status, result] = await taskEnd(log, failing as Pid);
      expect(status).toBe("failure");
      expect(result).toBeInstanceOf(Crash);
      expect((result as Crash).error).toBe("nope");
      const next = await call<Pid | null>(server, ["gate"], 1000);
      expect(next).toBeInstanceOf(Pid);
      await call(server, "release", 1000);
      expect(await taskEnd(log, next as Pid)).toEqual(["success", "opened"]);
    });
  });
});
