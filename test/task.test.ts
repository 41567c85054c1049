import { describe, it, expect } from "vitest";
import { ANY, Crash, Pid, Task, TaskFailed, on, sleep, withScope, withTimeout, type Inbox } from "fauxtp";
import { rejectionOf } from "./support.js";

async function workOk(): Promise<string> {
  await sleep(5);
  return "OK_RESULT";
}

const boom = new Error("boom");

async function workFail(): Promise<string> {
  await sleep(5);
  throw boom;
}

/** Never settles on its own: only a cancel ends it. */
function workForever(): Promise<string> {
  return new Promise<string>(() => {});
}

describe("Task.spawn and join", () => {
  it("join resolves with the function's result (test_task_join_success)", async () => {
    await withScope(async (scope) => {
      const t = await Task.spawn(scope, workOk);
      expect(await t.join()).toBe("OK_RESULT");
    });
  });

  it("accepts a sync function", async () => {
    await withScope(async (scope) => {
      const t = await Task.spawn(scope, () => 42);
      expect(await t.join()).toBe(42);
    });
  });

  it("join rejects with TaskFailed whose reason is the Crash of the thrown error (test_task_join_failure_raises)", async () => {
    await withScope(async (scope) => {
      const t = await Task.spawn(scope, workFail);
      const error = await rejectionOf(t.join());
      expect(error).toBeInstanceOf(TaskFailed);
      expect(error).toBeInstanceOf(Error);
      const reason = (error as TaskFailed).reason;
      expect(reason).toBeInstanceOf(Crash);
      expect((reason as Crash).error).toBe(boom);
    });
  });

  it("a sync throw is a failure too, with the thrown value kept as is", async () => {
    await withScope(async (scope) => {
      const t = await Task.spawn(scope, () => {
        throw "plain string";
      });
      const error = await rejectionOf(t.join());
      expect(error).toBeInstanceOf(TaskFailed);
      expect(((error as TaskFailed).reason as Crash).error).toBe("plain string");
    });
  });

  it("cancel then join rejects promptly with reason cancelled (test_task_join_cancelled_does_not_hang)", async () => {
    await withScope(async (scope) => {
      const t = await Task.spawn(scope, workForever);
      await t.cancel();
      const error = await withTimeout(rejectionOf(t.join()), 1000);
      expect(error).toBeInstanceOf(TaskFailed);
      expect((error as TaskFailed).reason).toBe("cancelled");
    });
  });

  it("a join already waiting is rejected when the task is cancelled", async () => {
    await withScope(async (scope) => {
      const t = await Task.spawn(scope, workForever);
      const joined = rejectionOf(t.join());
      await t.cancel();
      const error = await withTimeout(joined, 1000);
      expect(error).toBeInstanceOf(TaskFailed);
      expect((error as TaskFailed).reason).toBe("cancelled");
    });
  });

  it("cancel after the task finished keeps its result", async () => {
    await withScope(async (scope) => {
      const t = await Task.spawn(scope, async () => "finished");
      expect(await t.join()).toBe("finished");
      await t.cancel();
      expect(await t.join()).toBe("finished");
    });
  });

  it("a failing task does not affect other tasks or the scope", async () => {
    const result = await withScope(async (scope) => {
      const bad = await Task.spawn(scope, workFail);
      const good = await Task.spawn(scope, workOk);
      await expect(bad.join()).rejects.toBeInstanceOf(TaskFailed);
      expect(await good.join()).toBe("OK_RESULT");
      return "scope ok";
    });
    expect(result).toBe("scope ok");
  });

  it("tasks run concurrently", async () => {
    await withScope(async (scope) => {
      const order: string[] = [];
      const slow = await Task.spawn(scope, async () => {
        await sleep(20);
        order.push("slow");
        return "slow";
      });
      const fast = await Task.spawn(scope, async () => {
        await sleep(1);
        order.push("fast");
        return "fast";
      });
      expect(await Promise.all([slow.join(), fast.join()])).toEqual(["slow", "fast"]);
      expect(order).toEqual(["fast", "slow"]);
    });
  });
});

