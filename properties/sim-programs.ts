/**
 * Small random actor programs for the simulator's properties: a few GenServer nodes,
 * client tasks running scripts of sends (relayed along routes), casts, calls, sleeps and
 * background tasks. Every message carries its sender's sequence number for its receiver,
 * so that a receiver can check per-pair FIFO exactly; every wait checks its own timing.
 */
import fc from "fast-check";
import {
  CallTimeout,
  GenServer,
  Task,
  call,
  cast,
  now,
  register,
  send,
  sleep,
  whereis,
  type From,
  type Pid,
  type Scope,
  type TaskStatus,
} from "fauxtp";

/** One step of a client's script. */
export type Op =
  | { readonly op: "send"; readonly to: number; readonly route: readonly number[] }
  | { readonly op: "cast"; readonly to: number; readonly n: number }
  | { readonly op: "call"; readonly to: number; readonly timeout: number }
  | { readonly op: "sleep"; readonly ms: number }
  | { readonly op: "task"; readonly to: number; readonly ms: number };

export interface Program {
  /** Per node: how long its info handler sleeps (0: a sync handler). */
  readonly nodes: readonly number[];
  /** Per client task: its script. */
  readonly clients: readonly (readonly Op[])[];
}

/** Programs of 2–4 nodes and 1–3 clients, each with up to 6 steps. */
export function programArb(): fc.Arbitrary<Program> {
  return fc.integer({ min: 2, max: 4 }).chain((n) => {
    const node = fc.integer({ min: 0, max: n - 1 });
    const op: fc.Arbitrary<Op> = fc.oneof(
      {
        arbitrary: fc.record({
          op: fc.constant("send" as const),
          to: node,
          route: fc.array(node, { maxLength: 3 }),
        }),
        weight: 4,
      },
      {
        arbitrary: fc.record({
          op: fc.constant("cast" as const),
          to: node,
          n: fc.integer({ min: 1, max: 9 }),
        }),
        weight: 3,
      },
      {
        arbitrary: fc.record({
          op: fc.constant("call" as const),
          to: node,
          timeout: fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 6 })),
        }),
        weight: 2,
      },
      {
        arbitrary: fc.record({ op: fc.constant("sleep" as const), ms: fc.integer({ min: 0, max: 5 }) }),
        weight: 2,
      },
      {
        arbitrary: fc.record({
          op: fc.constant("task" as const),
          to: node,
          ms: fc.integer({ min: 0, max: 4 }),
        }),
        weight: 1,
      },
    );
    return fc.record({
      nodes: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
      clients: fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }),
    });
  });
}

/** A relayed message: `["hop", id, rest of the route, sender key, sender's sequence number for this receiver]`. */
type Hop = readonly ["hop", string, readonly number[], string, number];

interface NodeState {
  sum: number;
  /** Ids of the relayed messages seen, in arrival order. */
  seen: string[];
  /** Per sender: the last sequence number seen. */
  last: Record<string, number>;
  /** Per receiver: the next sequence number to send. */
  out: Record<string, number>;
  /** Per-pair order violations observed. */
  violations: string[];
  tasksEnded: number;
}

export interface NodeReport {
  readonly sum: number;
  readonly seen: readonly string[];
  readonly violations: readonly string[];
  readonly tasksEnded: number;
}

const nodeName = (i: number): string => `node${i}`;

type NodeCall = "report" | "sync" | ["echo", string];
type NodeCast = ["add", number] | ["spawn", number];

