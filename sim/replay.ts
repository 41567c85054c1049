/**
 * Replay tokens: `fx2.` and the base64url of `{ seed, slack, max, dep }`, where `dep`
 * lists the departures from the default order by event name. Shell-safe, so that a
 * token can be pasted as `FAUXTP_REPLAY=<token>`.
 */
import type { Departure } from "./strategy.js";

export interface ReplayData {
  readonly seed: number;
  readonly timerSlackMs: number;
  readonly maxSteps: number;
  readonly departures: readonly Departure[];
}

const PREFIX = "fx2.";

export function encodeReplay(data: ReplayData): string {
  const json = JSON.stringify({
    seed: data.seed,
    slack: data.timerSlackMs,
    max: data.maxSteps,
    dep: data.departures.map((d) => [d.at, d.pick]),
  });
  return PREFIX + Buffer.from(json, "utf8").toString("base64url");
}

function bad(text: string, why: string): never {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  throw new TypeError(`simulate: replay ${JSON.stringify(shown)} does not parse: ${why}`);
}

export function decodeReplay(text: unknown): ReplayData {
  if (typeof text !== "string") throw new TypeError(`simulate: replay must be a string, got ${typeof text}`);
  const t = text.trim();
  if (!t.startsWith(PREFIX)) bad(t, `expected a token that starts with "${PREFIX}"`);
  const body = t.slice(PREFIX.length);
  if (!/^[A-Za-z0-9_-]*$/.test(body)) bad(t, "it is not base64url after the prefix");
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    bad(t, "its content is not valid (truncated or altered?)");
  }
  const o = raw as { seed?: unknown; slack?: unknown; max?: unknown; dep?: unknown };
  if (typeof o !== "object" || o === null) bad(t, "its content is not an object");
  const { seed, slack, max, dep } = o;
  if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0)
    bad(t, "its seed is not a non-negative integer");
  if (typeof slack !== "number" || !(slack >= 0)) bad(t, "its timer slack is not a non-negative number");
  if (typeof max !== "number" || !Number.isSafeInteger(max) || max <= 0)
    bad(t, "its maxSteps is not a positive integer");
  if (!Array.isArray(dep)) bad(t, "its departures are not a list");
  const departures: Departure[] = dep.map((d: unknown, i) => {
    if (!Array.isArray(d) || d.length !== 2 || typeof d[0] !== "string" || typeof d[1] !== "string") {
      bad(t, `departure ${i + 1} is not a pair of event names`);
    }
    return { at: d[0], pick: d[1] };
  });
  return { seed, timerSlackMs: slack, maxSteps: max, departures };
}
