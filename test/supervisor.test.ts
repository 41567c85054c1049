import { describe, it, expect } from "vitest";
import {
  ANY,
  Actor,
  Crash,
  MaxRestartsExceeded,
  Pid,
  ReceiveTimeout,
  RestartStrategy,
  RestartType,
  Supervisor,
  call,
  childSpec,
  countChildren,
  isNormalExit,
  on,
  restartChild,
  send,
  sleep,
  startChild,
  terminateChild,
  whichChildren,
  withScope,
  type ExitReason,
  type Inbox,
} from "fauxtp";
import { exitOf, is } from "./support.js";

type Strategy = (typeof RestartStrategy)[keyof typeof RestartStrategy];
type Restart = (typeof RestartType)[keyof typeof RestartType];

/** A worker that reports its start and its exit, and crashes or stops on request. */
class Worker extends Actor<null> {
  readonly childId: string;
  readonly monitor: Pid;
  readonly trail: string[] | undefined;
  constructor(childId: string, monitor: Pid, trail?: string[]) {
    super();
    this.childId = childId;
    this.monitor = monitor;
    this.trail = trail;
  }
  override init(): null {
    this.trail?.push(`start:${this.childId}`);
    send(this.monitor, ["started", this.childId, this.pid]);
    return null;
  }
  override async run(state: null): Promise<null> {
    return this.receive(
      on("crash", () => {
        throw new Error(`boom:${this.childId}`);
      }),
      on("stop_normal", () => this.stop("normal")),
      on(["stop", String], (reason: string) => this.stop(reason)),
      on(["ping", Pid], (from: Pid) => {
        send(from, ["pong", this.childId, this.pid]);
        return state;
      }),
    );
  }
  override terminate(reason: ExitReason): void {
    this.trail?.push(`stop:${this.childId}`);
    send(this.monitor, ["down", this.childId, this.pid, reason]);
  }
}

interface SupConfig {
  strategy?: Strategy;
  maxRestarts?: number;
  maxSeconds?: number;
  children: Array<{ id: string; restart?: Restart }>;
  trail?: string[];
}

/** A supervisor over Workers, configured through its constructor. */
class TestSup extends Supervisor {
  readonly monitor: Pid;
  readonly config: SupConfig;
  constructor(monitor: Pid, config: SupConfig) {
    super();
    this.monitor = monitor;
    this.config = config;
    if (config.strategy !== undefined) this.strategy = config.strategy;
    if (config.maxRestarts !== undefined) this.maxRestarts = config.maxRestarts;
    if (config.maxSeconds !== undefined) this.maxSeconds = config.maxSeconds;
  }
  override childSpecs() {
    return this.config.children.map(({ id, restart }) =>
      restart === undefined
        ? childSpec({ id, actor: Worker, args: [id, this.monitor, this.config.trail] })
        : childSpec({ id, actor: Worker, args: [id, this.monitor, this.config.trail], restart }),
    );
  }
}

const twoChildren = (restart2?: Restart): SupConfig["children"] => [
  { id: "child1", restart: RestartType.PERMANENT },
  restart2 === undefined ? { id: "child2" } : { id: "child2", restart: restart2 },
];

async function started(monitor: Inbox, childId: string): Promise<Pid> {
  return monitor.receive(
    on(["started", childId, Pid], (pid: Pid) => pid),
    { timeout: 1000 },
  );
}

async function down(monitor: Inbox, childId: string, pid: Pid): Promise<ExitReason> {
  return monitor.receive(
    on(["down", childId, is(pid), ANY], (_pid: Pid, reason: ExitReason) => reason),
    { timeout: 1000 },
  );
}

/** Asserts that no further "started" report for `childId` arrives within a short window. */
async function noRestart(monitor: Inbox, childId: string): Promise<void> {
  await expect(
    monitor.receive(
      on(["started", childId, Pid], (pid: Pid) => pid),
      { timeout: 30 },
    ),
  ).rejects.toBeInstanceOf(ReceiveTimeout);
}

