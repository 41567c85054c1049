/**
 * Replay strings: `fauxtp1:<seed>:<timerSlackMs>:<maxSteps>:<decisions>`, where decisions
 * are `index/count` tokens, run-length encoded as `index/count*times`.
 */
import type { Decision } from "./strategy.js";

export interface ReplayData {
  readonly seed: number;
  readonly timerSlackMs: number;
  readonly maxSteps: number;
  readonly decisions: readonly Decision[];
}

const PREFIX = "fauxtp1";

export function encodeReplay(data: ReplayData): string {
  const tokens: string[] = [];
  const ds = data.decisions;
  for (let i = 0; i < ds.length;) {
    const d = ds[i] as Decision;
    let j = i + 1;
    while (j < ds.length && (ds[j] as Decision).index === d.index && (ds[j] as Decision).count === d.count)
      j++;
    const base = `${d.index.toString(36)}/${d.count.toString(36)}`;
    tokens.push(j - i > 1 ? `${base}*${(j - i).toString(36)}` : base);
    i = j;
  }
  return `${PREFIX}:${data.seed}:${data.timerSlackMs}:${data.maxSteps}:${tokens.join(".")}`;
}

function bad(text: string, why: string): never {
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  throw new TypeError(`simulate: replay ${JSON.stringify(shown)} does not parse: ${why}`);
}

export function decodeReplay(text: unknown): ReplayData {
  if (typeof text !== "string") throw new TypeError(`simulate: replay must be a string, got ${typeof text}`);
  const parts = text.trim().split(":");
  if (parts.length !== 5 || parts[0] !== PREFIX)
    bad(text, `expected ${PREFIX}:<seed>:<slack>:<maxSteps>:<decisions>`);
  const [, seedText, slackText, maxText, body] = parts as [string, string, string, string, string];
  const seed = Number(seedText);
  const timerSlackMs = Number(slackText);
  const maxSteps = Number(maxText);
  if (!Number.isSafeInteger(seed) || seed < 0)
    bad(text, `seed ${JSON.stringify(seedText)} is not a non-negative integer`);
  if (!(timerSlackMs >= 0))
    bad(text, `timer slack ${JSON.stringify(slackText)} is not a non-negative number`);
  if (!Number.isSafeInteger(maxSteps) || maxSteps <= 0)
    bad(text, `maxSteps ${JSON.stringify(maxText)} is not a positive integer`);
  const decisions: Decision[] = [];
  if (body !== "") {
    for (const token of body.split(".")) {
      const m = /^([0-9a-z]+)\/([0-9a-z]+)(?:\*([0-9a-z]+))?$/.exec(token);
      if (m === null) bad(text, `decision ${JSON.stringify(token)} is not index/count[*times]`);
      const index = parseInt(m[1] as string, 36);
      const count = parseInt(m[2] as string, 36);
      const times = m[3] === undefined ? 1 : parseInt(m[3], 36);
      if (!(index < count) || count < 2 || times < 1)
        bad(text, `decision ${JSON.stringify(token)} is out of range`);
      for (let k = 0; k < times; k++) decisions.push({ index, count });
    }
  }
  return { seed, timerSlackMs, maxSteps, decisions };
}
