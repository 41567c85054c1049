/**
 * fauxtp/vitest: `fuzz`, a vitest test that runs an actor protocol over many simulated
 * schedules, shrinks a failing one and prints a line to replay it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "vitest";
import type { Scope } from "../src/index.js";
import { explore, type ExploreOptions, type FoundFailure } from "./fuzz.js";
import { formatFailure, replayCommand } from "./report.js";
import { formatTrace } from "./trace.js";

/** Options of `fuzz`. */
export interface FuzzOptions extends Omit<ExploreOptions, "replay" | "onRun"> {
  /** The vitest timeout of the test, in ms (default 120,000). */
  timeout?: number;
}

/** The error a failing `fuzz` test fails with; its message is the whole report. */
export class FuzzFailure extends Error {
  override name = "FuzzFailure";
  readonly failure: FoundFailure;
  constructor(message: string, failure: FoundFailure) {
    super(message, { cause: failure.shrunk.error });
    this.failure = failure;
  }
}

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new TypeError(`fuzz: ${name} must be a non-negative integer, got "${v}"`);
  return n;
}

const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60) || "fuzz";

/**
 * Register a vitest test that runs `body` under the simulator for `runs` schedules
 * (default 100). `FAUXTP_RUNS` overrides `runs`, `FAUXTP_SEED` sets the first seed, and
 * `FAUXTP_REPLAY=<token>` runs exactly that schedule once. A failure's message holds the
 * run and its seed, the schedule's size before and after shrinking, the shrunk trace, the
 * original error and the line to paste to replay it; the full trace goes to `.fauxtp/`.
 * @example
 * fuzz("transfers never lose money", async (scope) => { ... }, { runs: 300 });
 */
export function fuzz(name: string, body: (scope: Scope) => unknown, options: FuzzOptions = {}): void {
  if (typeof name !== "string" || name === "") throw new TypeError("fuzz: expected a non-empty name");
  if (typeof body !== "function") throw new TypeError(`fuzz: expected a body function, got ${typeof body}`);
  const { timeout = 120_000, ...explored } = options;
  test(
    name,
    async (ctx) => {
      const replay = process.env.FAUXTP_REPLAY;
      const runs =
        replay !== undefined && replay !== "" ? 1 : (envInt("FAUXTP_RUNS") ?? explored.runs ?? 100);
      const seed = envInt("FAUXTP_SEED") ?? explored.seed ?? 0;
      const file = relative(process.cwd(), ctx.task.file.filepath);
      const report = await explore(body, {
        ...explored,
        runs,
        seed,
        ...(replay !== undefined && replay !== "" ? { replay } : {}),
      });
      const failure = report.failure;
      if (failure === undefined) {
        if (report.divergence !== undefined) {
          process.stderr.write(`fuzz "${name}": the replay did not fit the code: ${report.divergence}\n`);
        }
        return;
      }
      const traceFile = join(".fauxtp", `${slug(name)}-seed${failure.seed}.trace.txt`);
      const replaying = replay !== undefined && replay !== "";
      const context = replaying
        ? { name, runs, file, traceFile }
        : { name, runs, file, traceFile, baseSeed: seed };
      try {
        mkdirSync(".fauxtp", { recursive: true });
        writeFileSync(
          traceFile,
          [
            `fuzz "${name}" in ${file}, seed ${failure.seed}`,
            `replay: ${replayCommand(failure.shrunk.replay, context)}`,
            "",
            formatTrace(failure.shrunk.trace),
            "",
          ].join("\n"),
        );
      } catch {
        // The report still carries the trace inline.
      }
      throw new FuzzFailure(formatFailure(failure, context), failure);
    },
    timeout,
  );
}

export { explore } from "./fuzz.js";
export { assertReceives, Collector, TimeoutError, waitFor, withTimeout } from "../src/index.js";
export type { ExploreOptions, ExploreReport, FoundFailure } from "./fuzz.js";
