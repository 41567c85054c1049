import { describe, expect, it } from "vitest";
import { explore, simulate } from "fauxtp/sim";
import { fuzz } from "fauxtp/vitest";
import { cacheScenario } from "../examples/cache.js";

describe("a cache in front of a store", () => {
  it("the default order hides the stale read of the naive cache", async () => {
    const run = await simulate(cacheScenario("racy"), { schedule: [] });
    expect(run.value).toBe(12);
  });

  it("fuzzing finds the stale read of the naive cache and shrinks it", async () => {
    const report = await explore(cacheScenario("racy"), { runs: 300 });
    const failure = report.failure;
    expect(failure).toBeDefined();
    if (failure === undefined) return;
    expect(String(failure.shrunk.error)).toContain("stale read: the cache serves price = 10");
    expect(failure.nondeterminism).toBeUndefined();
    expect(failure.shrunk.departures).toBeLessThanOrEqual(failure.original.departures);
    expect(failure.shrunk.departures).toBeGreaterThan(0);
    // The token reproduces the shrunk failure byte for byte.
    await expect(simulate(cacheScenario("racy"), { replay: failure.shrunk.replay })).rejects.toMatchObject({
      trace: failure.shrunk.trace,
    });
  });

  fuzz("the versioned cache never serves a value older than a completed write", cacheScenario("fixed"), {
    runs: 200,
  });
});
