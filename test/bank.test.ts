import { describe, expect, it } from "vitest";
import { explore, simulate } from "fauxtp/sim";
import { fuzz } from "fauxtp/vitest";
import { bankScenario } from "../examples/bank.js";

describe("bank transfers", () => {
  it("fuzzing finds the lost update of the racy transfer and shrinks it", async () => {
    const report = await explore(bankScenario("racy"), { runs: 200 });
    const failure = report.failure;
    expect(failure).toBeDefined();
    if (failure === undefined) return;
    expect(String(failure.shrunk.error)).toContain("money is not conserved");
    expect(failure.nondeterminism).toBeUndefined();
    expect(failure.shrunk.departures).toBeLessThanOrEqual(failure.original.departures);
    expect(failure.shrunk.departures).toBeGreaterThan(0);
    // The token reproduces the shrunk failure byte for byte.
    await expect(simulate(bankScenario("racy"), { replay: failure.shrunk.replay })).rejects.toMatchObject({
      trace: failure.shrunk.trace,
    });
  });

  fuzz("the fixed transfer conserves money", bankScenario("fixed"), { runs: 200 });
});
