// The workloads on xstate v5 actors, as its documentation shows: machines made with
// setup().createMachine(), createActor().start(), send(), sendTo() between actors.
import { assign, createActor, sendTo, setup } from "xstate";

export const name = "xstate";
export const description = "xstate 5: machine actors, send/sendTo (a call carries a reply callback)";

// A counter machine: "call" replies with the new count, "cast" only counts.
const counterMachine = setup({
  actions: {
    increment: assign({ count: ({ context }) => context.count + 1 }),
    reply: ({ context, event }) => event.reply(context.count),
  },
}).createMachine({
  context: { count: 0 },
  on: {
    call: { actions: ["increment", "reply"] },
    cast: { actions: "increment" },
  },
});

const callActor = (actor, event) => new Promise((reply) => actor.send({ ...event, reply }));

const ringMachine = setup({
  actions: {
    link: assign({ next: ({ event }) => event.next }),
    finish: ({ context }) => context.finish(),
    pass: sendTo(
      ({ context }) => context.next,
      ({ event }) => ({ type: "token", n: event.n - 1 }),
    ),
  },
  guards: { last: ({ event }) => event.n === 0 },
}).createMachine({
  context: ({ input }) => ({ next: null, finish: input.finish }),
  on: {
    link: { actions: "link" },
    token: [{ guard: "last", actions: "finish" }, { actions: "pass" }],
  },
});

const echoMachine = setup({
  actions: { reply: ({ event }) => event.reply(event.value) },
}).createMachine({ on: { call: { actions: "reply" } } });

// A child that announces itself on entry and throws on "crash"; its parent re-enters the
// invoking state on error, which starts a fresh child: xstate's way to restart an actor.
const crasherMachine = setup({
  actions: {
    announce: ({ context, self }) => context.announce(self),
    crash: () => {
      throw new Error("boom");
    },
  },
}).createMachine({
  context: ({ input }) => ({ announce: input.announce }),
  entry: "announce",
  on: { crash: { actions: "crash" } },
});

const stormMachine = setup({ actors: { crasher: crasherMachine } }).createMachine({
  context: ({ input }) => ({ announce: input.announce }),
  initial: "running",
  states: {
    running: {
      invoke: {
        src: "crasher",
        input: ({ context }) => ({ announce: context.announce }),
        onError: { target: "running", reenter: true },
      },
    },
  },
});

export const workloads = {
  async call(n) {
    const server = createActor(counterMachine).start();
    let last = 0;
    const event = { type: "call" };
    for (let i = 0; i < n; i++) last = await callActor(server, event);
    server.stop();
    return last;
  },

  async cast(n) {
    const server = createActor(counterMachine).start();
    const event = { type: "cast" };
    for (let i = 0; i < n; i++) server.send(event);
    const count = await callActor(server, { type: "call" });
    server.stop();
    return count - 1;
  },

  async ring(hops, timer, { actors }) {
    let finish;
    const done = new Promise((resolve) => (finish = () => resolve(hops)));
    const nodes = [];
    for (let i = 0; i < actors; i++) nodes.push(createActor(ringMachine, { input: { finish } }).start());
    for (let i = 0; i < actors; i++) nodes[i].send({ type: "link", next: nodes[(i + 1) % actors] });
    timer.start();
    nodes[0].send({ type: "token", n: hops });
    const result = await done;
    for (const node of nodes) node.stop();
    return result;
  },

  async spawn(n) {
    let answered = 0;
    for (let i = 0; i < n; i++) {
      const server = createActor(echoMachine).start();
      answered += await callActor(server, { type: "call", value: 1 });
      server.stop();
    }
    return answered;
  },

  selective: null,

  async restart(n) {
    const ups = [];
    let waiting = null;
    const announce = (ref) => {
      if (waiting !== null) {
        const w = waiting;
        waiting = null;
        w(ref);
      } else ups.push(ref);
    };
    const nextUp = () => (ups.length > 0 ? Promise.resolve(ups.shift()) : new Promise((r) => (waiting = r)));
    const storm = createActor(stormMachine, { input: { announce } }).start();
    for (let i = 0; i < n; i++) (await nextUp()).send({ type: "crash" });
    await nextUp();
    storm.stop();
    return n;
  },
};

export const skip = { selective: "no selective receive" };

export async function idle(count) {
  const actors = [];
  for (let i = 0; i < count; i++) actors.push(createActor(counterMachine).start());
  return async () => {
    for (const a of actors) a.stop();
  };
}
