import { describe, it, expect } from "vitest";
import { ANY, IGNORE, ReceiveTimeout, on, send, sleep, withScope } from "fauxtp";

describe("selective receive on an inbox", () => {
  it("receives a message sent to the inbox pid (test_mailbox_put_and_receive)", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      send(inbox.pid, "test_message");
      const result = await inbox.receive(
        on(ANY, (msg: unknown) => msg),
        { timeout: 1000 },
      );
      expect(result).toBe("test_message");
    });
  });

  it("delivers messages from one sender in the order sent", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      send(inbox.pid, "test1");
      send(inbox.pid, "test2");
      send(inbox.pid, "test3");
      const got: unknown[] = [];
      for (let i = 0; i < 3; i++) {
        got.push(
          await inbox.receive(
            on(ANY, (x: unknown) => x),
            { timeout: 1000 },
          ),
        );
      }
      expect(got).toEqual(["test1", "test2", "test3"]);
    });
  });

  it("takes the oldest matching message and leaves the others in their order", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      send(inbox.pid, ["type_b", 1]);
      send(inbox.pid, ["type_a", 2]);
      send(inbox.pid, ["type_b", 3]);
      send(inbox.pid, ["type_a", 4]);

      expect(
        await inbox.receive(
          on(["type_a", Number], (n: number) => n),
          { timeout: 1000 },
        ),
      ).toBe(2);
      expect(
        await inbox.receive(
          on(["type_a", Number], (n: number) => n),
          { timeout: 1000 },
        ),
      ).toBe(4);

      const rest: unknown[] = [];
      rest.push(
        await inbox.receive(
          on(ANY, (m: unknown) => m),
          { timeout: 1000 },
        ),
      );
      rest.push(
        await inbox.receive(
          on(ANY, (m: unknown) => m),
          { timeout: 1000 },
        ),
      );
      expect(rest).toEqual([
        ["type_b", 1],
        ["type_b", 3],
      ]);
    });
  });

  it("matches by structure and passes extracted values (test_mailbox_pattern_matching)", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      send(inbox.pid, ["add", 5]);
      send(inbox.pid, ["multiply", 3]);
      const first = await inbox.receive(
        on(["add", ANY], (n: unknown) => ["add", n]),
        { timeout: 1000 },
      );
      expect(first).toEqual(["add", 5]);
      const second = await inbox.receive(
        on(["multiply", ANY], (n: unknown) => ["multiply", n]),
        { timeout: 1000 },
      );
      expect(second).toEqual(["multiply", 3]);
    });
  });

  it("scans messages oldest first: the oldest message matching any clause wins, whatever the clause order", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      send(inbox.pid, "x");
      send(inbox.pid, "y");
      const result = await inbox.receive(
        on("y", () => "Y"),
        on("x", () => "X"),
        { timeout: 1000 },
      );
      expect(result).toBe("X");
      expect(
        await inbox.receive(
          on(ANY, (m: unknown) => m),
          { timeout: 1000 },
        ),
      ).toBe("y");
    });
  });

  it("for one message, tries the clauses in order and runs the first that matches", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      send(inbox.pid, "x");
      send(inbox.pid, "x");
      const first = await inbox.receive(
        on(String, () => "by type"),
        on("x", () => "by literal"),
        { timeout: 1000 },
      );
      expect(first).toBe("by type");
      const second = await inbox.receive(
        on("x", () => "by literal"),
        on(String, () => "by type"),
        { timeout: 1000 },
      );
      expect(second).toBe("by literal");
    });
  });

  it("waits for a message sent after receive started", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      const pending = inbox.receive(
        on(["late", Number], (n: number) => n * 2),
        { timeout: 1000 },
      );
      send(inbox.pid, ["noise", 1]);
      send(inbox.pid, ["late", 21]);
      expect(await pending).toBe(42);
      expect(
        await inbox.receive(
          on(ANY, (m: unknown) => m),
          { timeout: 1000 },
        ),
      ).toEqual(["noise", 1]);
    });
  });

  it("runs sync and async handlers and returns their result", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      send(inbox.pid, "sync");
      expect(
        await inbox.receive(
          on("sync", () => "sync_result"),
          { timeout: 1000 },
        ),
      ).toBe("sync_result");

      send(inbox.pid, "async");
      const result = await inbox.receive(
        on("async", async () => {
          await sleep(1);
          return "async_result";
        }),
        { timeout: 1000 },
      );
      expect(result).toBe("async_result");
    });
  });

  it("passes zero, one or many extracted values as positional arguments", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      send(inbox.pid, "msg1");
      expect(
        await inbox.receive(
          on("msg1", (...args: unknown[]) => args.length),
          { timeout: 1000 },
        ),
      ).toBe(0);

      send(inbox.pid, ["tag", "value"]);
      expect(
        await inbox.receive(
          on(["tag", String], (x: string) => `one_arg:${x}`),
          { timeout: 1000 },
        ),
      ).toBe("one_arg:value");

      send(inbox.pid, ["tag", "val1", "skip", "val2"]);
      const two = await inbox.receive(
        on(["tag", String, IGNORE, String], (x: string, y: string) => `two_args:${x},${y}`),
        { timeout: 1000 },
      );
      expect(two).toBe("two_args:val1,val2");
    });
  });

  it("a handler that throws rejects the receive with that error and consumes the message", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      const boom = new Error("handler failed");
      send(inbox.pid, "explode");
      send(inbox.pid, "after");
      await expect(
        inbox.receive(
          on("explode", () => {
            throw boom;
          }),
          { timeout: 1000 },
        ),
      ).rejects.toBe(boom);
      expect(
        await inbox.receive(
          on(ANY, (m: unknown) => m),
          { timeout: 1000 },
        ),
      ).toBe("after");
    });
  });
});

