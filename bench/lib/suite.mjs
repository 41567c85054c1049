// The benchmark suite: every workload for every implementation in this one process,
// warm-up then repetitions, medians; one table; results as JSON.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { collectGarbage, formatNumber, formatRatio, median, renderTable, timeOnce } from "./harness.mjs";

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const IMPLS = ["baseline", "fauxtp", "nact", "xstate", "effect"];

/** The actor workloads (Savina-derived). `size` is the full run, `quick` the smoke run. */
const ACTOR_WORKLOADS = [
  { id: "call", title: "call round trips", unit: "calls/s", size: 200_000, quick: 20_000 },
  { id: "cast", title: "casts, then one call", unit: "casts/s", size: 1_000_000, quick: 100_000 },
  {
    id: "ring",
    title: "ring of 100",
    unit: "hops/s",
    size: 1_000_000,
    quick: 100_000,
    params: { actors: 100 },
  },
  { id: "spawn", title: "start, one call, stop", unit: "spawns/s", size: 20_000, quick: 2_000 },
  {
    id: "selective",
    title: "receive past 1,000 others",
    unit: "receives/s",
    size: 20_000,
    quick: 2_000,
    params: { noise: 1000 },
  },
  { id: "restart", title: "restart storm", unit: "restarts/s", size: 20_000, quick: 2_000 },
];

/** The simulator workloads; `ops` of a result is what is counted. */
const SIM_WORKLOADS = [
  {
    id: "sim-ring",
    title: "simulate: ring of 100",
    unit: "events/s",
    size: 20_000,
    quick: 2_000,
    params: { actors: 100 },
    impls: { "fauxtp/sim": "simRing" },
  },
  {
    id: "sim-cast",
    title: "simulate: casts, one call",
    unit: "events/s",
    size: 20_000,
    quick: 2_000,
    impls: { "fauxtp/sim": "simCast" },
  },
  {
    id: "sim-protocol",
    title: "simulate: 3 actors, ~20 events",
    unit: "runs/s",
    size: 2_000,
    quick: 200,
    impls: { "fauxtp/sim": "simProtocol" },
  },
  {
    id: "sim-race",
    title: "lost-update race",
    unit: "runs/s",
    size: 2_000,
    quick: 200,
    impls: { "fauxtp/sim": "raceSim", "fc.scheduler": "raceFc" },
  },
];

const TARGETS = {
  call: 1_000_000,
  cast: 5_000_000,
  ring: 4_000_000,
  spawn: 300_000,
};

function log(opts, text) {
  if (!opts.quiet) process.stderr.write(text + "\n");
}

function selected(opts, id) {
  return opts.only.length === 0 || opts.only.some((o) => id.includes(o));
}

/**
 * Measure one workload for a set of implementations: a warm-up run each, then `reps`
 * rounds in which every implementation runs once (interleaved, so that drift in the
 * machine spreads over all of them). Returns one row per implementation.
 */
async function measureWorkload(opts, w, entries) {
  const n = opts.quick ? w.quick : w.size;
  const params = w.params ?? {};
  const rows = new Map();
  collectGarbage();
  for (const [impl, fn] of entries) {
    rows.set(impl, { workload: w.id, title: w.title, impl, n, unit: w.unit, samples: [], extra: {} });
    const t = performance.now();
    await timeOnce(fn, n, params); // warm-up
    log(
      opts,
      `  ${w.id.padEnd(13)} ${impl.padEnd(13)} warm-up ${((performance.now() - t) / 1000).toFixed(2)} s`,
    );
  }
  for (let r = 0; r < opts.reps; r++) {
    for (const [impl, fn] of entries) {
      const { ms, value } = await timeOnce(fn, n, params);
      const row = rows.get(impl);
      let ops = n;
      if (value !== null && typeof value === "object") {
        ops = value.ops;
        for (const [k, v] of Object.entries(value)) if (k !== "ops" && k !== "value") row.extra[k] = v;
      } else if (value !== n) {
        throw new Error(`${w.id} on ${impl}: expected ${n}, got ${value}`);
      }
      row.samples.push((ops / ms) * 1000);
    }
  }
  for (const row of rows.values()) {
    row.median = median(row.samples);
    log(opts, `  ${w.id.padEnd(13)} ${row.impl.padEnd(13)} ${formatNumber(row.median)} ${w.unit}`);
  }
  return [...rows.values()];
}

