import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatTrace, simulate, SimulationFailure } from "fauxtp/sim";
import { twoIncrements } from "../examples/lost-update.js";
import { call } from "fauxtp";
import { Counter, quickstart } from "../examples/quickstart.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("shows the quick start exactly as examples/quickstart.ts has it", () => {
    const source = readFileSync(new URL("../examples/quickstart.ts", import.meta.url), "utf8").trim();
    expect(readme).toContain(source);
  });

  it("the quick start runs as written", async () => {
    expect(await quickstart()).toEqual({ popped: 1, count: 3 });
  });

  it("the Counter of the quick start runs under simulate, as the README's Simulate section shows", async () => {
    const run = await simulate(
      async (scope) => {
        const pid = await Counter.start(scope);
        await Promise.all([call(pid, ["add", 1]), call(pid, ["add", 2])]);
        return call<number>(pid, "get");
      },
      { seed: 42 },
    );
    expect(run.value).toBe(3);
    expect(run.seed).toBe(42);
  });

  it("shows the trace that examples/lost-update.ts prints for the first failing seed", async () => {
    for (let seed = 0; seed < 100; seed++) {
      const failure = await simulate(twoIncrements, { seed }).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (failure === undefined) continue;
      expect(failure).toBeInstanceOf(SimulationFailure);
      expect(readme).toContain(`Seed ${seed} fails.`);
      expect(readme).toContain(formatTrace((failure as SimulationFailure).trace, { hideSends: true }));
      return;
    }
    throw new Error("no seed below 100 finds the lost update");
  });

  it("names the two set-up commands", () => {
    expect(readme).toContain("npm ci && npm run demo");
    expect(readme).toContain("npm ci && npm test");
  });
});
