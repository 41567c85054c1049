import { describe, it, expect } from "vitest";
import { Actor, Pid, Ref, makeRef, on, withScope } from "fauxtp";

class Idle extends Actor<null> {
  override init(): null {
    return null;
  }
  override async run(state: null): Promise<null> {
    return this.receive(on("never", () => state));
  }
}

describe("Pid", () => {
  it("pids of processes and inboxes are Pid instances", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      const pid = await Idle.start(scope);
      expect(inbox.pid).toBeInstanceOf(Pid);
      expect(pid).toBeInstanceOf(Pid);
    });
  });

  it("every process gets a distinct pid", async () => {
    await withScope(async (scope) => {
      const pids = [
        await Idle.start(scope),
        await Idle.start(scope),
        scope.inbox().pid,
        scope.inbox().pid,
        await Idle.start(scope),
      ];
      expect(new Set(pids).size).toBe(pids.length);
      for (let i = 0; i < pids.length; i++) {
        for (let j = 0; j < pids.length; j++) {
          expect(pids[i] === pids[j]).toBe(i === j);
        }
      }
    });
  });

  it("the same process always has the same pid object, so === and Map keys work", async () => {
    await withScope(async (scope) => {
      const inbox = scope.inbox();
      const first = inbox.pid;
      const second = inbox.pid;
      expect(first === second).toBe(true);
      const handle = await Idle.startLink(scope, {});
      expect(handle.pid === handle.pid).toBe(true);
      const table = new Map<Pid, string>([
        [first, "inbox"],
        [handle.pid, "idle"],
      ]);
      expect(table.get(inbox.pid)).toBe("inbox");
      expect(table.get(handle.pid)).toBe("idle");
    });
  });

  it("prints in a short stable form such as <0.7>", async () => {
    await withScope(async (scope) => {
      const a = scope.inbox().pid;
      const b = await Idle.start(scope);
      expect(String(a)).toMatch(/^<\d+\.\d+>$/);
      expect(String(b)).toMatch(/^<\d+\.\d+>$/);
      expect(String(a)).not.toBe(String(b));
      expect(String(a)).toBe(String(a));
      expect(b.toString()).toBe(String(b));
    });
  });

  it("pids are handed out from counters, increasing with each new process", async () => {
    await withScope(async (scope) => {
      const numbers = [scope.inbox().pid, scope.inbox().pid, scope.inbox().pid].map((pid) => {
        const m = /^<(\d+)\.(\d+)>$/.exec(String(pid));
        expect(m).not.toBeNull();
        return Number(m?.[2]);
      });
      expect(numbers[1]).toBeGreaterThan(numbers[0] ?? Infinity);
      expect(numbers[2]).toBeGreaterThan(numbers[1] ?? Infinity);
    });
  });
});

describe("Ref", () => {
  it("makeRef returns a fresh Ref each time", async () => {
    await withScope(async () => {
      const r1 = makeRef();
      const r2 = makeRef();
      expect(r1).toBeInstanceOf(Ref);
      expect(r2).toBeInstanceOf(Ref);
      expect(r1 === r2).toBe(false);
      expect(r1 === r1).toBe(true);
    });
  });

  it("refs can be Map keys", async () => {
    await withScope(async () => {
      const r1 = makeRef();
      const r2 = makeRef();
      const table = new Map<Ref, string>([
        [r1, "value1"],
        [r2, "value2"],
      ]);
      expect(table.get(r1)).toBe("value1");
      expect(table.get(r2)).toBe("value2");
      expect(table.get(makeRef())).toBeUndefined();
    });
  });

  it("refs are printable and distinct refs print differently", async () => {
    await withScope(async () => {
      const refs = Array.from({ length: 20 }, () => makeRef());
      const printed = refs.map((r) => String(r));
      for (const p of printed) {
        expect(typeof p).toBe("string");
        expect(p.length).toBeGreaterThan(0);
        expect(p).not.toBe("[object Object]");
      }
      expect(new Set(printed).size).toBe(refs.length);
    });
  });
});