async function runActorWorkloads(opts, impls, results) {
  for (const w of ACTOR_WORKLOADS) {
    if (!selected(opts, w.id)) continue;
    const entries = [];
    for (const impl of impls) {
      const fn = impl.module.workloads[w.id];
      if (typeof fn === "function") entries.push([impl.name, fn]);
    }
    const rows = await measureWorkload(opts, w, entries);
    // The implementations in their fixed order, skipped ones included.
    for (const impl of impls) {
      const row = rows.find((r) => r.impl === impl.name);
      results.push(
        row ?? {
          workload: w.id,
          title: w.title,
          impl: impl.name,
          unit: w.unit,
          skipped: impl.module.skip?.[w.id] ?? "not implemented",
        },
      );
    }
  }
}

async function runSimWorkloads(opts, results) {
  const ids = [...SIM_WORKLOADS.map((w) => w.id), "sim-race-first-failure"];
  if (!ids.some((id) => selected(opts, id))) return;
  const sim = await import("../impl/sim.mjs");
  for (const w of SIM_WORKLOADS) {
    if (!selected(opts, w.id)) continue;
    const entries = Object.entries(w.impls)
      .filter(([impl]) => opts.impls.length === 0 || opts.impls.some((i) => impl.includes(i)))
      .map(([impl, fnName]) => [impl, sim[fnName]]);
    if (entries.length === 0) continue;
    results.push(...(await measureWorkload(opts, w, entries)));
  }
  if (selected(opts, "sim-race-first-failure")) {
    // Runs to the first lost update, from several starting points; the median.
    const trials = opts.quick ? 10 : 25;
    const title = "race: runs to 1st failure";
    const rows = [];
    if (opts.impls.length === 0 || opts.impls.some((i) => "fauxtp/sim".includes(i))) {
      const counts = [];
      for (let i = 0; i < trials; i++) counts.push(await sim.raceSimFirstFailure(i * 100_000));
      rows.push({ impl: "fauxtp/sim", counts });
    }
    if (opts.impls.length === 0 || opts.impls.some((i) => "fc.scheduler".includes(i))) {
      const counts = [];
      for (let i = 0; i < trials; i++) counts.push(await sim.raceFcFirstFailure(i + 1));
      rows.push({ impl: "fc.scheduler", counts });
    }
    for (const { impl, counts } of rows) {
      const row = {
        workload: "sim-race-first-failure",
        title,
        impl,
        n: trials,
        unit: "runs",
        lowerIsBetter: true,
        samples: counts,
        median: median(counts),
        extra: { mean: counts.reduce((a, b) => a + b, 0) / counts.length },
      };
      log(opts, `  ${row.workload} ${impl.padEnd(13)} median ${row.median} runs`);
      results.push(row);
    }
  }
}

function runMemory(opts, impls, results) {
  if (!selected(opts, "memory")) return;
  const count = opts.quick ? 20_000 : 100_000;
  for (const impl of impls) {
    if (typeof impl.module.idle !== "function") continue;
    const samples = [];
    for (let r = 0; r < (opts.quick ? 1 : 3); r++) {
      const child = spawnSync(
        process.execPath,
        ["--expose-gc", path.join(benchDir, "lib", "memory.mjs"), impl.name, String(count)],
        { encoding: "utf8" },
      );
      if (child.status !== 0) throw new Error(`memory of ${impl.name} failed:\n${child.stderr}`);
      samples.push(JSON.parse(child.stdout.trim().split("\n").pop()).bytesPerActor);
    }
    const row = {
      workload: "memory",
      title: "bytes per idle actor",
      impl: impl.name,
      n: count,
      unit: "B/actor",
      lowerIsBetter: true,
      samples,
      median: median(samples),
      extra: {},
    };
    log(opts, `  memory        ${impl.name.padEnd(13)} ${row.median.toFixed(0)} B per idle actor`);
    results.push(row);
  }
}

/** Ratios within each workload: to the baseline and to fauxtp (or fauxtp/sim). */
function addRatios(results) {
  const byWorkload = new Map();
  for (const r of results) {
    if (!byWorkload.has(r.workload)) byWorkload.set(r.workload, []);
    byWorkload.get(r.workload).push(r);
  }
  for (const rows of byWorkload.values()) {
    const base = rows.find((r) => r.impl === "baseline" && r.median !== undefined);
    const ref = rows.find((r) => (r.impl === "fauxtp" || r.impl === "fauxtp/sim") && r.median !== undefined);
    for (const r of rows) {
      if (r.median === undefined) continue;
      if (base !== undefined) r.vsBaseline = r.median / base.median;
      if (ref !== undefined) r.vsFauxtp = r.median / ref.median;
    }
  }
}

