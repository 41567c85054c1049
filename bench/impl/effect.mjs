// The workloads on effect, as its documentation shows: an actor is a fiber looping on a
// Queue; a call carries a Deferred for the reply; Effect.retry restarts a failing fiber.
import { Deferred, Effect, Fiber, Queue, Schedule } from "effect";

export const name = "effect";
export const description = "effect 4: a fiber looping on a Queue, calls answered through a Deferred";

class Call {
  constructor(request, reply) {
    this.request = request;
    this.reply = reply;
  }
}

const callQ = (queue, request) =>
  Effect.gen(function* () {
    const reply = yield* Deferred.make();
    yield* Queue.offer(queue, new Call(request, reply));
    return yield* Deferred.await(reply);
  });

// A counter fiber: a Call is answered with the new count, anything else is counted.
const counter = (queue) => {
  let count = 0;
  return Effect.forever(
    Effect.flatMap(Queue.take(queue), (msg) => {
      count++;
      return msg instanceof Call ? Deferred.succeed(msg.reply, count) : Effect.void;
    }),
  );
};

const echo = (queue) =>
  Effect.forever(Effect.flatMap(Queue.take(queue), (msg) => Deferred.succeed(msg.reply, msg.request)));

export const workloads = {
  call: (n) =>
    Effect.runPromise(
      Effect.gen(function* () {
        const queue = yield* Queue.unbounded();
        const fiber = yield* Effect.forkChild(counter(queue));
        let last = 0;
        for (let i = 0; i < n; i++) last = yield* callQ(queue, "inc");
        yield* Fiber.interrupt(fiber);
        return last;
      }),
    ),

  cast: (n) =>
    Effect.runPromise(
      Effect.gen(function* () {
        const queue = yield* Queue.unbounded();
        const fiber = yield* Effect.forkChild(counter(queue));
        for (let i = 0; i < n; i++) yield* Queue.offer(queue, "inc");
        const count = yield* callQ(queue, "get");
        yield* Fiber.interrupt(fiber);
        return count - 1;
      }),
    ),

  ring: (hops, timer, { actors }) =>
    Effect.runPromise(
      Effect.gen(function* () {
        const done = yield* Deferred.make();
        const queues = [];
        for (let i = 0; i < actors; i++) queues.push(yield* Queue.unbounded());
        const fibers = [];
        for (let i = 0; i < actors; i++) {
          const inbox = queues[i];
          const next = queues[(i + 1) % actors];
          const node = Effect.forever(
            Effect.flatMap(Queue.take(inbox), (token) =>
              token === 0 ? Deferred.succeed(done, hops) : Queue.offer(next, token - 1),
            ),
          );
          fibers.push(yield* Effect.forkChild(node));
        }
        timer.start();
        yield* Queue.offer(queues[0], hops);
        const result = yield* Deferred.await(done);
        yield* Fiber.interruptAll(fibers);
        return result;
      }),
    ),

  spawn: (n) =>
    Effect.runPromise(
      Effect.gen(function* () {
        let answered = 0;
        for (let i = 0; i < n; i++) {
          const queue = yield* Queue.unbounded();
          const fiber = yield* Effect.forkChild(echo(queue));
          answered += yield* callQ(queue, 1);
          yield* Fiber.interrupt(fiber);
        }
        return answered;
      }),
    ),

  selective: null,

  restart: (n) =>
    Effect.runPromise(
      Effect.gen(function* () {
        const ups = yield* Queue.unbounded();
        // The child: a fresh mailbox, announced, then a loop that fails on "crash".
        const child = Effect.gen(function* () {
          const inbox = yield* Queue.unbounded();
          yield* Queue.offer(ups, inbox);
          return yield* Effect.forever(
            Effect.flatMap(Queue.take(inbox), (msg) => (msg === "crash" ? Effect.fail("boom") : Effect.void)),
          );
        });
        const supervised = yield* Effect.forkChild(Effect.retry(child, Schedule.forever));
        for (let i = 0; i < n; i++) yield* Queue.offer(yield* Queue.take(ups), "crash");
        yield* Queue.take(ups);
        yield* Fiber.interrupt(supervised);
        return n;
      }),
    ),
};

export const skip = { selective: "no selective receive" };

export async function idle(count) {
  let release;
  const hold = new Promise((resolve) => (release = resolve));
  let ready;
  const started = new Promise((resolve) => (ready = resolve));
  const finished = Effect.runPromise(
    Effect.gen(function* () {
      const fibers = [];
      for (let i = 0; i < count; i++) {
        const queue = yield* Queue.unbounded();
        fibers.push(yield* Effect.forkChild(counter(queue)));
      }
      yield* Effect.yieldNow;
      ready();
      yield* Effect.promise(() => hold);
      yield* Fiber.interruptAll(fibers);
    }),
  );
  await started;
  return async () => {
    release();
    await finished;
  };
}
