// The simulator's speed: events per second for `simulate` on the ring and cast workloads,
// runs per second on a small protocol, and a lost-update race written for fauxtp's
// simulator and for fast-check's `fc.scheduler`.
import fc from "fast-check";
import { call, cast, GenServer, on, send, Task } from "../../dist/src/index.js";
import { simulate } from "../../dist/sim/index.js";

// ---------------------------------------------------------------------------
// Events per second.

class RingNode extends GenServer {
  constructor(done) {
    super();
    this.done = done; // the inbox told when the token reaches 0
  }
  init() {
    return null;
  }
  handleCast(message, next) {
    if (typeof message === "number") {
      if (message === 0) send(this.done, "done");
      else cast(next, message - 1);
      return next;
    }
    return message[1]; // ["link", pid]
  }
  handleCall(_request, _from, next) {
    return ["ok", next];
  }
}

class Counter extends GenServer {
  init() {
    return 0;
  }
  handleCall(request, _from, count) {
    return request === "get" ? [count, count] : [count + 1, count + 1];
  }
  handleCast(_request, count) {
    return count + 1;
  }
}

const DONE = on("done", () => true);

/** `simulate` on a ring of `actors` passing a token `hops` times; counts the run's steps. */
export async function simRing(hops, timer, { actors, seed = 1 }) {
  const run = await simulate(
    async (scope) => {
      const inbox = scope.inbox();
      const pids = [];
      for (let i = 0; i < actors; i++) pids.push(await RingNode.start(scope, inbox.pid));
      for (let i = 0; i < actors; i++) cast(pids[i], ["link", pids[(i + 1) % actors]]);
      cast(pids[0], hops);
      return inbox.receive(DONE);
    },
    { seed, maxSteps: 100_000_000 },
  );
  return { ops: run.steps, value: hops, trace: run.trace.length };
}

/** `simulate` on `n` casts then one call; counts the run's steps. */
export async function simCast(n, timer, { seed = 1 } = {}) {
  const run = await simulate(
    async (scope) => {
      const pid = await Counter.start(scope);
      for (let i = 0; i < n; i++) cast(pid, "inc");
      return call(pid, "get");
    },
    { seed, maxSteps: 100_000_000 },
  );
  return { ops: run.steps, value: run.value, trace: run.trace.length };
}

// ---------------------------------------------------------------------------
// Runs per second on a small protocol: a server and two clients (3 actors), each client
// casting once and calling twice, about 20 scheduling events per run.

class Client extends GenServer {
  constructor(server) {
    super();
    this.server = server;
  }
  init() {
    return 0;
  }
  async handleCall(_request, _from, state) {
    cast(this.server, "hello");
    const a = await call(this.server, "inc");
    const b = await call(this.server, "get");
    return [a + b, state];
  }
}

export function protocolBody() {
  return async (scope) => {
    const server = await Counter.start(scope);
    const c1 = await Client.start(scope, server);
    const c2 = await Client.start(scope, server);
    const [x, y] = await Promise.all([call(c1, "go"), call(c2, "go")]);
    return x + y;
  };
}

/** `runs` simulations of the small protocol with consecutive seeds. */
export async function simProtocol(runs, timer, { firstSeed = 0 } = {}) {
  let steps = 0;
  for (let i = 0; i < runs; i++) {
    const run = await simulate(protocolBody(), { seed: firstSeed + i });
    steps += run.steps;
  }
  return { ops: runs, value: runs, stepsPerRun: steps / runs };
}

// ---------------------------------------------------------------------------
// The race: two clients read-modify-write a register; a lost update leaves it at 1.

class Register extends GenServer {
  init() {
    return 0;
  }
  handleCall(request, _from, value) {
    return request === "get" ? [value, value] : ["ok", request[1]];
  }
}

async function raceBody(scope) {
  const pid = await Register.start(scope);
  const client = async () => {
    const v = await call(pid, "get");
    await call(pid, ["set", v + 1]);
  };
  const a = await Task.spawn(scope, client);
  const b = await Task.spawn(scope, client);
  await a.join();
  await b.join();
  return call(pid, "get");
}

/** fauxtp: `runs` simulations of the race over consecutive seeds. */
export async function raceSim(runs, timer, { firstSeed = 0 } = {}) {
  let lost = 0;
  for (let i = 0; i < runs; i++) {
    const run = await simulate(raceBody, { seed: firstSeed + i });
    if (run.value !== 2) lost++;
  }
  return { ops: runs, value: runs, lost };
}

/** fauxtp: how many seeds, from `firstSeed` on, until the first lost update. */
export async function raceSimFirstFailure(firstSeed, limit = 10_000) {
  for (let i = 0; i < limit; i++) {
    const run = await simulate(raceBody, { seed: firstSeed + i });
    if (run.value !== 2) return i + 1;
  }
  return Infinity;
}

// The same scenario for fast-check's scheduler: the register's get and set are scheduled
// functions, the two clients await them, and the scheduler picks the interleaving.
const raceProperty = (checkIt, outcomes) =>
  fc.asyncProperty(fc.scheduler(), async (s) => {
    let value = 0;
    const get = s.scheduleFunction(async () => value);
    const set = s.scheduleFunction(async (v) => {
      value = v;
    });
    const client = async () => {
      const v = await get();
      await set(v + 1);
    };
    const both = Promise.all([client(), client()]);
    await s.waitAll();
    await both;
    if (outcomes !== undefined && value !== 2) outcomes.lost++;
    return checkIt ? value === 2 : true;
  });

/** fast-check: `runs` runs of the race (never failing, to count runs per second). */
export async function raceFc(runs, timer, { seed = 1 } = {}) {
  const outcomes = { lost: 0 };
  const details = await fc.check(raceProperty(false, outcomes), { numRuns: runs, seed });
  if (details.failed) throw new Error("the counting property cannot fail");
  return { ops: details.numRuns, value: runs, lost: outcomes.lost };
}

/** fast-check: how many runs until the first lost update (no shrinking). */
export async function raceFcFirstFailure(seed, limit = 10_000) {
  const details = await fc.check(raceProperty(true), { numRuns: limit, seed, endOnFailure: true });
  return details.failed ? details.numRuns : Infinity;
}
