/**
 * The package as a user gets it: build, pack, install the tarball into a fresh project,
 * import the three entry points, and run a failing fuzz test there, then its replay line.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "fauxtp-pack-"));
const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string =>
  execFileSync(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
const ESC = String.fromCharCode(27);
const strip = (s: string): string =>
  s
    .split(ESC)
    .map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;]*m/, "")))
    .join("");

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the packed package", () => {
  it("installs into a fresh project and its three entries import", () => {
    run("npm", ["run", "build"], root);
    const tarball = run("npm", ["pack", "--pack-destination", dir], root).trim().split("\n").pop() as string;
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "fresh", private: true, type: "module" }),
    );
    run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", `./${tarball}`, "vitest@4"], dir);
    writeFileSync(
      join(dir, "check.mjs"),
      `import * as core from "fauxtp"; import * as sim from "fauxtp/sim"; import * as glue from "fauxtp/vitest";
       console.log([typeof core.GenServer, typeof sim.simulate, typeof glue.fuzz].join(","));`,
    );
    expect(run("node", ["check.mjs"], dir).trim()).toBe("function,function,function");
  }, 180_000);

  it("a failing fuzz test prints a replay line that reproduces the failure and its trace", () => {
    mkdirSync(join(dir, "test"), { recursive: true });
    writeFileSync(
      join(dir, "test", "lost.test.ts"),
      `import { call, GenServer, Task } from "fauxtp";
       import { fuzz } from "fauxtp/vitest";
       class Reg extends GenServer { init() { return 0; }
         handleCall(r, _f, n) { return r === "get" ? [n, n] : ["ok", r[1]]; } }
       fuzz("increments are not lost", async (scope) => {
         const reg = await Reg.start(scope);
         const inc = async () => { const n = await call(reg, "get"); await call(reg, ["set", n + 1]); };
         const a = await Task.spawn(scope, inc); const b = await Task.spawn(scope, inc);
         await a.join(); await b.join();
         const n = await call(reg, "get");
         if (n !== 2) throw new Error("lost update: " + n);
       }, { runs: 50 });`,
    );
    const first = (): string => {
      try {
        run("npx", ["vitest", "run"], dir);
      } catch (e) {
        return strip(String((e as { stdout?: string }).stdout) + String((e as { stderr?: string }).stderr));
      }
      throw new Error("the fuzz test was expected to fail");
    };
    const out = first();
    expect(out).toContain('fuzz "increments are not lost" failed');
    const match = /FAUXTP_REPLAY=(\S+) npx vitest run (\S+) -t "([^"]+)"/.exec(out);
    expect(match).not.toBeNull();
    const [, token, file, name] = match as unknown as [string, string, string, string];
    const traceOf = (): string => {
      const files = readdirSync(join(dir, ".fauxtp"));
      return readFileSync(join(dir, ".fauxtp", files[0] as string), "utf8")
        .split("\n")
        .slice(3)
        .join("\n");
    };
    const trace1 = traceOf();
    rmSync(join(dir, ".fauxtp"), { recursive: true });
    let replayed = "";
    try {
      run("npx", ["vitest", "run", file, "-t", name], dir, { FAUXTP_REPLAY: token });
    } catch (e) {
      replayed = strip(String((e as { stdout?: string }).stdout) + String((e as { stderr?: string }).stderr));
    }
    expect(replayed).toContain("lost update: 1");
    expect(traceOf()).toBe(trace1);
  }, 180_000);
});