/** Polls the supervisor until `check` holds (the supervisor learns of exits asynchronously). */
async function until<T>(probe: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  let last: T = await probe();
  for (let i = 0; i < 500 && !check(last); i++) {
    await sleep(2);
    last = await probe();
  }
  expect(check(last)).toBe(true);
  return last;
}

const childMap = async (sup: Pid): Promise<Map<string, Pid | undefined>> =>
  new Map((await whichChildren(sup)).map(({ id, pid }) => [id, pid]));

describe("Supervisor constants", () => {
  it("RestartStrategy and RestartType are string constants", async () => {
    await withScope(async () => {
      expect(RestartStrategy.ONE_FOR_ONE).toBe("one_for_one");
      expect(RestartStrategy.ONE_FOR_ALL).toBe("one_for_all");
      expect(RestartStrategy.REST_FOR_ONE).toBe("rest_for_one");
      expect(RestartType.PERMANENT).toBe("permanent");
      expect(RestartType.TRANSIENT).toBe("transient");
      expect(RestartType.TEMPORARY).toBe("temporary");
    });
  });
});

describe("Supervisor start and stop", () => {
  it("starts children in order and resolves start only after all have started", async () => {
    const trail: string[] = [];
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const sup = await TestSup.start(scope, monitor.pid, {
        children: [{ id: "c1" }, { id: "c2" }, { id: "c3" }],
        trail,
      });
      expect(trail).toEqual(["start:c1", "start:c2", "start:c3"]);
      const p1 = await started(monitor, "c1");
      const p2 = await started(monitor, "c2");
      const p3 = await started(monitor, "c3");
      expect(new Set([p1, p2, p3]).size).toBe(3);
      expect(await whichChildren(sup)).toEqual([
        { id: "c1", pid: p1 },
        { id: "c2", pid: p2 },
        { id: "c3", pid: p3 },
      ]);
      expect(await countChildren(sup)).toBe(3);
    });
  });

  it("stops children in reverse start order when the scope ends", async () => {
    const trail: string[] = [];
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      await TestSup.start(scope, monitor.pid, {
        children: [{ id: "c1" }, { id: "c2" }, { id: "c3" }],
        trail,
      });
    });
    expect(trail).toEqual(["start:c1", "start:c2", "start:c3", "stop:c3", "stop:c2", "stop:c1"]);
  });

  it("stops children in reverse order, with a normal reason, when the supervisor is cancelled", async () => {
    const trail: string[] = [];
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const exits = scope.inbox();
      const handle = await TestSup.startLink(
        scope,
        { onExit: (pid, reason) => send(exits.pid, ["exit", pid, reason]) },
        monitor.pid,
        { children: [{ id: "c1" }, { id: "c2" }, { id: "c3" }], trail },
      );
      await started(monitor, "c1");
      await started(monitor, "c2");
      await started(monitor, "c3");
      await handle.cancel();
      expect(await exitOf(exits, handle.pid)).toBe("cancelled");
      const order: string[] = [];
      for (let i = 0; i < 3; i++) {
        const [id, reason] = await monitor.receive(
          on(["down", String, Pid, ANY], (cid: string, _p: Pid, r: ExitReason) => [cid, r] as const),
          { timeout: 1000 },
        );
        expect(isNormalExit(reason)).toBe(true);
        order.push(id);
      }
      // Each child reports from its own process, so the reports may arrive in any order
      // (API.md orders messages per sender only); the stop order itself is in the trail.
      expect(order.sort()).toEqual(["c1", "c2", "c3"]);
      expect(trail.filter((t) => t.startsWith("stop:"))).toEqual(["stop:c3", "stop:c2", "stop:c1"]);
    });
  });

  it("supports the class-field style of configuration", async () => {
    class App extends Supervisor {
      readonly monitor: Pid;
      constructor(monitor: Pid) {
        super();
        this.monitor = monitor;
      }
      override strategy = RestartStrategy.ONE_FOR_ALL;
      override maxRestarts = 3;
      override maxSeconds = 5;
      override childSpecs() {
        return [
          childSpec({ id: "a", actor: Worker, args: ["a", this.monitor] }),
          childSpec({ id: "b", actor: Worker, args: ["b", this.monitor], restart: RestartType.TRANSIENT }),
        ];
      }
    }
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const sup = await App.start(scope, monitor.pid);
      const a1 = await started(monitor, "a");
      const b1 = await started(monitor, "b");
      send(a1, "crash");
      await down(monitor, "a", a1);
      const a2 = await started(monitor, "a");
      const b2 = await started(monitor, "b");
      expect(a2).not.toBe(a1);
      expect(b2).not.toBe(b1);
      expect((await whichChildren(sup)).map((c) => c.id)).toEqual(["a", "b"]);
    });
  });
});

