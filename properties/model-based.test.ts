/**
 * Model-based fuzzing with commands issued concurrently by client tasks under the
 * simulator: a correct counter server is linearizable over every generated program and
 * schedule; an increment done as read-then-write by the client is caught.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { call, GenServer, type From, type Pid } from "fauxtp";
import {
  ActorCommand,
  isLinearizable,
  NotLinearizable,
  runConcurrently,
  schedule,
  simulate,
} from "fauxtp/sim";

type Req = "get" | "incr" | ["set", number];

class Counter extends GenServer<number, Req> {
  override init(): number {
    return 0;
  }
  override handleCall(req: Req, _from: From, n: number): readonly [number, number] {
    if (req === "get") return [n, n];
    if (req === "incr") return [n + 1, n + 1];
    return [req[1], req[1]];
  }
}

interface Model {
  value: number;
}

class Get extends ActorCommand<Model, Pid> {
  invoke(real: Pid): Promise<unknown> {
    return call(real, "get");
  }
  apply(model: Model): unknown {
    return model.value;
  }
  toString(): string {
    return "get";
  }
}

/** An atomic increment: the server adds one. */
class Incr extends ActorCommand<Model, Pid> {
  invoke(real: Pid): Promise<unknown> {
    return call(real, "incr");
  }
  apply(model: Model): unknown {
    return ++model.value;
  }
  toString(): string {
    return "incr";
  }
}

/** A racy increment: the client reads, then writes the value plus one. */
class ReadThenWriteIncr extends Incr {
  override async invoke(real: Pid): Promise<unknown> {
    const n = await call<number>(real, "get");
    return call(real, ["set", n + 1]);
  }
  override toString(): string {
    return "incr (read, then write)";
  }
}

function program(incr: () => Incr) {
  return fc.commands([fc.constant(new Get()), fc.constant(null).map(() => incr())], { maxCommands: 6 });
}

const seed = Number(process.env.FAUXTP_SEED ?? 4242);

describe(`model-based fuzzing with concurrent clients (fast-check seed ${seed})`, () => {
  it("an atomic counter is linearizable for every program and schedule", async () => {
    let issued = 0;
    await fc.assert(
      fc.asyncProperty(
        program(() => new Incr()),
        schedule(),
        async (commands, s) => {
          await simulate(
            async (scope) => {
              const real = await Counter.start(scope);
              const history = await runConcurrently(commands, {
                scope,
                real,
                model: () => ({ value: 0 }),
                clients: 3,
              });
              issued += history.length;
            },
            { schedule: s },
          );
        },
      ),
      { numRuns: 150, seed },
    );
    expect(issued).toBeGreaterThan(150);
  });

  it("a read-then-write increment is found not linearizable, with its history", async () => {
    let found: unknown;
    try {
      await fc.assert(
        fc.asyncProperty(
          program(() => new ReadThenWriteIncr()),
          schedule(),
          async (commands, s) => {
            await simulate(
              async (scope) => {
                const real = await Counter.start(scope);
                await runConcurrently(commands, { scope, real, model: () => ({ value: 0 }), clients: 2 });
              },
              { schedule: s },
            );
          },
        ),
        { numRuns: 300, seed },
      );
    } catch (e) {
      found = e;
    }
    expect(found).toBeDefined();
    const cause = (found as Error).cause as Error | undefined;
    const message = `${String((found as Error).message)}\n${String(cause?.message)}`;
    expect(message).toContain("No order of the commands explains their results");
    expect(message).toContain("incr (read, then write)");
  });

  it("runs the same commands sequentially with fast-check's asyncModelRun", async () => {
    await fc.assert(
      fc.asyncProperty(
        program(() => new Incr()),
        async (commands) => {
          const run = await simulate(async (scope) => {
            const real = await Counter.start(scope);
            await fc.asyncModelRun(() => ({ model: { value: 0 }, real }), commands);
            return call<number>(real, "get");
          });
          expect(run.value).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 30, seed },
    );
  });

  it("runConcurrently issues every command once, from the clients, and returns the history", async () => {
    const commands = [new Incr(), new Incr(), new Get(), new Incr(), new Get()];
    const run = await simulate(async (scope) => {
      const real = await Counter.start(scope);
      const history = await runConcurrently(commands, {
        scope,
        real,
        model: () => ({ value: 0 }),
        clients: 2,
      });
      return { history, final: await call<number>(real, "get") };
    });
    expect(run.value.final).toBe(3);
    expect(run.value.history.map((op) => op.command)).toHaveLength(5);
    expect(new Set(run.value.history.map((op) => op.client))).toEqual(new Set([0, 1]));
    for (const op of run.value.history) expect(op.answeredAt).toBeGreaterThan(op.invokedAt);
  });

  it("isLinearizable accepts overlapping operations in either order and rejects impossible results", () => {
    const op = (
      command: ActorCommand<Model, Pid>,
      invokedAt: number,
      answeredAt: number,
      result: unknown,
    ) => ({
      client: 0,
      command,
      invokedAt,
      answeredAt,
      result,
    });
    const model = () => ({ value: 0 });
    // Two overlapping increments may answer 2 then 1.
    expect(isLinearizable([op(new Incr(), 0, 3, 2), op(new Incr(), 1, 2, 1)], model)).toBe(true);
    // Two increments cannot both answer 1: that is a lost update.
    expect(isLinearizable([op(new Incr(), 0, 3, 1), op(new Incr(), 1, 2, 1)], model)).toBe(false);
    // A get that starts after an increment ended must see it.
    expect(isLinearizable([op(new Incr(), 0, 1, 1), op(new Get(), 2, 3, 0)], model)).toBe(false);
    expect(isLinearizable([op(new Incr(), 0, 1, 1), op(new Get(), 2, 3, 1)], model)).toBe(true);
    expect(String(new NotLinearizable([]).message)).toContain("No order of the commands");
  });
});