describe("Task.spawnAndNotify", () => {
  async function outcome(inbox: Inbox, tag: string): Promise<[Pid, unknown]> {
    return inbox.receive(
      on([tag, Pid, ANY], (pid: Pid, value: unknown) => [pid, value] as [Pid, unknown]),
      {
        timeout: 1000,
      },
    );
  }

  it("the parent receives ['$$success', taskPid, result]", async () => {
    await withScope(async (scope) => {
      const parent = scope.inbox();
      const t = await Task.spawnAndNotify(scope, workOk, parent.pid);
      const [taskPid, result] = await outcome(parent, "$$success");
      expect(result).toBe("OK_RESULT");
      expect(taskPid).toBeInstanceOf(Pid);
      expect(taskPid).not.toBe(parent.pid);
      expect(await t.join()).toBe("OK_RESULT");
    });
  });

  it("the parent receives ['$$failure', taskPid, reason] with the Crash", async () => {
    await withScope(async (scope) => {
      const parent = scope.inbox();
      const t = await Task.spawnAndNotify(scope, workFail, parent.pid);
      const [taskPid, reason] = await outcome(parent, "$$failure");
      expect(taskPid).toBeInstanceOf(Pid);
      expect(reason).toBeInstanceOf(Crash);
      expect((reason as Crash).error).toBe(boom);
      await expect(t.join()).rejects.toBeInstanceOf(TaskFailed);
    });
  });

  it("a cancelled task notifies ['$$failure', taskPid, 'cancelled']", async () => {
    await withScope(async (scope) => {
      const parent = scope.inbox();
      const t = await Task.spawnAndNotify(scope, workForever, parent.pid);
      await t.cancel();
      const [, reason] = await outcome(parent, "$$failure");
      expect(reason).toBe("cancelled");
      const error = await withTimeout(rejectionOf(t.join()), 1000);
      expect((error as TaskFailed).reason).toBe("cancelled");
    });
  });

  it("each task reports once, under its own pid (test_task_spawn_and_notify_parent_gets_success_and_failure_and_cancel)", async () => {
    await withScope(async (scope) => {
      const parent = scope.inbox();
      const tOk = await Task.spawnAndNotify(scope, workOk, parent.pid);
      const tFail = await Task.spawnAndNotify(scope, workFail, parent.pid);
      const tSlow = await Task.spawnAndNotify(scope, workForever, parent.pid);
      await tSlow.cancel();

      expect(await tOk.join()).toBe("OK_RESULT");
      await expect(tFail.join()).rejects.toBeInstanceOf(TaskFailed);
      await expect(tSlow.join()).rejects.toBeInstanceOf(TaskFailed);

      const [okPid, okResult] = await outcome(parent, "$$success");
      expect(okResult).toBe("OK_RESULT");
      const failures = [await outcome(parent, "$$failure"), await outcome(parent, "$$failure")];
      const reasons = failures.map(([, r]) => r);
      expect(reasons).toContain("cancelled");
      const crash = reasons.find((r): r is Crash => r instanceof Crash);
      expect(crash?.error).toBe(boom);

      const pids = [okPid, ...failures.map(([p]) => p)];
      expect(new Set(pids).size).toBe(3);

      // Nothing more: each task reported exactly once.
      await expect(
        parent.receive(
          on(ANY, (m: unknown) => m),
          { timeout: 20 },
        ),
      ).rejects.toThrow("No matching message within 20ms");
    });
  });

  it("the success and failure tags can be overridden", async () => {
    await withScope(async (scope) => {
      const parent = scope.inbox();
      const tags = { successTag: "ok", failureTag: "err" };
      const t1 = await Task.spawnAndNotify(scope, async () => 7, parent.pid, tags);
      const [pid1, result] = await outcome(parent, "ok");
      expect(result).toBe(7);
      expect(await t1.join()).toBe(7);

      const t2 = await Task.spawnAndNotify(scope, workFail, parent.pid, tags);
      const [pid2, reason] = await outcome(parent, "err");
      expect((reason as Crash).error).toBe(boom);
      expect(pid2).not.toBe(pid1);
      await expect(t2.join()).rejects.toBeInstanceOf(TaskFailed);

      // No default-tagged messages were sent.
      await expect(
        parent.receive(
          on(["$$success", Pid, ANY], () => null),
          on(["$$failure", Pid, ANY], () => null),
          { timeout: 20 },
        ),
      ).rejects.toThrow("No matching message within 20ms");
    });
  });

  it("the notification carries the pid of the task that ended", async () => {
    await withScope(async (scope) => {
      const parent = scope.inbox();
      const ok = await Task.spawnAndNotify(scope, workOk, parent.pid);
      const failed = await Task.spawnAndNotify(scope, workFail, parent.pid);
      expect(ok.pid).toBeInstanceOf(Pid);
      expect(ok.pid).not.toBe(failed.pid);
      const [okPid] = await outcome(parent, "$$success");
      const [failedPid] = await outcome(parent, "$$failure");
      expect(okPid).toBe(ok.pid);
      expect(failedPid).toBe(failed.pid);
    });
  });
});