describe("Supervisor restart strategies", () => {
  it("one_for_one restarts only the failed child (test_supervisor_one_for_one_restarts_only_failed_child)", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const sup = await TestSup.start(scope, monitor.pid, { children: twoChildren() });
      const c1 = await started(monitor, "child1");
      const c2 = await started(monitor, "child2");
      expect(c1).not.toBe(c2);

      send(c1, "crash");
      const reason = await down(monitor, "child1", c1);
      expect(reason).toBeInstanceOf(Crash);
      expect(((reason as Crash).error as Error).message).toBe("boom:child1");
      const c1b = await started(monitor, "child1");
      expect(c1b).not.toBe(c1);

      const children = await childMap(sup);
      expect(children.get("child1")).toBe(c1b);
      expect(children.get("child2")).toBe(c2);
      await noRestart(monitor, "child2");
    });
  });

  it("one_for_all stops the others and restarts all children in order (test_supervisor_one_for_all_restarts_all_children_when_one_fails)", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const sup = await TestSup.start(scope, monitor.pid, {
        strategy: RestartStrategy.ONE_FOR_ALL,
        children: [{ id: "c1" }, { id: "c2" }, { id: "c3" }],
      });
      const c1 = await started(monitor, "c1");
      const c2 = await started(monitor, "c2");
      const c3 = await started(monitor, "c3");

      send(c2, "crash");
      expect(await down(monitor, "c2", c2)).toBeInstanceOf(Crash);
      expect(isNormalExit(await down(monitor, "c1", c1))).toBe(true);
      expect(isNormalExit(await down(monitor, "c3", c3))).toBe(true);

      const order = [];
      for (let i = 0; i < 3; i++) {
        order.push(
          await monitor.receive(
            on(["started", String, Pid], (id: string, pid: Pid) => [id, pid] as const),
            {
              timeout: 1000,
            },
          ),
        );
      }
      // Reports from different children may arrive in any order (API.md orders per sender only).
      expect(order.map(([id]) => id).sort()).toEqual(["c1", "c2", "c3"]);
      const fresh = new Map(order);
      expect(fresh.get("c1")).not.toBe(c1);
      expect(fresh.get("c2")).not.toBe(c2);
      expect(fresh.get("c3")).not.toBe(c3);
      expect(await childMap(sup)).toEqual(fresh);
    });
  });

  it("rest_for_one restarts the failed child and those started after it", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const sup = await TestSup.start(scope, monitor.pid, {
        strategy: RestartStrategy.REST_FOR_ONE,
        children: [{ id: "c1" }, { id: "c2" }, { id: "c3" }],
      });
      const c1 = await started(monitor, "c1");
      const c2 = await started(monitor, "c2");
      const c3 = await started(monitor, "c3");

      send(c2, "crash");
      expect(await down(monitor, "c2", c2)).toBeInstanceOf(Crash);
      expect(isNormalExit(await down(monitor, "c3", c3))).toBe(true);
      const c2b = await started(monitor, "c2");
      const c3b = await started(monitor, "c3");
      expect(c2b).not.toBe(c2);
      expect(c3b).not.toBe(c3);

      const children = await childMap(sup);
      expect(children.get("c1")).toBe(c1);
      expect(children.get("c2")).toBe(c2b);
      expect(children.get("c3")).toBe(c3b);
      await noRestart(monitor, "c1");
    });
  });

  it("rest_for_one with the last child failing restarts only that child", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const sup = await TestSup.start(scope, monitor.pid, {
        strategy: RestartStrategy.REST_FOR_ONE,
        children: [{ id: "c1" }, { id: "c2" }],
      });
      const c1 = await started(monitor, "c1");
      const c2 = await started(monitor, "c2");
      send(c2, "crash");
      await down(monitor, "c2", c2);
      const c2b = await started(monitor, "c2");
      const children = await childMap(sup);
      expect(children.get("c1")).toBe(c1);
      expect(children.get("c2")).toBe(c2b);
    });
  });
});

