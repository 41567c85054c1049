/**
 * A correct protocol always ends with the right result, whatever the schedule: a
 * pipeline of stages (some slow, sleeping per item) keeps each source's items in order
 * (per-pair FIFO, hop by hop) and transforms every item exactly once; a request-reply
 * fan-out routes every reply to its caller.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GenServer, Task, call, on, send, sleep, type From, type Pid } from "fauxtp";
import { simulate } from "fauxtp/sim";
import { unsound } from "../test/sim-support.js";
import { FC_SEED, params } from "./sim-config.js";

type Item = ["item", string, number, number];

/** Applies `v → 2v + index` to each item and passes it on, sleeping first when slow. */
class Stage extends GenServer<null> {
  private readonly index: number;
  private readonly next: Pid;
  private readonly delays: readonly number[];
  constructor(index: number, next: Pid, delays: readonly number[]) {
    super();
    this.index = index;
    this.next = next;
    this.delays = delays;
  }
  override init(): null {
    return null;
  }
  override async handleInfo(message: unknown): Promise<null> {
    const [, source, seq, value] = message as Item;
    const delay = this.delays[seq % Math.max(1, this.delays.length)] ?? 0;
    if (delay > 0) await sleep(delay);
    send(this.next, ["item", source, seq, value * 2 + this.index] satisfies Item);
    return null;
  }
}

const pipelineArb = fc.record({
  /** Per stage, the sleeps it takes per item (cycled). */
  stages: fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }), {
    minLength: 1,
    maxLength: 4,
  }),
  /** Per source, its items' starting values. */
  sources: fc.array(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 5 }), {
    minLength: 1,
    maxLength: 3,
  }),
});

describe(`correct protocols always end right (fc seed ${FC_SEED})`, () => {
  it(`a pipeline delivers every item once, transformed, each source in order (fc seed ${FC_SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(pipelineArb, fc.nat({ max: 1_000_000 }), async ({ stages, sources }, seed) => {
        const run = await simulate(
          async (scope) => {
            const sink = scope.inbox();
            let next = sink.pid;
            for (let i = stages.length - 1; i >= 0; i--) {
              next = await Stage.start(scope, i, next, stages[i] as number[]);
            }
            const head = next;
            for (const [s, values] of sources.entries()) {
              await Task.spawn(scope, () => {
                values.forEach((v, seq) => send(head, ["item", `s${s}`, seq, v] satisfies Item));
              });
            }
            const total = sources.reduce((n, vs) => n + vs.length, 0);
            const got: [string, number, number][] = [];
            for (let i = 0; i < total; i++) {
              got.push(
                await sink.receive(
                  on(
                    ["item", String, Number, Number],
                    (src: string, seq: number, v: number): [string, number, number] => [src, seq, v],
                  ),
                ),
              );
            }
            return got;
          },
          { seed },
        );
        expect(unsound(run.trace)).toEqual([]);
        const transform = (v: number): number => stages.reduce((x, _d, i) => x * 2 + i, v);
        for (const [s, values] of sources.entries()) {
          const mine = run.value.filter(([src]) => src === `s${s}`);
          expect(
            mine.map(([, seq, v]) => [seq, v]),
            `simulation seed ${seed}, replay ${run.replay}`,
          ).toEqual(values.map((v, seq) => [seq, transform(v)]));
        }
      }),
      params(200),
    );
  });

  it(`concurrent callers each get their own reply (fc seed ${FC_SEED})`, async () => {
    class Echo extends GenServer<number, ["echo", number, number]> {
      override init(): number {
        return 0;
      }
      override async handleCall(
        [, id, delay]: ["echo", number, number],
        _from: From,
        handled: number,
      ): Promise<readonly [number, number]> {
        if (delay > 0) await sleep(delay);
        return [id, handled + 1];
      }
    }
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.nat({ max: 1_000_000 }),
        async (callers, seed) => {
          const run = await simulate(
            async (scope) => {
              const servers = [await Echo.start(scope), await Echo.start(scope)];
              const tasks = await Promise.all(
                callers.map((delays, c) =>
                  Task.spawn(scope, async () => {
                    const replies = await Promise.all(
                      delays.map((d, k) =>
                        call<number>(servers[(c + k) % 2] as Pid, ["echo", c * 100 + k, d], Infinity),
                      ),
                    );
                    return replies;
                  }),
                ),
              );
              const out: number[][] = [];
              for (const t of tasks) out.push(await t.join());
              return out;
            },
            { seed },
          );
          expect(run.value, `simulation seed ${seed}`).toEqual(
            callers.map((ds, c) => ds.map((_d, k) => c * 100 + k)),
          );
        },
      ),
      params(200),
    );
  });
});