describe("receive timeouts", () => {
  it("rejects with ReceiveTimeout and the documented message", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      const error = await inbox
        .receive(
          on(["never"], () => null),
          { timeout: 20 },
        )
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(ReceiveTimeout);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe("No matching message within 20ms");
    });
  });

  it("leaves non-matching messages in the mailbox after a timeout", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      send(inbox.pid, "keep1");
      send(inbox.pid, "keep2");
      await expect(
        inbox.receive(
          on("never", () => null),
          { timeout: 10 },
        ),
      ).rejects.toBeInstanceOf(ReceiveTimeout);
      expect(
        await inbox.receive(
          on(ANY, (m: unknown) => m),
          { timeout: 1000 },
        ),
      ).toBe("keep1");
      expect(
        await inbox.receive(
          on(ANY, (m: unknown) => m),
          { timeout: 1000 },
        ),
      ).toBe("keep2");
    });
  });

  it("a matching message that arrives before the deadline wins over the timeout", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      const pending = inbox.receive(
        on("hello", () => "got it"),
        { timeout: 1000 },
      );
      await sleep(5);
      send(inbox.pid, "hello");
      expect(await pending).toBe("got it");
    });
  });

  it("a message that arrives after a timeout stays for the next receive", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      await expect(
        inbox.receive(
          on("late", () => 1),
          { timeout: 5 },
        ),
      ).rejects.toBeInstanceOf(ReceiveTimeout);
      send(inbox.pid, "late");
      expect(
        await inbox.receive(
          on("late", () => 2),
          { timeout: 1000 },
        ),
      ).toBe(2);
    });
  });

  it("without a timeout option waits until a message comes", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      const pending = inbox.receive(on(["n", Number], (n: number) => n));
      await sleep(5);
      send(inbox.pid, ["n", 7]);
      expect(await pending).toBe(7);
    });
  });
});

describe("receive misuse", () => {
  it("receive with no clauses throws", async () => {
    await withScope(async (scope) => {
      const inbox: any = scope.inbox();
      await expect(async () => inbox.receive()).rejects.toThrow();
      await expect(async () => inbox.receive({ timeout: 10 })).rejects.toThrow();
    });
  });

  it("a negative timeout throws and is not a ReceiveTimeout", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      const error = await (async () =>
        inbox.receive(
          on(ANY, () => 1),
          { timeout: -1 },
        ))().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(ReceiveTimeout);
    });
  });

  it("a NaN or non-numeric timeout throws and is not a ReceiveTimeout", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      for (const timeout of [Number.NaN, "10" as unknown as number]) {
        const error = await (async () =>
          inbox.receive(
            on(ANY, () => 1),
            { timeout },
          ))().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(Error);
        expect(error).not.toBeInstanceOf(ReceiveTimeout);
      }
    });
  });
});