describe("Supervisor restart types", () => {
  it("a permanent child is restarted even after a normal exit", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const sup = await TestSup.start(scope, monitor.pid, { children: twoChildren() });
      const c1 = await started(monitor, "child1");
      send(c1, "stop_normal");
      expect(await down(monitor, "child1", c1)).toBe("normal");
      const c1b = await started(monitor, "child1");
      expect(c1b).not.toBe(c1);
      expect((await childMap(sup)).get("child1")).toBe(c1b);
    });
  });

  it("a transient child is not restarted after a normal exit (test_supervisor_transient_child_not_restarted_on_normal_exit)", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const sup = await TestSup.start(scope, monitor.pid, { children: twoChildren(RestartType.TRANSIENT) });
      const c1 = await started(monitor, "child1");
      const c2 = await started(monitor, "child2");

      send(c2, "stop_normal");
      expect(await down(monitor, "child2", c2)).toBe("normal");
      const children = await until(
        () => childMap(sup),
        (m) => m.get("child2") === undefined,
      );
      expect(children.get("child1")).toBe(c1);
      await noRestart(monitor, "child2");

      // child1 is permanent and still supervised.
      send(c1, "crash");
      await down(monitor, "child1", c1);
      expect(await started(monitor, "child1")).not.toBe(c1);
    });
  });

  it("a transient child that is not restarted stays listed without a pid", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const sup = await TestSup.start(scope, monitor.pid, { children: twoChildren(RestartType.TRANSIENT) });
      const c1 = await started(monitor, "child1");
      const c2 = await started(monitor, "child2");
      send(c2, ["stop", "shutdown"]);
      expect(await down(monitor, "child2", c2)).toBe("shutdown");
      const list = await until(
        () => whichChildren(sup),
        (l) => l.some((c) => c.id === "child2" && c.pid === undefined),
      );
      expect(list).toEqual([
        { id: "child1", pid: c1 },
        { id: "child2", pid: undefined },
      ]);
    });
  });

  it("a transient child is restarted after an abnormal exit", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      await TestSup.start(scope, monitor.pid, { children: twoChildren(RestartType.TRANSIENT) });
      await started(monitor, "child1");
      const c2 = await started(monitor, "child2");
      send(c2, "crash");
      expect(await down(monitor, "child2", c2)).toBeInstanceOf(Crash);
      const c2b = await started(monitor, "child2");
      expect(c2b).not.toBe(c2);

      // An abnormal string reason counts too.
      send(c2b, ["stop", "killed"]);
      expect(await down(monitor, "child2", c2b)).toBe("killed");
      expect(await started(monitor, "child2")).not.toBe(c2b);
    });
  });

  it("a temporary child is never restarted, even on error, and is removed (test_supervisor_temporary_child_never_restarted_even_on_error)", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const sup = await TestSup.start(scope, monitor.pid, { children: twoChildren(RestartType.TEMPORARY) });
      const c1 = await started(monitor, "child1");
      const c2 = await started(monitor, "child2");
      expect(await countChildren(sup)).toBe(2);

      send(c2, "crash");
      expect(await down(monitor, "child2", c2)).toBeInstanceOf(Crash);
      await until(
        () => countChildren(sup),
        (n) => n === 1,
      );
      expect(await whichChildren(sup)).toEqual([{ id: "child1", pid: c1 }]);
      await noRestart(monitor, "child2");
    });
  });
});