/** The issue's targets, checked against this run. Each: { workload, target, value, met }. */
function checkTargets(results) {
  const get = (workload, impl) => results.find((r) => r.workload === workload && r.impl === impl);
  const out = [];
  const add = (workload, target, value, met, shown) => out.push({ workload, target, value, met, shown });
  for (const [w, goal] of Object.entries(TARGETS)) {
    const f = get(w, "fauxtp");
    if (f?.median !== undefined) add(w, `>= ${formatNumber(goal)}/s`, f.median, f.median >= goal);
  }
  for (const w of ACTOR_WORKLOADS) {
    const f = get(w.id, "fauxtp");
    if (f?.median === undefined) continue;
    if (f.vsBaseline !== undefined)
      add(w.id, ">= 0.5x baseline", f.vsBaseline, f.vsBaseline >= 0.5, formatRatio(f.vsBaseline));
    const nact = get(w.id, "nact");
    if (nact?.median !== undefined) {
      const x = f.median / nact.median;
      add(w.id, ">= 3x nact", x, x >= 3, formatRatio(x));
    }
  }
  for (const w of ["sim-ring", "sim-cast"]) {
    const s = get(w, "fauxtp/sim");
    if (s?.median !== undefined) add(w, ">= 200 k events/s", s.median, s.median >= 200_000);
  }
  const proto = get("sim-protocol", "fauxtp/sim");
  if (proto?.median !== undefined) add("sim-protocol", ">= 2000 runs/s", proto.median, proto.median >= 2000);
  const rs = get("sim-race", "fauxtp/sim");
  const rf = get("sim-race", "fc.scheduler");
  if (rs?.median !== undefined && rf?.median !== undefined) {
    const x = rs.median / rf.median;
    add("sim-race", ">= fc.scheduler runs/s", x, x >= 1, formatRatio(x));
  }
  const ffs = get("sim-race-first-failure", "fauxtp/sim");
  const fff = get("sim-race-first-failure", "fc.scheduler");
  if (ffs && fff && rs?.median !== undefined && rf?.median !== undefined) {
    // Time to the first failure: runs needed over runs per second.
    const ts = (ffs.median / rs.median) * 1000;
    const tf = (fff.median / rf.median) * 1000;
    ffs.extra.msToFirstFailure = ts;
    fff.extra.msToFirstFailure = tf;
    add(
      "sim-race-first-failure",
      "time to 1st failure <= fc.scheduler",
      ts,
      ts <= tf,
      `${ts.toFixed(2)} ms vs ${tf.toFixed(2)} ms`,
    );
  }
  const mem = get("memory", "fauxtp");
  if (mem?.median !== undefined)
    add(
      "memory",
      "<= 1024 B per idle GenServer",
      mem.median,
      mem.median <= 1024,
      `${mem.median.toFixed(0)} B`,
    );
  return out;
}

function spread(samples) {
  if (samples.length < 2) return "";
  const m = median(samples);
  const lo = Math.min(...samples);
  const hi = Math.max(...samples);
  return m === 0 ? "" : `±${(((hi - lo) / 2 / m) * 100).toFixed(0)}%`;
}

function printTable(results, targets) {
  const header = [
    "workload",
    "implementation",
    "n",
    "median",
    "unit",
    "spread",
    "vs baseline",
    "vs fauxtp",
    "targets (fauxtp)",
  ];
  const right = [false, false, true, true, false, true, true, true, false];
  const rows = [];
  let last;
  for (const r of results) {
    const first = r.workload !== last;
    last = r.workload;
    const label = first ? r.workload : "";
    if (r.skipped !== undefined) {
      rows.push([label, r.impl, "", "n/a", "", "", "", "", r.skipped]);
      continue;
    }
    const mine = r.impl === "fauxtp" || r.impl === "fauxtp/sim";
    const t = mine
      ? targets
          .filter((x) => x.workload === r.workload)
          .map((x) => `${x.met ? "ok" : "MISS"} ${x.target}${x.shown ? ` (${x.shown})` : ""}`)
          .join("; ")
      : "";
    const value =
      r.unit === "runs"
        ? r.median.toFixed(1)
        : r.unit === "B/actor"
          ? r.median.toFixed(0)
          : formatNumber(r.median);
    rows.push([
      label,
      r.impl,
      r.n >= 10_000 ? formatNumber(r.n) : String(r.n),
      value,
      r.unit,
      r.unit === "runs" ? `mean ${r.extra.mean.toFixed(1)}` : spread(r.samples),
      formatRatio(r.vsBaseline),
      formatRatio(r.vsFauxtp),
      t,
    ]);
  }
  process.stdout.write(renderTable(header, rows, right) + "\n");
  const met = targets.filter((t) => t.met).length;
  process.stdout.write(
    `\ntargets met: ${met} of ${targets.length}` +
      (targets.some((t) => !t.met)
        ? `; missed: ${targets
            .filter((t) => !t.met)
            .map((t) => `${t.workload} ${t.target}`)
            .join(", ")}`
        : "") +
      "\n",
  );
}

