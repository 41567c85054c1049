import { describe, it, expect } from "vitest";
import {
  Actor,
  Collector,
  ReceiveTimeout,
  Task,
  TimeoutError,
  assertReceives,
  cast,
  on,
  send,
  sleep,
  waitFor,
  withScope,
  withTimeout,
} from "fauxtp";

/** An actor whose loop never touches its mailbox, so a test can receive from it. */
class Idle extends Actor<null> {
  static readonly created: Idle[] = [];
  constructor() {
    super();
    Idle.created.push(this);
  }
  override init(): null {
    return null;
  }
  override async run(): Promise<null> {
    return new Promise<null>(() => {});
  }
}

/** Sets a flag (through a callback) when it receives "set". */
class FlagSetter extends Actor<null> {
  readonly set: () => void;
  constructor(set: () => void) {
    super();
    this.set = set;
  }
  override init(): null {
    return null;
  }
  override async run(state: null): Promise<null> {
    return this.receive(
      on("set", () => {
        this.set();
        return state;
      }),
    );
  }
}

describe("withTimeout", () => {
  it("settles with the work's value (test_with_timeout_success)", async () => {
    await withScope(async () => {
      const quick = async (): Promise<string> => {
        await sleep(1);
        return "done";
      };
      expect(await withTimeout(quick(), 1000)).toBe("done");
      expect(await withTimeout(quick)).toBe("done");
      expect(await withTimeout(() => "sync value", 1000)).toBe("sync value");
    });
  });

  it("rejects with TimeoutError when the work takes too long (test_with_timeout_fails_with_timeout_error)", async () => {
    await withScope(async () => {
      const never = new Promise<string>(() => {});
      const error = await withTimeout(never, 20).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe("TimeoutError");
      expect((error as Error).message).toBe("Timed out after 20ms");
    });
  });

  it("passes the work's own rejection through", async () => {
    await withScope(async () => {
      const boom = new Error("work failed");
      await expect(withTimeout(Promise.reject(boom), 1000)).rejects.toBe(boom);
      await expect(
        withTimeout(() => {
          throw boom;
        }, 1000),
      ).rejects.toBe(boom);
    });
  });
});

describe("waitFor", () => {
  it("resolves once the condition holds (test_wait_for_success)", async () => {
    await withScope(async (scope) => {
      let flag = false;
      const pid = await FlagSetter.start(scope, () => {
        flag = true;
      });
      send(pid, "set");
      await waitFor(() => flag, { timeout: 1000, interval: 1 });
      expect(flag).toBe(true);
    });
  });

  it("resolves at once when the condition already holds", async () => {
    await withScope(async () => {
      let calls = 0;
      await waitFor(() => {
        calls++;
        return "truthy";
      });
      expect(calls).toBe(1);
    });
  });

  it("checks again and again until the condition holds", async () => {
    await withScope(async () => {
      let calls = 0;
      await waitFor(() => ++calls >= 3, { timeout: 1000, interval: 1 });
      expect(calls).toBe(3);
    });
  });

  it("rejects with TimeoutError when the condition never holds (test_wait_for_timeout)", async () => {
    await withScope(async () => {
      const error = await waitFor(() => false, { timeout: 20, interval: 5 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toBe("Condition not met within 20ms");
    });
  });
});

describe("assertReceives", () => {
  it("receives from an inbox", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      await Task.spawn(scope, async () => {
        await sleep(2);
        send(inbox.pid, ["ping", 123]);
      });
      const n = await assertReceives(
        inbox,
        on(["ping", Number], (x: number) => x),
      );
      expect(n).toBe(123);
    });
  });

  it("reads from a running actor's mailbox (test_assert_receives_reads_from_running_actor_mailbox)", async () => {
    await withScope(async (scope) => {
      Idle.created.length = 0;
      const pid = await Idle.start(scope);
      const actor = Idle.created[0] as Idle;
      expect(actor.pid).toBe(pid);
      await Task.spawn(scope, async () => {
        await sleep(2);
        send(pid, ["ping", 123]);
      });
      const res = await assertReceives(
        actor,
        on(["ping", Number], (n: number) => n),
        { timeout: 1000 },
      );
      expect(res).toBe(123);
    });
  });

  it("rejects with ReceiveTimeout when nothing matches (test_assert_receives_times_out_when_no_message_matches)", async () => {
    await withScope(async (scope) => {
      Idle.created.length = 0;
      await Idle.start(scope);
      const actor = Idle.created[0] as Idle;
      const error = await assertReceives(
        actor,
        on(["never"], () => null),
        { timeout: 20 },
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ReceiveTimeout);
      expect((error as Error).message).toBe("No matching message within 20ms");
    });
  });

  it("is selective: other messages stay for later", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      send(inbox.pid, "first");
      send(inbox.pid, ["wanted", 1]);
      expect(
        await assertReceives(
          inbox,
          on(["wanted", Number], (n: number) => n),
        ),
      ).toBe(1);
      expect(
        await assertReceives(
          inbox,
          on(String, (s: string) => s),
          { timeout: 100 },
        ),
      ).toBe("first");
    });
  });
});

describe("Collector", () => {
  it("keeps every info message in order and returns a copy (test_test_actor_collects_messages_deterministically)", async () => {
    await withScope(async (scope) => {
      const pid = await Collector.start(scope);
      send(pid, "message1");
      send(pid, "message2");
      send(pid, ["message", 3]);
      const messages = await Collector.messages(pid);
      expect(messages).toEqual(["message1", "message2", ["message", 3]]);

      messages.push("tampered");
      messages.length = 0;
      expect(await Collector.messages(pid)).toEqual(["message1", "message2", ["message", 3]]);
    });
  });

  it("starts empty and does not keep casts", async () => {
    await withScope(async (scope) => {
      const pid = await Collector.start(scope);
      expect(await Collector.messages(pid)).toEqual([]);
      cast(pid, "a cast");
      send(pid, "an info");
      expect(await Collector.messages(pid)).toEqual(["an info"]);
    });
  });

  it("collects what other processes send it", async () => {
    await withScope(async (scope) => {
      const pid = await Collector.start(scope);
      const tasks = await Promise.all(
        [1, 2, 3].map((n) =>
          Task.spawn(scope, () => {
            send(pid, ["from_task", n]);
            return n;
          }),
        ),
      );
      for (const t of tasks) await t.join();
      let collected = await Collector.messages(pid);
      for (let i = 0; i < 100 && collected.length < 3; i++) {
        await sleep(1);
        collected = await Collector.messages(pid);
      }
      expect([...collected].sort()).toEqual([
        ["from_task", 1],
        ["from_task", 2],
        ["from_task", 3],
      ]);
    });
  });
});
