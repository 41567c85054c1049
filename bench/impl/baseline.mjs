// The workloads on the minimal actor of lib/mini.mjs.
import { MiniActor, MiniCall, miniCall, MiniReceiver } from "../lib/mini.mjs";

export const name = "baseline";
export const description = "minimal actor: array mailbox drained in one microtask, async handler";

async function counter(message, state) {
  if (message instanceof MiniCall) {
    message.reply(state + 1);
    return state + 1;
  }
  return state + 1; // a cast
}

async function echo(message, state) {
  message.reply(message.request);
  return state;
}

export const workloads = {
  async call(n) {
    const server = new MiniActor(counter, 0);
    let last = 0;
    for (let i = 0; i < n; i++) last = await miniCall(server, "inc");
    server.stop();
    return last;
  },

  async cast(n) {
    const server = new MiniActor(counter, 0);
    for (let i = 0; i < n; i++) server.send("inc");
    const count = await miniCall(server, "get");
    server.stop();
    return count - 1;
  },

  async ring(hops, timer, { actors }) {
    let finish;
    const done = new Promise((resolve) => (finish = resolve));
    const node = async (token, next) => {
      if (token === 0) finish(hops);
      else next.send(token - 1);
      return next;
    };
    const nodes = [];
    for (let i = 0; i < actors; i++) nodes.push(new MiniActor(node, undefined));
    for (let i = 0; i < actors; i++) nodes[i].state = nodes[(i + 1) % actors];
    timer.start();
    nodes[0].send(hops);
    const result = await done;
    for (const a of nodes) a.stop();
    return result;
  },

  async spawn(n) {
    let answered = 0;
    for (let i = 0; i < n; i++) {
      const server = new MiniActor(echo, 0);
      answered += await miniCall(server, 1);
      server.stop();
    }
    return answered;
  },

  async selective(n, timer, { noise }) {
    const box = new MiniReceiver();
    for (let i = 0; i < noise; i++) box.send(["noise", i]);
    const isMatch = (m) => m[0] === "match";
    timer.start();
    box.send(["match", 0]);
    let received = 0;
    while (received < n) {
      const m = await box.receive(isMatch);
      received++;
      box.send(["match", m[1] + 1]);
    }
    return received;
  },

  async restart(n) {
    // A minimal one-for-one supervisor: on a crash, start a fresh child, which announces itself.
    const ups = [];
    let waiting = null;
    const announce = (child) => {
      if (waiting !== null) {
        const w = waiting;
        waiting = null;
        w(child);
      } else ups.push(child);
    };
    const nextUp = () => (ups.length > 0 ? Promise.resolve(ups.shift()) : new Promise((r) => (waiting = r)));
    let restarts = 0;
    const crashing = async (message) => {
      if (message === "crash") throw new Error("boom");
    };
    const startChild = () => {
      const child = new MiniActor(crashing, 0);
      child.onCrash = () => {
        restarts++;
        startChild();
      };
      announce(child);
    };
    startChild();
    for (let i = 0; i < n; i++) (await nextUp()).send("crash");
    const last = await nextUp();
    last.stop();
    return restarts;
  },
};

export async function idle(count) {
  const actors = [];
  for (let i = 0; i < count; i++) actors.push(new MiniActor(counter, 0));
  return async () => {
    for (const a of actors) a.stop();
  };
}
