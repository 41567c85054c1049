// Measurement and reporting: warm-up, repetitions, medians, the table.

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * A full collection. V8 deoptimizes code that embedded objects the collection frees, so
 * a full collection right before a timed run makes that run re-optimize (2-4x slower on
 * the short workloads, measured): the suite runs one per workload, before the warm-ups.
 */
export function collectGarbage() {
  if (typeof globalThis.gc === "function") {
    globalThis.gc();
    globalThis.gc();
  }
}

/** A young-generation collection: clears the previous run's short-lived garbage, keeps the code. */
export function collectYoungGarbage() {
  if (typeof globalThis.gc === "function") globalThis.gc({ type: "minor" });
}

/** A stopwatch a workload may restart once its setup is done (`timer.start()`). */
class Timer {
  constructor() {
    this.t0 = performance.now();
  }
  start() {
    this.t0 = performance.now();
  }
}

/**
 * Run `fn(n, timer, params)` once; returns { ms, value }. The time runs from the call
 * (or from `timer.start()`, when the workload excludes its setup) to the settled result.
 */
export async function timeOnce(fn, n, params) {
  collectYoungGarbage();
  const timer = new Timer();
  const value = await fn(n, timer, params);
  const ms = performance.now() - timer.t0;
  return { ms, value };
}

// ---------------------------------------------------------------------------
// Formatting.

export function formatNumber(x) {
  if (x === undefined || x === null || Number.isNaN(x)) return "-";
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(2)} G`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(1)} k`;
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

export function formatRatio(r) {
  if (r === undefined || r === null || !Number.isFinite(r)) return "-";
  if (r >= 100) return `${r.toFixed(0)}x`;
  if (r >= 10) return `${r.toFixed(1)}x`;
  return `${r.toFixed(2)}x`;
}

/** Render rows (arrays of strings) as an aligned text table; `right` marks right-aligned columns. */
export function renderTable(header, rows, right) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells) =>
    cells
      .map((c, i) => (right[i] ? (c ?? "").padStart(widths[i]) : (c ?? "").padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  const out = [line(header), widths.map((w) => "-".repeat(w)).join("  ")];
  let group;
  for (const r of rows) {
    if (group !== undefined && r[0] !== "" && r[0] !== group) out.push("");
    if (r[0] !== "") group = r[0];
    out.push(line(r));
  }
  return out.join("\n");
}
