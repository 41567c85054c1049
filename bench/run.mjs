#!/usr/bin/env node
// `npm run bench` from the repository root. Installs bench/'s own dependencies when they
// are missing, builds the root package when dist/ is missing or older than its sources,
// re-runs itself with --expose-gc, then runs the suite (lib/suite.mjs) in this process.
//
//   npm run bench                       the full suite (about 3 minutes on 2 cores)
//   npm run bench -- --quick            small sizes, 3 repetitions (under a minute)
//   npm run bench -- --only ring        workloads whose id contains "ring" (comma-separated list)
//   npm run bench -- --impl nact        only these implementations (baseline and fauxtp always run)
//   npm run bench -- --reps 7           repetitions after the warm-up (default 5, quick 3)
//   npm run bench -- --out FILE         where to write the JSON results
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(benchDir, "..");
const argv = process.argv.slice(2);

function usage(message) {
  if (message) process.stderr.write(`run.mjs: ${message}\n`);
  process.stderr.write(
    "usage: npm run bench -- [--quick] [--only ID[,ID...]] [--impl NAME[,NAME...]] [--reps N] [--out FILE] [--quiet]\n" +
      "  workload ids: call cast ring spawn selective restart sim-ring sim-cast sim-protocol sim-race\n" +
      "                sim-race-first-failure memory (--only matches substrings)\n" +
      "  implementations: baseline fauxtp nact xstate effect fauxtp/sim fc.scheduler\n",
  );
  process.exit(message ? 2 : 0);
}

function parseArgs(args) {
  const opts = { quick: false, only: [], impls: [], reps: undefined, out: undefined, quiet: false };
  const list = (v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? a.split(/=(.*)/s) : [a, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const v = args[++i];
      if (v === undefined) usage(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--quick":
        opts.quick = true;
        break;
      case "--only":
        opts.only.push(...list(value()));
        break;
      case "--impl":
        opts.impls.push(...list(value()));
        break;
      case "--reps": {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) usage("--reps needs a positive integer");
        opts.reps = n;
        break;
      }
      case "--out":
        opts.out = path.resolve(value());
        break;
      case "--quiet":
        opts.quiet = true;
        break;
      case "--help":
      case "-h":
        usage();
        break;
      default:
        usage(`unknown argument ${a}`);
    }
  }
  opts.reps ??= opts.quick ? 3 : 5;
  return opts;
}

function run(command, args, cwd) {
  const r = spawnSync(command, args, { cwd, stdio: "inherit", shell: process.platform === "win32" });
  return r.status ?? 1;
}

/** npm ci in bench/ when a dependency is missing. */
function ensureDependencies() {
  const pkg = JSON.parse(fs.readFileSync(path.join(benchDir, "package.json"), "utf8"));
  const missing = Object.keys(pkg.dependencies ?? {}).filter(
    (name) => !fs.existsSync(path.join(benchDir, "node_modules", name, "package.json")),
  );
  if (missing.length === 0) return;
  process.stderr.write(`bench: installing the benchmark dependencies (${missing.join(", ")} missing)\n`);
  const lock = fs.existsSync(path.join(benchDir, "package-lock.json"));
  const status = run("npm", [lock ? "ci" : "install", "--no-audit", "--no-fund"], benchDir);
  if (status !== 0) {
    process.stderr.write("bench: npm install in bench/ failed\n");
    process.exit(status);
  }
}

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** npm run build at the root when dist/ is missing or older than src/ or sim/. */
function ensureBuild() {
  const outputs = ["dist/src/index.js", "dist/sim/index.js"].map((f) => path.join(rootDir, f));
  const built = outputs.every((f) => fs.existsSync(f))
    ? Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs))
    : 0;
  const sources = Math.max(newestMtime(path.join(rootDir, "src")), newestMtime(path.join(rootDir, "sim")));
  if (built !== 0 && built >= sources) return;
  process.stderr.write(
    `bench: building the root package (${built === 0 ? "dist/ missing" : "dist/ older than its sources"})\n`,
  );
  const status = run("npm", ["run", "build"], rootDir);
  if (status !== 0) {
    if (outputs.every((f) => fs.existsSync(f))) {
      process.stderr.write("bench: the build reported errors; measuring the JavaScript it emitted\n");
    } else {
      process.stderr.write("bench: the build failed and dist/ is incomplete\n");
      process.exit(status);
    }
  }
}

const opts = parseArgs(argv);
ensureDependencies();
ensureBuild();

if (typeof globalThis.gc !== "function") {
  // Collections between repetitions need global.gc(): run again with it exposed.
  const child = spawnSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), ...argv], {
    stdio: "inherit",
  });
  process.exit(child.status ?? 1);
}

const { main } = await import("./lib/suite.mjs");
await main(opts);
process.exit(0);
