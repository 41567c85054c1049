#!/usr/bin/env node
// Where does the time of one workload go? Runs it a few times under `node --cpu-prof` and
// prints the functions with the most self time and the most inclusive time (idle excluded).
//
//   node bench/profile.mjs fauxtp call 200000
//   node bench/profile.mjs sim raceSim 2000          (a function of impl/sim.mjs)
//   node bench/profile.mjs --show FILE.cpuprofile    (summarise an existing profile)
//
// The profile is written to bench/results/profiles/ (not committed).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const TOP = 30;

function summarise(file) {
  const p = JSON.parse(fs.readFileSync(file, "utf8"));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i]);
    if (node.callFrame.functionName === "(idle)") continue;
    const dt = p.timeDeltas[i] ?? 0;
    time.set(node.id, (time.get(node.id) ?? 0) + dt);
    total += dt;
  }
  const key = (n) => {
    const f = n.callFrame;
    const where = f.url === "" ? "" : ` ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`;
    return `${f.functionName || "(anonymous)"}${where}`;
  };
  const self = new Map();
  const inclusive = new Map();
  for (const [id, t] of time) {
    const k = key(byId.get(id));
    self.set(k, (self.get(k) ?? 0) + t);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const ck = key(byId.get(cur));
      if (seen.has(ck)) continue;
      seen.add(ck);
      inclusive.set(ck, (inclusive.get(ck) ?? 0) + t);
    }
  }
  const show = (title, m) => {
    console.log(title);
    for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
      console.log(`${((100 * t) / total).toFixed(1).padStart(6)}%  ${k}`);
    }
  };
  show("self time (idle excluded)", self);
  show("\ninclusive time", inclusive);
}

if (args[0] === "--show") {
  summarise(args[1]);
  process.exit(0);
}

if (args[0] === "--child") {
  const [, implName, workload, sizeArg] = args;
  const n = Number(sizeArg);
  const mod = await import(new URL(`./impl/${implName}.mjs`, import.meta.url).href);
  const fn = implName === "sim" ? mod[workload] : mod.workloads[workload];
  if (typeof fn !== "function") throw new Error(`no workload ${workload} in impl/${implName}.mjs`);
  const params = { actors: 100, noise: 1000 };
  for (let r = 0; r < 4; r++) {
    const t0 = performance.now();
    const value = await fn(n, { start() {} }, params);
    const ms = performance.now() - t0;
    const ops = value !== null && typeof value === "object" ? value.ops : n;
    console.log(`run ${r + 1}: ${((ops / ms) * 1000).toFixed(0)} per second`);
  }
  process.exit(0);
}

const [implName, workload, sizeArg] = args;
if (implName === undefined || workload === undefined || !(Number(sizeArg) > 0)) {
  console.error("usage: node bench/profile.mjs IMPL WORKLOAD SIZE | --show FILE.cpuprofile");
  process.exit(2);
}
const dir = path.join(benchDir, "results", "profiles");
fs.mkdirSync(dir, { recursive: true });
const name = `${implName}-${workload}-${Date.now()}.cpuprofile`;
const child = spawnSync(
  process.execPath,
  [
    "--cpu-prof",
    `--cpu-prof-dir=${dir}`,
    `--cpu-prof-name=${name}`,
    fileURLToPath(import.meta.url),
    "--child",
    implName,
    workload,
    sizeArg,
  ],
  { stdio: "inherit" },
);
if (child.status !== 0) process.exit(child.status ?? 1);
console.log(`\nprofile: ${path.relative(process.cwd(), path.join(dir, name))}\n`);
summarise(path.join(dir, name));
