// Bytes per idle actor, in a fresh process: `node --expose-gc lib/memory.mjs IMPL COUNT`.
// Starts COUNT idle actors (GenServers for fauxtp), and prints as JSON the growth of
// heapUsed after full garbage collections, divided by COUNT.

const [implName, countArg] = process.argv.slice(2);
const count = Number(countArg);
if (typeof globalThis.gc !== "function") throw new Error("run with --expose-gc");
if (!Number.isInteger(count) || count <= 0) throw new Error(`bad count ${countArg}`);

const impl = await import(new URL(`../impl/${implName}.mjs`, import.meta.url).href);

function settle() {
  for (let i = 0; i < 4; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

// Warm up: load the code paths and their one-off allocations.
let stop = await impl.idle(Math.min(1000, count));
await stop();
stop = undefined;
await new Promise((resolve) => setImmediate(resolve));

const before = settle();
stop = await impl.idle(count);
const after = settle();
await stop();

process.stdout.write(
  JSON.stringify({ impl: implName, count, bytesPerActor: (after - before) / count }) + "\n",
);
process.exit(0);
