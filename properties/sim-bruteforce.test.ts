/**
 * Brute force: for tiny programs (2–3 senders, 1–2 messages each, one receiver), every
 * legal arrival order (any interleaving that keeps each sender's order) is reached by
 * some seed, and no other order ever shows up.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simulate } from "fauxtp/sim";
import { interleavings, unsound } from "../test/sim-support.js";
import { FC_SEED, params } from "./sim-config.js";
import { lanesOf, tinyBody, type TinyProgram } from "./sim-orders.js";

/**
 * Seeds allowed to reach every order. Measured: up to 12 orders take at most ~60 seeds;
 * 30 orders (2+2+1 messages) up to ~1,500 from an unlucky start (the rarest order has a
 * rate near 0.4%); 90 orders (2+2+2) up to ~1,500 (rarest near 0.22%). The budgets leave
 * a wide margin over those rates.
 */
const budgetFor = (orders: number): number => (orders <= 12 ? 300 : orders <= 30 ? 3_000 : 5_000);

/** Seeds from `start` until every order in `legal` was seen (or the budget runs out). */
async function reach(
  program: TinyProgram,
  legal: ReadonlySet<string>,
  start: number,
): Promise<{ seen: Map<string, number>; used: number; illegal: string[]; unsound: string[] }> {
  const body = tinyBody(program);
  const seen = new Map<string, number>();
  const illegal: string[] = [];
  const problems: string[] = [];
  const budget = budgetFor(legal.size);
  let used = 0;
  while (used < budget && seen.size < legal.size) {
    const seed = start + used++;
    const run = await simulate(body, { seed });
    if (!legal.has(run.value)) illegal.push(`seed ${seed}: ${run.value}`);
    else if (!seen.has(run.value)) seen.set(run.value, seed);
    for (const p of unsound(run.trace)) problems.push(`seed ${seed}: ${p}`);
  }
  return { seen, used, illegal, unsound: problems };
}

function describeProgram(p: TinyProgram): string {
  return `${p.senders.join("+")} messages, ${p.style} → ${p.receiver}`;
}

describe(`brute force: every legal delivery order is reached (fc seed ${FC_SEED})`, () => {
  it("the enumeration of legal orders is right", () => {
    expect(interleavings([["a1", "a2"], ["b1"]]).map((o) => o.join(" "))).toEqual([
      "a1 a2 b1",
      "a1 b1 a2",
      "b1 a1 a2",
    ]);
    expect(
      interleavings([
        ["a1", "a2"],
        ["b1", "b2"],
        ["c1", "c2"],
      ]),
    ).toHaveLength(90);
    expect(interleavings([["a1", "a2"], ["b1", "b2"], ["c1"]])).toHaveLength(30);
  });

  it("with up to 12 orders, the first 300 seeds reach them all", async () => {
    const shapes = [
      [1, 1],
      [2, 1],
      [1, 2],
      [2, 2],
      [1, 1, 1],
      [2, 1, 1],
      [1, 1, 2],
    ];
    for (const senders of shapes) {
      for (const style of ["tasks", "servers", "sleepy"] as const) {
        const program: TinyProgram = { senders, style, receiver: "inbox" };
        const legal = new Set(interleavings(lanesOf(program)).map((o) => o.join(" ")));
        expect(legal.size).toBeLessThanOrEqual(12);
        const r = await reach(program, legal, 0);
        expect(r.illegal, describeProgram(program)).toEqual([]);
        expect(r.unsound, describeProgram(program)).toEqual([]);
        const missing = [...legal].filter((o) => !r.seen.has(o));
        expect(missing, `${describeProgram(program)}: not reached in ${r.used} seeds`).toEqual([]);
        expect(r.used).toBeLessThanOrEqual(300);
      }
    }
  });

  it(`random tiny programs and seed windows reach every order, never another (fc seed ${FC_SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          senders: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 2, maxLength: 3 }),
          style: fc.constantFrom("tasks" as const, "servers" as const, "sleepy" as const),
          receiver: fc.constantFrom("inbox" as const, "actor" as const),
        }),
        fc.nat({ max: 1_000_000 }),
        async (program, start) => {
          const legal = new Set(interleavings(lanesOf(program)).map((o) => o.join(" ")));
          const r = await reach(program, legal, start);
          const where = `${describeProgram(program)}, seeds from ${start}`;
          expect(r.illegal, where).toEqual([]);
          expect(r.unsound, where).toEqual([]);
          const missing = [...legal].filter((o) => !r.seen.has(o));
          expect(missing, `${where}: not reached in ${r.used} seeds`).toEqual([]);
        },
      ),
      params(60),
    );
  });
});
