// The workloads on fauxtp's GenServer, Actor and Supervisor, on the MicrotaskScheduler.
import {
  Actor,
  call,
  cast,
  childSpec,
  GenServer,
  MicrotaskScheduler,
  on,
  Pid,
  send,
  Supervisor,
  withScope,
} from "../../dist/src/index.js";

export const name = "fauxtp";
export const description = "fauxtp GenServer on MicrotaskScheduler (call/cast)";

const scheduler = new MicrotaskScheduler();
const inScope = (body) => withScope(body, { scheduler });

class Counter extends GenServer {
  init() {
    return 0;
  }
  handleCall(_request, _from, count) {
    return [count + 1, count + 1];
  }
  handleCast(_request, count) {
    return count + 1;
  }
}

class RingNode extends GenServer {
  constructor(finish) {
    super();
    this.finish = finish;
  }
  init() {
    return null; // the next node, set by a "link" cast
  }
  handleCast(message, next) {
    if (typeof message === "number") {
      if (message === 0) this.finish();
      else cast(next, message - 1);
      return next;
    }
    return message[1]; // ["link", pid]
  }
  handleCall(_request, _from, next) {
    return ["ok", next];
  }
}

class Echo extends GenServer {
  handleCall(request, _from, state) {
    return [request, state];
  }
}

const MATCH = ["match", Number];

class Selective extends Actor {
  constructor(target, report) {
    super();
    this.target = target;
    this.report = report;
  }
  init() {
    return 0;
  }
  run(received) {
    return this.receive(
      on(MATCH, (i) => {
        if (received + 1 === this.target) this.report(received + 1);
        else send(this.pid, ["match", i + 1]);
        return received + 1;
      }),
    );
  }
}

class Crasher extends GenServer {
  constructor(driver) {
    super();
    this.driver = driver;
  }
  init() {
    send(this.driver, ["up", this.pid]);
    return 0;
  }
  handleCast() {
    throw new Error("boom");
  }
}

export const workloads = {
  call: (n) =>
    inScope(async (scope) => {
      const pid = await Counter.start(scope);
      let last = 0;
      for (let i = 0; i < n; i++) last = await call(pid, "inc"); // default 5 s timeout, armed
      return last;
    }),

  cast: (n) =>
    inScope(async (scope) => {
      const pid = await Counter.start(scope);
      for (let i = 0; i < n; i++) cast(pid, "inc");
      return (await call(pid, "get")) - 1;
    }),

  ring: (hops, timer, { actors }) =>
    inScope(async (scope) => {
      let finish;
      const done = new Promise((resolve) => (finish = () => resolve(hops)));
      const pids = [];
      for (let i = 0; i < actors; i++) pids.push(await RingNode.start(scope, finish));
      for (let i = 0; i < actors; i++) cast(pids[i], ["link", pids[(i + 1) % actors]]);
      for (const pid of pids) await call(pid, "linked");
      timer.start();
      cast(pids[0], hops);
      return done;
    }),

  spawn: (n) =>
    inScope(async (scope) => {
      let answered = 0;
      for (let i = 0; i < n; i++) {
        const handle = await Echo.startLink(scope, {});
        answered += await call(handle.pid, 1);
        await handle.cancel();
      }
      return answered;
    }),

  selective: (n, timer, { noise }) =>
    inScope(async (scope) => {
      let report;
      const done = new Promise((resolve) => (report = resolve));
      const pid = await Selective.start(scope, n, report);
      for (let i = 0; i < noise; i++) send(pid, ["noise", i]);
      timer.start();
      send(pid, ["match", 0]);
      return done;
    }),

  restart: (n) =>
    inScope(async (scope) => {
      const inbox = scope.inbox();
      class Storm extends Supervisor {
        maxRestarts = 1_000_000_000;
        childSpecs() {
          return [childSpec({ id: "crasher", actor: Crasher, args: [inbox.pid] })];
        }
      }
      await Storm.start(scope);
      const up = on(["up", Pid], (pid) => pid);
      for (let i = 0; i < n; i++) cast(await inbox.receive(up), "crash");
      await inbox.receive(up);
      return n;
    }),
};

/** Idle GenServers for the memory measurement: start `count`, return a stopper. */
export async function idle(count) {
  let release;
  const hold = new Promise((resolve) => (release = resolve));
  let ready;
  const started = new Promise((resolve) => (ready = resolve));
  const finished = inScope(async (scope) => {
    for (let i = 0; i < count; i++) await Counter.start(scope);
    ready();
    await hold;
  });
  await started;
  return async () => {
    release();
    await finished;
  };
}