export async function main(opts) {
  const started = performance.now();
  const impls = [];
  for (const name of IMPLS) {
    // baseline and fauxtp are always measured: the ratios need them.
    const wanted = name === "baseline" || name === "fauxtp" || opts.impls.some((i) => name.includes(i));
    if (opts.impls.length > 0 && !wanted) continue;
    impls.push({ name, module: await import(`../impl/${name}.mjs`) });
  }
  const results = [];
  const loadBefore = os.loadavg()[0];
  log(opts, `fauxtp benchmarks (${opts.quick ? "quick" : "full"}: warm-up + ${opts.reps} repetitions)`);
  if (loadBefore > os.cpus().length / 2) {
    log(
      opts,
      `warning: load average ${loadBefore.toFixed(1)} on ${os.cpus().length} cores; timings will be noisy`,
    );
  }
  await runActorWorkloads(opts, impls, results);
  if (opts.impls.length === 0 || opts.impls.some((i) => "fauxtp/sim fc.scheduler".includes(i)))
    await runSimWorkloads(opts, results);
  runMemory(opts, impls, results);
  addRatios(results);
  const targets = checkTargets(results);
  process.stdout.write("\n");
  printTable(results, targets);
  if (opts.quick) {
    process.stdout.write(
      "(--quick: small sizes and a short warm-up; a smoke run, not a measurement against the targets)\n",
    );
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`(${seconds.toFixed(0)} s, node ${process.version}, ${os.cpus().length} cores)\n`);

  const file =
    opts.out ??
    path.join(
      benchDir,
      "results",
      opts.quick || opts.only.length > 0 || opts.impls.length > 0 ? "partial.json" : "latest.json",
    );
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString(),
    mode: opts.quick ? "quick" : "full",
    repetitions: opts.reps,
    filters: { only: opts.only, impls: opts.impls },
    seconds,
    machine: {
      node: process.version,
      v8: process.versions.v8,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      cpu: cpus[0]?.model ?? "unknown",
      cores: cpus.length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      loadAverageAtStart: loadBefore,
      loadAverageAtEnd: os.loadavg()[0],
    },
    versions: versionsOfLibraries(),
    source: sourceRevision(),
    results,
    targets,
  };
  fs.writeFileSync(file, JSON.stringify(report, null, 2) + "\n");
  process.stdout.write(`results written to ${path.relative(process.cwd(), file) || file}\n`);
}

/** The commit of the measured sources, and whether src/ or sim/ differ from it. */
function sourceRevision() {
  const git = (args) => spawnSync("git", args, { cwd: path.join(benchDir, ".."), encoding: "utf8" });
  const head = git(["rev-parse", "--short", "HEAD"]);
  if (head.status !== 0) return { commit: "unknown" };
  const status = git(["status", "--porcelain", "--", "src", "sim"]);
  return { commit: head.stdout.trim(), sourcesModified: status.stdout.trim() !== "" };
}

function versionsOfLibraries() {
  const out = {};
  for (const name of ["nact", "xstate", "effect", "fast-check"]) {
    try {
      out[name] = JSON.parse(
        fs.readFileSync(path.join(benchDir, "node_modules", name, "package.json"), "utf8"),
      ).version;
    } catch {
      out[name] = "missing";
    }
  }
  try {
    out.fauxtp = JSON.parse(fs.readFileSync(path.join(benchDir, "..", "package.json"), "utf8")).version;
  } catch {
    out.fauxtp = "unknown";
  }
  return out;
}
