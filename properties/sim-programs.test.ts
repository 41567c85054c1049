/**
 * Properties of the simulator over random actor programs and simulation seeds:
 * determinism, per-pair FIFO, monotonic time, timers on time, and a correct protocol
 * (casts then a call from the same sender) always ending with the right sums.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatTrace, simulate, type SimulationResult } from "fauxtp/sim";
import { earlyTimers, fifoViolations, timeGoesBack } from "../test/sim-support.js";
import { FC_SEED, params } from "./sim-config.js";
import { bodyOf, programArb, type ProgramResult } from "./sim-programs.js";

const simSeed = fc.nat({ max: 1_000_000 });

/** Fails with the seed, the replay and the end of the trace when `problems` is not empty. */
function check(run: SimulationResult<unknown>, what: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  throw new Error(
    `${what} (simulation seed ${run.seed}, replay ${run.replay}):\n  ${problems.slice(0, 5).join("\n  ")}\n` +
      formatTrace(run.trace, { limit: 30 }),
  );
}

describe(`simulator properties over random programs (fc seed ${FC_SEED})`, () => {
  it(`the same program and seed give the same traceHash (fc seed ${FC_SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(programArb(), simSeed, async (program, seed) => {
        const a = await simulate(bodyOf(program), { seed });
        const b = await simulate(bodyOf(program), { seed });
        expect(b.traceHash).toBe(a.traceHash);
        expect(b.trace).toEqual(a.trace);
        expect(b.value).toEqual(a.value);
        expect(b.steps).toBe(a.steps);
        const replayed = await simulate(bodyOf(program), { replay: a.replay });
        expect(replayed.traceHash).toBe(a.traceHash);
      }),
      params(200),
    );
  });

  it(`deliveries keep per-pair FIFO order, in the trace and as the receivers see it (fc seed ${FC_SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(programArb(), simSeed, async (program, seed) => {
        const run = await simulate(bodyOf(program), { seed });
        check(run, "trace: per-pair reordering", fifoViolations(run.trace));
        check(
          run,
          "receivers: per-pair reordering",
          run.value.nodes.flatMap((n) => n.violations),
        );
      }),
      params(300),
    );
  });

  it(`virtual time never goes back and no timer fires early (fc seed ${FC_SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(programArb(), simSeed, async (program, seed) => {
        const run = await simulate(bodyOf(program), { seed });
        check(run, "time went back", timeGoesBack(run.trace));
        check(run, "a sleep fired before its deadline", earlyTimers(run.trace));
        check(run, "a client saw an early timer or a wrong reply", run.value.violations);
        expect(run.virtualTimeMs).toBe(run.trace[run.trace.length - 1]?.time);
      }),
      params(300),
    );
  });

  it(`casts then a call from the same sender: the sums are always right (fc seed ${FC_SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(
        programArb(),
        fc.array(simSeed, { minLength: 3, maxLength: 3 }),
        async (program, seeds) => {
          const body = bodyOf(program);
          for (const seed of seeds) {
            const run = await simulate(body, { seed });
            const v: ProgramResult = run.value;
            expect(
              v.nodes.map((n) => n.sum),
              `simulation seed ${seed}, replay ${run.replay}`,
            ).toEqual(v.expectedSums);
          }
        },
      ),
      params(150),
    );
  });
});