describe("Supervisor: temporary siblings of a restart", () => {
  for (const strategy of [RestartStrategy.ONE_FOR_ALL, RestartStrategy.REST_FOR_ONE]) {
    it(`${strategy}: a temporary sibling stopped for the restart is removed, not restarted`, async () => {
      const trail: string[] = [];
      await withScope(async (scope) => {
        const monitor = scope.inbox();
        const sup = await TestSup.start(scope, monitor.pid, {
          strategy,
          trail,
          children: [
            { id: "a", restart: RestartType.PERMANENT },
            { id: "tmp", restart: RestartType.TEMPORARY },
            { id: "c", restart: RestartType.PERMANENT },
          ],
        });
        const a = await started(monitor, "a");
        await started(monitor, "tmp");
        await started(monitor, "c");
        send(a, "crash");
        await down(monitor, "a", a);
        await started(monitor, "a");
        await started(monitor, "c");
        await noRestart(monitor, "tmp");
        expect((await whichChildren(sup)).map((c) => c.id)).toEqual(["a", "c"]);
        expect(trail.filter((t) => t === "start:tmp")).toHaveLength(1);
      });
    });
  }
});

describe("Supervisor restart intensity", () => {
  it("more than maxRestarts restarts within maxSeconds exits the supervisor with a Crash of MaxRestartsExceeded (test_supervisor_max_restarts_exceeded_causes_supervisor_exit)", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const exits = scope.inbox();
      const handle = await TestSup.startLink(
        scope,
        { onExit: (pid, reason) => send(exits.pid, ["exit", pid, reason]) },
        monitor.pid,
        { maxRestarts: 1, maxSeconds: 5, children: twoChildren() },
      );
      const c1 = await started(monitor, "child1");
      const c2 = await started(monitor, "child2");

      send(c1, "crash");
      await down(monitor, "child1", c1);
      const c1b = await started(monitor, "child1");

      send(c1b, "crash");
      await down(monitor, "child1", c1b);

      const reason = await exitOf(exits, handle.pid);
      expect(reason).toBeInstanceOf(Crash);
      expect(isNormalExit(reason)).toBe(false);
      const error = (reason as Crash).error;
      expect(error).toBeInstanceOf(MaxRestartsExceeded);
      expect(error).toBeInstanceOf(Error);

      // Every child was stopped.
      expect(isNormalExit(await down(monitor, "child2", c2))).toBe(true);
      await noRestart(monitor, "child1");
    });
  });

  it("maxRestarts 0 gives up at the first failure", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const exits = scope.inbox();
      const handle = await TestSup.startLink(
        scope,
        { onExit: (pid, reason) => send(exits.pid, ["exit", pid, reason]) },
        monitor.pid,
        { maxRestarts: 0, children: [{ id: "only" }] },
      );
      const p = await started(monitor, "only");
      send(p, "crash");
      const reason = await exitOf(exits, handle.pid);
      expect((reason as Crash).error).toBeInstanceOf(MaxRestartsExceeded);
    });
  });

  it("restarts older than maxSeconds do not count", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const sup = await TestSup.start(scope, monitor.pid, {
        maxRestarts: 1,
        maxSeconds: 0.02,
        children: [{ id: "c1" }],
      });
      let pid = await started(monitor, "c1");
      for (let round = 0; round < 3; round++) {
        send(pid, "crash");
        await down(monitor, "c1", pid);
        const next = await started(monitor, "c1");
        expect(next).not.toBe(pid);
        pid = next;
        await sleep(30);
      }
      expect((await childMap(sup)).get("c1")).toBe(pid);
    });
  });

  it("ignores stale exits: the others' exits caused by a one_for_all restart trigger no further restart", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const exits = scope.inbox();
      const handle = await TestSup.startLink(
        scope,
        { onExit: (pid, reason) => send(exits.pid, ["exit", pid, reason]) },
        monitor.pid,
        { strategy: RestartStrategy.ONE_FOR_ALL, maxRestarts: 1, children: [{ id: "c1" }, { id: "c2" }] },
      );
      const c1 = await started(monitor, "c1");
      await started(monitor, "c2");
      send(c1, "crash");
      await down(monitor, "c1", c1);
      const c1b = await started(monitor, "c1");
      const c2b = await started(monitor, "c2");
      await noRestart(monitor, "c1");
      await noRestart(monitor, "c2");
      const children = await childMap(handle.pid);
      expect(children.get("c1")).toBe(c1b);
      expect(children.get("c2")).toBe(c2b);
      await expect(
        exits.receive(
          on(ANY, (m: unknown) => m),
          { timeout: 20 },
        ),
      ).rejects.toBeInstanceOf(ReceiveTimeout);
    });
  });
});

