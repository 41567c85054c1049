import { describe, it, expect } from "vitest";
import {
  Actor,
  GenServer,
  Pid,
  call,
  on,
  register,
  registered,
  send,
  unregister,
  waitFor,
  whereis,
  withScope,
  type From,
} from "fauxtp";
import { exitOf } from "./support.js";

class Idle extends Actor<null> {
  override init(): null {
    return null;
  }
  override async run(state: null): Promise<null> {
    return this.receive(
      on("stop", () => this.stop("normal")),
      on("crash", () => {
        throw new Error("crash");
      }),
      on(["ping", Pid], (from: Pid) => {
        send(from, ["pong", this.pid]);
        return state;
      }),
    );
  }
}

let counter = 0;
/** A name no other test uses, so tests never depend on each other's registrations. */
const fresh = (base: string): string => `${base}_${++counter}`;

describe("Registry", () => {
  it("register returns true, and false when the name is taken (test_register_process)", async () => {
    await withScope(async (scope) => {
      const name = fresh("test_process");
      const pid = await Idle.start(scope);
      const other = await Idle.start(scope);
      expect(register(name, pid)).toBe(true);
      expect(register(name, pid)).toBe(false);
      expect(register(name, other)).toBe(false);
      expect(whereis(name)).toBe(pid);
    });
  });

  it("whereis returns undefined for an unknown name and the pid once registered (test_whereis)", async () => {
    await withScope(async (scope) => {
      const name = fresh("test_process");
      const pid = await Idle.start(scope);
      expect(whereis(name)).toBeUndefined();
      register(name, pid);
      expect(whereis(name)).toBe(pid);
    });
  });

  it("unregister returns true, then false when absent (test_unregister)", async () => {
    await withScope(async (scope) => {
      const name = fresh("test_process");
      const pid = await Idle.start(scope);
      register(name, pid);
      expect(whereis(name)).toBe(pid);
      expect(unregister(name)).toBe(true);
      expect(whereis(name)).toBeUndefined();
      expect(unregister(name)).toBe(false);
      // The name is free again.
      expect(register(name, pid)).toBe(true);
    });
  });

  it("registered lists the names (test_registered)", async () => {
    await withScope(async (scope) => {
      const n1 = fresh("process");
      const n2 = fresh("process");
      const before = registered();
      expect(before).not.toContain(n1);
      register(n1, await Idle.start(scope));
      register(n2, await Idle.start(scope));
      const names = registered();
      expect(names).toContain(n1);
      expect(names).toContain(n2);
      expect(names.length).toBe(before.length + 2);
      unregister(n1);
      expect(registered()).not.toContain(n1);
      expect(registered()).toContain(n2);
    });
  });

  it("handles many processes (test_multiple_processes)", async () => {
    await withScope(async (scope) => {
      const pids: Pid[] = [];
      const names: string[] = [];
      for (let i = 0; i < 5; i++) {
        pids.push(await Idle.start(scope));
        names.push(fresh(`process_${i}`));
      }
      names.forEach((name, i) => expect(register(name, pids[i] as Pid)).toBe(true));
      names.forEach((name, i) => expect(whereis(name)).toBe(pids[i]));
      expect(unregister(names[2] as string)).toBe(true);
      expect(whereis(names[2] as string)).toBeUndefined();
      expect(whereis(names[0] as string)).toBe(pids[0]);
      expect(whereis(names[4] as string)).toBe(pids[4]);
    });
  });

  it("one process may hold several names", async () => {
    await withScope(async (scope) => {
      const pid = await Idle.start(scope);
      const a = fresh("alias");
      const b = fresh("alias");
      expect(register(a, pid)).toBe(true);
      expect(register(b, pid)).toBe(true);
      expect(whereis(a)).toBe(pid);
      expect(whereis(b)).toBe(pid);
    });
  });

  it("a registered name reaches the process", async () => {
    class Named extends GenServer<number, "get", number> {
      readonly name: string;
      constructor(name: string) {
        super();
        this.name = name;
      }
      override init(): number {
        register(this.name, this.pid);
        return 0;
      }
      override handleCall(_request: "get", _from: From, state: number): [number, number] {
        return [state, state];
      }
      override handleCast(n: number, state: number): number {
        return state + n;
      }
    }
    await withScope(async (scope) => {
      const name = fresh("counter");
      const pid = await Named.start(scope, name);
      const found = whereis(name);
      expect(found).toBe(pid);
      send(found as Pid, "ignored info");
      expect(await call(found as Pid, "get", 1000)).toBe(0);
    });
  });
});

describe("Registry and process exits", () => {
  it("a name is released when its process stops", async () => {
    await withScope(async (scope) => {
      const exits = scope.inbox();
      const name = fresh("worker");
      const handle = await Idle.startLink(scope, {
        onExit: (pid, reason) => send(exits.pid, ["exit", pid, reason]),
      });
      expect(register(name, handle.pid)).toBe(true);
      send(handle.pid, "stop");
      expect(await exitOf(exits, handle.pid)).toBe("normal");
      await waitFor(() => whereis(name) === undefined, { timeout: 1000, interval: 1 });
      expect(registered()).not.toContain(name);

      // The name can be taken by a new process.
      const next = await Idle.start(scope);
      expect(register(name, next)).toBe(true);
      expect(whereis(name)).toBe(next);
    });
  });

  it("a name is released when its process crashes", async () => {
    await withScope(async (scope) => {
      const exits = scope.inbox();
      const name = fresh("crasher");
      const handle = await Idle.startLink(scope, {
        onExit: (pid, reason) => send(exits.pid, ["exit", pid, reason]),
      });
      register(name, handle.pid);
      send(handle.pid, "crash");
      await exitOf(exits, handle.pid);
      await waitFor(() => whereis(name) === undefined, { timeout: 1000, interval: 1 });
      expect(unregister(name)).toBe(false);
    });
  });

  it("a name is released when its process is cancelled", async () => {
    await withScope(async (scope) => {
      const name = fresh("cancelled");
      const handle = await Idle.startLink(scope, {});
      register(name, handle.pid);
      await handle.cancel();
      expect(whereis(name)).toBeUndefined();
      expect(registered()).not.toContain(name);
    });
  });

  it("names are released when the scope ends", async () => {
    const name = fresh("scoped");
    await withScope(async (scope) => {
      register(name, await Idle.start(scope));
      expect(whereis(name)).toBeInstanceOf(Pid);
    });
    await withScope(async () => {
      expect(whereis(name)).toBeUndefined();
      expect(registered()).not.toContain(name);
    });
  });

  it("a dead process cannot be registered (refused or an error)", async () => {
    await withScope(async (scope) => {
      const name = fresh("dead");
      const handle = await Idle.startLink(scope, {});
      await handle.cancel();
      let outcome: boolean | "threw";
      try {
        outcome = register(name, handle.pid);
      } catch {
        outcome = "threw";
      }
      expect(outcome).not.toBe(true);
      expect(whereis(name)).toBeUndefined();
    });
  });

  it("unregistering a name does not affect the process", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      const name = fresh("still_alive");
      const pid = await Idle.start(scope);
      register(name, pid);
      unregister(name);
      send(pid, ["ping", inbox.pid]);
      expect(
        await inbox.receive(
          on(["pong", Pid], (p: Pid) => p),
          { timeout: 1000 },
        ),
      ).toBe(pid);
    });
  });
});
