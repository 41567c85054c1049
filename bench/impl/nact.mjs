// The workloads on nact, as its documentation shows: spawn/dispatch/query on an actor system.
import nact from "nact";

const { start, spawn, dispatch, query, stop } = nact;

export const name = "nact";
export const description = "nact 7: spawn, dispatch, query (a timeout per query)";

const TIMEOUT = 5000; // the same timeout as fauxtp's default call timeout

function withSystem(body) {
  const system = start();
  return Promise.resolve(body(system)).finally(() => stop(system));
}

// A counter: a query ({ sender }) is answered with the count; anything else is counted.
const counter = (count, msg) => {
  const next = count + 1;
  if (msg.sender !== undefined) dispatch(msg.sender, next);
  return next;
};

const INC = { type: "inc" };

export const workloads = {
  call: (n) =>
    withSystem(async (system) => {
      const server = spawn(system, counter, "counter", { initialState: 0 });
      let last = 0;
      for (let i = 0; i < n; i++) last = await query(server, (sender) => ({ type: "inc", sender }), TIMEOUT);
      return last;
    }),

  cast: (n) =>
    withSystem(async (system) => {
      const server = spawn(system, counter, "counter", { initialState: 0 });
      for (let i = 0; i < n; i++) dispatch(server, INC);
      return (await query(server, (sender) => ({ type: "get", sender }), 60_000)) - 1;
    }),

  ring: (hops, timer, { actors }) =>
    withSystem(async (system) => {
      let finish;
      const done = new Promise((resolve) => (finish = resolve));
      const node = (next, msg) => {
        if (msg.type === "link") return msg.next;
        if (msg.token === 0) finish(hops);
        else dispatch(next, { type: "token", token: msg.token - 1 });
        return next;
      };
      const refs = [];
      for (let i = 0; i < actors; i++) refs.push(spawn(system, node, `node-${i}`, { initialState: null }));
      for (let i = 0; i < actors; i++) dispatch(refs[i], { type: "link", next: refs[(i + 1) % actors] });
      timer.start();
      dispatch(refs[0], { type: "token", token: hops });
      return done;
    }),

  spawn: (n) =>
    withSystem(async (system) => {
      const echo = (state, msg) => {
        dispatch(msg.sender, msg.value);
        return state;
      };
      let answered = 0;
      for (let i = 0; i < n; i++) {
        const server = spawn(system, echo, undefined, { initialState: 0 });
        answered += await query(server, (sender) => ({ value: 1, sender }), TIMEOUT);
        stop(server);
      }
      return answered;
    }),

  selective: null,

  restart: (n) =>
    withSystem(async (system) => {
      // nact's supervision: onCrash decides; `reset` restarts the actor with a fresh state.
      const ups = [];
      let waiting = null;
      const announce = (ref) => {
        if (waiting !== null) {
          const w = waiting;
          waiting = null;
          w(ref);
        } else ups.push(ref);
      };
      const nextUp = () =>
        ups.length > 0 ? Promise.resolve(ups.shift()) : new Promise((r) => (waiting = r));
      spawn(
        system,
        () => {
          throw new Error("boom");
        },
        "crasher",
        {
          initialStateFunc: (ctx) => {
            announce(ctx.self);
            return 0;
          },
          onCrash: (_msg, _error, ctx) => ctx.reset,
        },
      );
      for (let i = 0; i < n; i++) dispatch(await nextUp(), "crash");
      await nextUp();
      return n;
    }),
};

export const skip = { selective: "no selective receive" };

export async function idle(count) {
  const system = start();
  const keep = (state) => state;
  for (let i = 0; i < count; i++) spawn(system, keep, `idle-${i}`, { initialState: 0 });
  return async () => stop(system);
}
