/**
 * Model-based fuzzing of actor protocols with commands issued concurrently.
 *
 * fast-check's `asyncModelRun` runs commands one after another, which hides races.
 * `runConcurrently` hands the commands to several client tasks that issue them at the
 * same time (under the simulator, in the order the schedule says), records when each
 * was invoked and answered, and checks that the results are linearizable: that some
 * order of the commands, consistent with those times, gives the same results on the
 * model.
 */
import { isDeepStrictEqual } from "node:util";
import type fc from "fast-check";
import { render, Task, type Scope } from "../src/index.js";

/**
 * A command against an actor system (`Real`) and its model (`Model`). Works both with
 * `runConcurrently` and, sequentially, with fast-check's `asyncModelRun`.
 */
export abstract class ActorCommand<Model extends object, Real> implements fc.AsyncCommand<
  Model,
  Real,
  false
> {
  /** Issue the command to the real system; resolve with what it answered. */
  abstract invoke(real: Real): Promise<unknown>;
  /** Apply the command to the model (mutating it) and return the answer it expects. */
  abstract apply(model: Model): unknown;
  abstract toString(): string;

  /** Every command applies in every state unless overridden. */
  check(_model: Readonly<Model>): boolean {
    return true;
  }

  /** The sequential run used by `fc.asyncModelRun`. */
  async run(model: Model, real: Real): Promise<void> {
    const expected = this.apply(model);
    const actual = await this.invoke(real);
    if (!isDeepStrictEqual(actual, expected)) {
      throw new Error(`${this.toString()} answered ${render(actual)}, the model expects ${render(expected)}`);
    }
  }
}

/** One command of a concurrent run, as recorded. */
export interface Operation<Model extends object, Real> {
  readonly client: number;
  readonly command: ActorCommand<Model, Real>;
  /** Logical time of the invocation and of the answer. */
  readonly invokedAt: number;
  readonly answeredAt: number;
  /** The answer, or the error it threw (as `{ error }`). */
  readonly result: unknown;
}

/** Options of `runConcurrently`. */
export interface ConcurrentOptions<Model extends object, Real> {
  /** The scope to run the client tasks in. */
  scope: Scope;
  /** The system under test. */
  real: Real;
  /** A fresh model in its initial state. */
  model: () => Model;
  /** Client tasks issuing the commands (default 2); command i goes to client i mod clients. */
  clients?: number;
}

/** The results of a concurrent run are not explained by any order of the commands. */
export class NotLinearizable extends Error {
  override name = "NotLinearizable";
  readonly history: readonly Operation<object, unknown>[];
  constructor(history: readonly Operation<object, unknown>[]) {
    super(`No order of the commands explains their results:\n${formatHistory(history)}`);
    this.history = history;
  }
}

/** A history as lines: client, times and result of each command. */
export function formatHistory(history: readonly Operation<object, unknown>[]): string {
  return [...history]
    .sort((a, b) => a.invokedAt - b.invokedAt)
    .map(
      (op) =>
        `  client ${op.client}  [${op.invokedAt}, ${op.answeredAt}]  ${op.command.toString()} → ${render(op.result)}`,
    )
    .join("\n");
}

/**
 * Issue `commands` concurrently from several client tasks, then check the history for
 * linearizability against the model.
 * @throws NotLinearizable with the history when no order of the commands explains it.
 * @example
 * fc.assert(fc.asyncProperty(fc.commands([incr, get]), schedule(), async (cmds, s) => {
 *   await simulate(async (scope) => {
 *     const real = await Counter.start(scope);
 *     await runConcurrently(cmds, { scope, real, model: () => ({ value: 0 }) });
 *   }, { schedule: s });
 * }));
 */
export async function runConcurrently<Model extends object, Real>(
  commands: Iterable<ActorCommand<Model, Real> | fc.AsyncCommand<Model, Real, boolean>>,
  options: ConcurrentOptions<Model, Real>,
): Promise<Operation<Model, Real>[]> {
  const { scope, real, model, clients = 2 } = options;
  if (!Number.isSafeInteger(clients) || clients < 1) {
    throw new TypeError(`runConcurrently: clients must be a positive integer, got ${render(clients)}`);
  }
  const lists: ActorCommand<Model, Real>[][] = Array.from({ length: clients }, () => []);
  let i = 0;
  for (const c of commands) (lists[i++ % clients] as ActorCommand<Model, Real>[]).push(unwrap(c));
  let clock = 0;
  const history: Operation<Model, Real>[] = [];
  const tasks = await Promise.all(
    lists.map((list, client) =>
      Task.spawn(scope, async () => {
        for (const command of list) {
          const invokedAt = clock++;
          let result: unknown;
          try {
            result = await command.invoke(real);
          } catch (error) {
            result = { error: error instanceof Error ? `${error.name}: ${error.message}` : render(error) };
          }
          history.push({ client, command, invokedAt, answeredAt: clock++, result });
        }
      }),
    ),
  );
  for (const t of tasks) await t.join();
  if (!isLinearizable(history, model)) throw new NotLinearizable(history);
  return history;
}

/**
 * The command inside fast-check's wrapper (`fc.commands` wraps each one), marked as run
 * so that fast-check prints it in a counterexample.
 */
function unwrap<Model extends object, Real>(
  c: ActorCommand<Model, Real> | fc.AsyncCommand<Model, Real, boolean>,
): ActorCommand<Model, Real> {
  const wrapper = c as unknown as { cmd?: unknown; hasRan?: boolean };
  if (!(c instanceof ActorCommand) && wrapper.cmd instanceof ActorCommand) {
    wrapper.hasRan = true;
    return wrapper.cmd as ActorCommand<Model, Real>;
  }
  if (!(c instanceof ActorCommand)) {
    throw new TypeError(`runConcurrently: expected commands that extend ActorCommand, got ${render(c)}`);
  }
  return c;
}

/** Whether some order of `history`, consistent with invocation and answer times, explains every result. */
export function isLinearizable<Model extends object, Real>(
  history: readonly Operation<Model, Real>[],
  model: () => Model,
): boolean {
  const ops = [...history].sort((a, b) => a.invokedAt - b.invokedAt);
  const n = ops.length;
  const seen = new Set<string>();
  const search = (done: bigint, state: Model): boolean => {
    if (done === (1n << BigInt(n)) - 1n) return true;
    const key = `${done}|${JSON.stringify(state)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    // The earliest answer among the pending ops bounds which of them may go first.
    let horizon = Infinity;
    for (let k = 0; k < n; k++) {
      if ((done & (1n << BigInt(k))) === 0n)
        horizon = Math.min(horizon, (ops[k] as Operation<Model, Real>).answeredAt);
    }
    for (let k = 0; k < n; k++) {
      const op = ops[k] as Operation<Model, Real>;
      if ((done & (1n << BigInt(k))) !== 0n || op.invokedAt > horizon) continue;
      const next = structuredClone(state);
      let expected: unknown;
      try {
        expected = op.command.apply(next);
      } catch (error) {
        expected = { error: error instanceof Error ? `${error.name}: ${error.message}` : render(error) };
      }
      if (isDeepStrictEqual(expected, op.result) && search(done | (1n << BigInt(k)), next)) return true;
    }
    return false;
  };
  return search(0n, model());
}
