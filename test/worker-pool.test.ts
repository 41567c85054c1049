import { describe, expect, it } from "vitest";
import { explore, simulate } from "fauxtp/sim";
import { fuzz } from "fauxtp/vitest";
import { workerPoolScenario } from "../examples/worker-pool.js";

describe("a worker pool under a supervisor", () => {
  it("the default order hides the lost job of the racy dispatcher", async () => {
    const run = await simulate(workerPoolScenario("racy"), { schedule: [] });
    expect(Object.values(run.value.completions)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("fuzzing finds the job the racy dispatcher loses when a worker crashes, and shrinks it", async () => {
    const report = await explore(workerPoolScenario("racy"), { runs: 300 });
    const failure = report.failure;
    expect(failure).toBeDefined();
    if (failure === undefined) return;
    expect(String(failure.shrunk.error)).toContain("every job must complete exactly once, but j2 was lost");
    expect(failure.nondeterminism).toBeUndefined();
    expect(failure.shrunk.departures).toBeLessThanOrEqual(failure.original.departures);
    expect(failure.shrunk.departures).toBeGreaterThan(0);
    // The token reproduces the shrunk failure byte for byte.
    await expect(
      simulate(workerPoolScenario("racy"), { replay: failure.shrunk.replay }),
    ).rejects.toMatchObject({ trace: failure.shrunk.trace });
  });

  fuzz("the fixed dispatcher completes every job exactly once", workerPoolScenario("fixed"), { runs: 200 });
});
