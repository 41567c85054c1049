/**
 * The text of a fuzzing failure: what failed, on which run and seed, the schedule before
 * and after shrinking, the shrunk trace, and one line to paste to replay it.
 */
import { render } from "../src/index.js";
import type { FoundFailure } from "./fuzz.js";
import { formatTrace } from "./trace.js";

/** Where the failure was found, to build the replay command. */
export interface ReportContext {
  /** The property's name. */
  readonly name: string;
  /** Runs that were planned. */
  readonly runs: number;
  /** The seed of the first run, when the runs were seeded. */
  readonly baseSeed?: number;
  /** The test file, relative to the project root, if known. */
  readonly file?: string;
  /** Where the full trace was written, if it was. */
  readonly traceFile?: string;
  /** Events of the trace to show inline (default 80). */
  readonly traceLimit?: number;
  /** The command that replays a token, when not the vitest one (e.g. a program's own). */
  readonly replayWith?: (token: string) => string;
}

/** Escape a test name for vitest's `-t` (a regular expression) inside double quotes in a shell. */
export function shellPattern(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/(["$`\\])/g, "\\$1");
}

/** The one line that replays a failure. */
export function replayCommand(token: string, context: ReportContext): string {
  if (context.replayWith !== undefined) return context.replayWith(token);
  const file = context.file ?? "<test file>";
  return `FAUXTP_REPLAY=${token} npx vitest run ${file} -t "${shellPattern(context.name)}"`;
}

/** The error as one or more lines: name, message, and the first lines of its stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const frames = (error.stack ?? "")
      .split("\n")
      .slice(1)
      .filter((l) => /^\s+at /.test(l))
      .slice(0, 4);
    return [`${error.name}: ${error.message}`, ...frames].join("\n");
  }
  return `thrown: ${render(error, 200)}`;
}

const indent = (text: string, by = "  "): string =>
  text
    .split("\n")
    .map((l) => by + l)
    .join("\n");

/** The full failure message. */
export function formatFailure(f: FoundFailure, context: ReportContext): string {
  const lines: string[] = [];
  const base = context.baseSeed !== undefined ? `, runs seeded from ${context.baseSeed}` : "";
  const where =
    context.runs === 1 && context.baseSeed === undefined
      ? "on its replay"
      : `on run ${f.run + 1} of ${context.runs} (seed ${f.seed}${base})`;
  lines.push(`fuzz "${context.name}" failed ${where}.`);
  if (f.nondeterminism !== undefined) {
    lines.push(
      "",
      "The body is not deterministic: the same schedule gave two different traces, first at " +
        f.nondeterminism,
      "Usual causes: Date.now(), Math.random(), a real timer (setTimeout) or real I/O in the code under test.",
      "Use now(), random() and sleep() from fauxtp so that the simulator owns time and randomness.",
    );
  }
  if (f.divergence !== undefined) {
    lines.push("", `The replay did not fit the code (it went on with default decisions): ${f.divergence}`);
  }
  lines.push("", "Error:", indent(describeError(f.shrunk.error)));
  if (f.original !== f.shrunk) {
    lines.push(
      "",
      `Schedule: ${f.original.departures} departure(s) from the default order, shrunk to ${f.shrunk.departures} (${f.shrinkRuns} runs).`,
    );
  } else {
    lines.push("", `Schedule: ${f.shrunk.departures} departure(s) from the default order.`);
  }
  const limit = context.traceLimit ?? 80;
  const file = context.traceFile !== undefined ? `; the full trace is in ${context.traceFile}` : "";
  lines.push(
    "",
    `Trace of the ${f.original !== f.shrunk ? "shrunk " : ""}schedule (${f.shrunk.trace.length} events${file}):`,
    indent(formatTrace(f.shrunk.trace, { limit, hideSends: true })),
    "",
    "Replay it with:",
    `  ${replayCommand(f.shrunk.replay, context)}`,
  );
  return lines.join("\n");
}
