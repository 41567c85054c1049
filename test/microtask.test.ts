/**
 * The production scheduler's own promises: fairness towards the host (timers, I/O) and
 * timers that neither fire early nor keep the process alive when idle.
 */
import { describe, expect, it } from "vitest";
import {
  Actor,
  GenServer,
  MicrotaskScheduler,
  call,
  now,
  on,
  send,
  sleep,
  withScope,
  type From,
} from "fauxtp";

class Spinner extends Actor<number> {
  override init(): number {
    return 0;
  }
  override run(n: number): number {
    return n + 1;
  }
}

class Echo extends GenServer<null, string> {
  override init(): null {
    return null;
  }
  override handleCall(req: string, _from: From, s: null): readonly [string, null] {
    return [req, s];
  }
}

describe("MicrotaskScheduler", () => {
  it("an actor whose run never waits does not starve timers or other processes", async () => {
    await withScope(async (scope) => {
      await Spinner.start(scope);
      const echo = await Echo.start(scope);
      expect(await call(echo, "hello")).toBe("hello");
      await sleep(2);
      const inbox = scope.inbox();
      send(inbox.pid, "still alive");
      expect(
        await inbox.receive(
          on("still alive", () => true),
          { timeout: 1000 },
        ),
      ).toBe(true);
    });
  });

  it("a sleep never ends before its time", async () => {
    await withScope(
      async () => {
        const t0 = now();
        await sleep(15);
        expect(now() - t0).toBeGreaterThanOrEqual(15);
      },
      { scheduler: new MicrotaskScheduler() },
    );
  });

  it("a call's timeout fires when the server never answers", async () => {
    class Silent extends GenServer<null, string> {
      override init(): null {
        return null;
      }
      override handleCall(): Promise<readonly [string, null]> {
        return new Promise(() => {});
      }
    }
    await withScope(async (scope) => {
      const pid = await Silent.start(scope);
      await expect(call(pid, "anyone?", 10)).rejects.toMatchObject({ name: "CallTimeout" });
    });
  });
});