describe("Supervisor management functions", () => {
  it("whichChildren and countChildren describe the children in start order", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const sup = await TestSup.start(scope, monitor.pid, { children: twoChildren() });
      const c1 = await started(monitor, "child1");
      const c2 = await started(monitor, "child2");
      expect(await whichChildren(sup)).toEqual([
        { id: "child1", pid: c1 },
        { id: "child2", pid: c2 },
      ]);
      expect(await countChildren(sup)).toBe(2);
    });
  });

  it("terminateChild stops a child without restarting it; restartChild starts it again", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const sup = await TestSup.start(scope, monitor.pid, { children: twoChildren() });
      const c1 = await started(monitor, "child1");
      const c2 = await started(monitor, "child2");

      await terminateChild(sup, "child1");
      expect(isNormalExit(await down(monitor, "child1", c1))).toBe(true);
      await noRestart(monitor, "child1");
      expect(await whichChildren(sup)).toEqual([
        { id: "child1", pid: undefined },
        { id: "child2", pid: c2 },
      ]);

      await restartChild(sup, "child1");
      const c1b = await started(monitor, "child1");
      expect(c1b).not.toBe(c1);
      expect(await whichChildren(sup)).toEqual([
        { id: "child1", pid: c1b },
        { id: "child2", pid: c2 },
      ]);
    });
  });

  it("startChild adds a supervised child at run time, after the others", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const sup = await TestSup.start(scope, monitor.pid, { children: twoChildren() });
      const c1 = await started(monitor, "child1");
      const c2 = await started(monitor, "child2");

      await startChild(sup, childSpec({ id: "extra", actor: Worker, args: ["extra", monitor.pid] }));
      const extra = await started(monitor, "extra");
      expect(await countChildren(sup)).toBe(3);
      expect(await whichChildren(sup)).toEqual([
        { id: "child1", pid: c1 },
        { id: "child2", pid: c2 },
        { id: "extra", pid: extra },
      ]);

      send(extra, "crash");
      await down(monitor, "extra", extra);
      const extraB = await started(monitor, "extra");
      expect(extraB).not.toBe(extra);
      expect((await childMap(sup)).get("extra")).toBe(extraB);
    });
  });

  it("startChild with an id already in use is refused", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const sup = await TestSup.start(scope, monitor.pid, { children: twoChildren() });
      const c1 = await started(monitor, "child1");
      const c2 = await started(monitor, "child2");
      await expect(
        startChild(sup, childSpec({ id: "child1", actor: Worker, args: ["child1", monitor.pid] })),
      ).rejects.toThrow();
      expect(await whichChildren(sup)).toEqual([
        { id: "child1", pid: c1 },
        { id: "child2", pid: c2 },
      ]);
      // The supervisor is still alive and serving.
      expect(await countChildren(sup)).toBe(2);
    });
  });
});