/** A node: sums casts, relays hops along their route, runs background tasks. */
export class Node extends GenServer<NodeState, NodeCall, NodeCast> {
  private readonly index: number;
  private readonly slowMs: number;
  constructor(index: number, slowMs: number) {
    super();
    this.index = index;
    this.slowMs = slowMs;
  }
  override init(): NodeState {
    return { sum: 0, seen: [], last: {}, out: {}, violations: [], tasksEnded: 0 };
  }
  override handleCall(request: NodeCall, _from: From, state: NodeState): readonly [unknown, NodeState] {
    if (request === "report") {
      const report: NodeReport = {
        sum: state.sum,
        seen: state.seen.slice(),
        violations: state.violations.slice(),
        tasksEnded: state.tasksEnded,
      };
      return [report, state];
    }
    if (request === "sync") return ["ok", state];
    return [request[1], state];
  }
  override handleCast(request: NodeCast, state: NodeState): NodeState {
    if (request[0] === "add") return { ...state, sum: state.sum + request[1] };
    this.spawnTask(async (ms: number) => {
      await sleep(ms);
      return ms;
    }, request[1]);
    return state;
  }
  override handleTaskEnd(_task: Pid, _status: TaskStatus, _result: unknown, state: NodeState): NodeState {
    return { ...state, tasksEnded: state.tasksEnded + 1 };
  }
  override async handleInfo(message: unknown, state: NodeState): Promise<NodeState> {
    const [, id, route, from, seq] = message as Hop;
    const last = state.last[from] ?? -1;
    if (seq <= last) state.violations.push(`${nodeName(this.index)} got ${from}#${seq} after #${last}`);
    state.last[from] = seq;
    state.seen.push(id);
    if (this.slowMs > 0) await sleep(this.slowMs);
    const [next, ...rest] = route;
    if (next !== undefined) {
      const key = nodeName(next);
      const out = state.out[key] ?? 0;
      state.out[key] = out + 1;
      send(whereis(key) as Pid, ["hop", id, rest, nodeName(this.index), out] satisfies Hop);
    }
    return state;
  }
}

export interface ProgramResult {
  /** Per node, its final report. */
  readonly nodes: readonly NodeReport[];
  /** Per client, what its calls returned (`timeout` for a CallTimeout). */
  readonly calls: readonly (readonly string[])[];
  /** Timing or reply violations seen by the clients. */
  readonly violations: readonly string[];
  /** Per node, the sum of the casts sent to it. */
  readonly expectedSums: readonly number[];
}

/**
 * The body that runs `program`: start and register the nodes, run the clients as tasks,
 * each ending with a `sync` call to every node it cast to, then collect reports.
 */
export function bodyOf(program: Program): (scope: Scope) => Promise<ProgramResult> {
  return async (scope) => {
    const pids: Pid[] = [];
    for (const [i, slow] of program.nodes.entries()) {
      const pid = await Node.start(scope, i, slow);
      register(nodeName(i), pid);
      pids.push(pid);
    }
    const pidOf = (i: number): Pid => pids[i] as Pid;
    const violations: string[] = [];
    const expectedSums = program.nodes.map(() => 0);
    const tasks = await Promise.all(
      program.clients.map((script, c) =>
        Task.spawn(scope, async () => {
          const key = `client${c}`;
          const out = new Map<number, number>();
          const castTo = new Set<number>();
          const results: string[] = [];
          let k = 0;
          for (const step of script) {
            k++;
            switch (step.op) {
              case "send": {
                const seq = out.get(step.to) ?? 0;
                out.set(step.to, seq + 1);
                send(pidOf(step.to), ["hop", `${key}.${k}`, step.route, key, seq] satisfies Hop);
                break;
              }
              case "cast":
                castTo.add(step.to);
                expectedSums[step.to] = (expectedSums[step.to] ?? 0) + step.n;
                cast(pidOf(step.to), ["add", step.n]);
                break;
              case "call": {
                const t0 = now();
                const tag = `${key}.${k}`;
                const r = await call<string>(pidOf(step.to), ["echo", tag], step.timeout).then(
                  (v) => v,
                  (e: unknown) => (e instanceof CallTimeout ? "timeout" : `error ${String(e)}`),
                );
                if (r === "timeout" && now() - t0 < step.timeout)
                  violations.push(`${tag}: call timed out after ${now() - t0}ms < ${step.timeout}ms`);
                if (r !== "timeout" && r !== tag) violations.push(`${tag}: call got the reply ${r}`);
                results.push(r);
                break;
              }
              case "sleep": {
                const t0 = now();
                await sleep(step.ms);
                if (now() - t0 < step.ms)
                  violations.push(`${key}.${k}: sleep ${step.ms} woke after ${now() - t0}`);
                break;
              }
              case "task":
                cast(pidOf(step.to), ["spawn", step.ms]);
                break;
            }
          }
          // a call after the casts, from the same sender: they are handled when it returns
          for (const to of castTo) await call(pidOf(to), "sync", Infinity);
          return results;
        }),
      ),
    );
    const calls: string[][] = [];
    for (const t of tasks) calls.push(await t.join());
    const nodes: NodeReport[] = [];
    for (const pid of pids) nodes.push(await call<NodeReport>(pid, "report", Infinity));
    return { nodes, calls, violations, expectedSums };
  };
}