describe("Supervisor child specs", () => {
  it("childSpec with an empty id throws", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      expect(() => childSpec({ id: "", actor: Worker, args: ["x", monitor.pid] })).toThrow();
    });
  });

  it("childSpec defaults to a permanent child", async () => {
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const spec = childSpec({ id: "w", actor: Worker, args: ["w", monitor.pid] });
      expect(spec.id).toBe("w");
      expect(spec.restart).toBe(RestartType.PERMANENT);
    });
  });

  it("duplicate child ids in childSpecs make start fail and leave no children running", async () => {
    const trail: string[] = [];
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      let failed = false;
      try {
        await TestSup.start(scope, monitor.pid, { children: [{ id: "dup" }, { id: "dup" }], trail });
      } catch {
        failed = true;
      }
      expect(failed).toBe(true);
      // Whatever was started was stopped again.
      const starts = trail.filter((t) => t.startsWith("start:")).length;
      const stops = trail.filter((t) => t.startsWith("stop:")).length;
      expect(stops).toBe(starts);
    });
  });

  it("an actor that is not an Actor class is an error", async () => {
    class NotAnActor {
      run(): void {}
    }
    class BadSup extends Supervisor {
      override childSpecs() {
        return [childSpec({ id: "bad", actor: NotAnActor as any })];
      }
    }
    await withScope(async (scope) => {
      let failed = false;
      try {
        await BadSup.start(scope);
      } catch {
        failed = true;
      }
      expect(failed).toBe(true);

      const monitor = scope.inbox();
      const sup = await TestSup.start(scope, monitor.pid, { children: [{ id: "ok" }] });
      const ok = await started(monitor, "ok");
      await expect(async () =>
        startChild(sup, childSpec({ id: "bad", actor: NotAnActor as any })),
      ).rejects.toThrow();
      await expect(async () =>
        startChild(sup, childSpec({ id: "bad2", actor: (() => 1) as any })),
      ).rejects.toThrow();
      expect(await whichChildren(sup)).toEqual([{ id: "ok", pid: ok }]);
    });
  });
});

describe("Nested supervisors", () => {
  it("a supervisor can be the child of another and is restarted when it gives up", async () => {
    class Sub extends Supervisor {
      readonly monitor: Pid;
      constructor(monitor: Pid) {
        super();
        this.monitor = monitor;
      }
      override maxRestarts = 0;
      override childSpecs() {
        return [
          childSpec({ id: "w1", actor: Worker, args: ["w1", this.monitor] }),
          childSpec({ id: "w2", actor: Worker, args: ["w2", this.monitor] }),
        ];
      }
    }
    class Top extends Supervisor {
      readonly monitor: Pid;
      constructor(monitor: Pid) {
        super();
        this.monitor = monitor;
      }
      override childSpecs() {
        return [
          childSpec({ id: "top_worker", actor: Worker, args: ["top_worker", this.monitor] }),
          childSpec({ id: "sub", actor: Sub, args: [this.monitor] }),
        ];
      }
    }
    await withScope(async (scope) => {
      const monitor = scope.inbox();
      const top = await Top.start(scope, monitor.pid);
      const tw = await started(monitor, "top_worker");
      const w1 = await started(monitor, "w1");
      const w2 = await started(monitor, "w2");

      const before = await childMap(top);
      const sub1 = before.get("sub");
      expect(sub1).toBeInstanceOf(Pid);
      expect(await whichChildren(sub1 as Pid)).toEqual([
        { id: "w1", pid: w1 },
        { id: "w2", pid: w2 },
      ]);

      // w1 crashes; Sub (maxRestarts 0) gives up; Top restarts Sub, which starts fresh workers.
      send(w1, "crash");
      await down(monitor, "w1", w1);
      expect(isNormalExit(await down(monitor, "w2", w2))).toBe(true);
      const w1b = await started(monitor, "w1");
      const w2b = await started(monitor, "w2");
      expect(w1b).not.toBe(w1);
      expect(w2b).not.toBe(w2);

      const after = await childMap(top);
      expect(after.get("top_worker")).toBe(tw);
      const sub2 = after.get("sub");
      expect(sub2).toBeInstanceOf(Pid);
      expect(sub2).not.toBe(sub1);
      expect(await whichChildren(sub2 as Pid)).toEqual([
        { id: "w1", pid: w1b },
        { id: "w2", pid: w2b },
      ]);

      // The restarted workers answer.
      send(w2b, ["ping", monitor.pid]);
      expect(
        await monitor.receive(
          on(["pong", "w2", Pid], (p: Pid) => p),
          { timeout: 1000 },
        ),
      ).toBe(w2b);
      // The top worker was never touched.
      await noRestart(monitor, "top_worker");
      await expect(call(tw, "not a genserver", 10)).rejects.toBeInstanceOf(ReceiveTimeout);
    });
  });
});
