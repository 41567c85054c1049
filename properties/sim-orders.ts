/**
 * Tiny programs for brute-force reach: a few senders, one or two messages each, one
 * receiver that records the order in which the messages arrive.
 */
import fc from "fast-check";
import { Actor, GenServer, Task, cast, on, send, sleep, type Pid, type Scope } from "fauxtp";

/** How the senders send. */
export type SenderStyle = "tasks" | "servers" | "sleepy";
/** Who receives. */
export type ReceiverKind = "inbox" | "actor";

export interface TinyProgram {
  /** Per sender, how many messages it sends (1 or 2). */
  readonly senders: readonly number[];
  readonly style: SenderStyle;
  readonly receiver: ReceiverKind;
}

export function tinyProgramArb(): fc.Arbitrary<TinyProgram> {
  return fc.record({
    senders: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 2, maxLength: 3 }),
    style: fc.constantFrom<SenderStyle>("tasks", "servers", "sleepy"),
    receiver: fc.constantFrom<ReceiverKind>("inbox", "actor"),
  });
}

/** The messages of each sender, in its send order: sender 0 sends `a1`, `a2`; sender 1 `b1`… */
export function lanesOf(program: TinyProgram): string[][] {
  return program.senders.map((n, s) =>
    Array.from({ length: n }, (_, i) => `${String.fromCharCode(97 + s)}${i + 1}`),
  );
}

/** Sends its messages when told, from inside a cast handler. */
class Sender extends GenServer<null, never, ["go", Pid, string[]]> {
  override init(): null {
    return null;
  }
  override handleCast([, to, messages]: ["go", Pid, string[]]): null {
    for (const m of messages) send(to, m);
    return null;
  }
}

/** Collects `count` strings, then sends their order to `report`. */
class Collector extends Actor<string[]> {
  private readonly count: number;
  private readonly report: Pid;
  constructor(count: number, report: Pid) {
    super();
    this.count = count;
    this.report = report;
  }
  override init(): string[] {
    return [];
  }
  override async run(seen: string[]): Promise<string[]> {
    const next = [...seen, await this.receive(on(String, (s: string) => s))];
    if (next.length === this.count) {
      send(this.report, next);
      this.stop("normal");
    }
    return next;
  }
}

/** The body: run the senders, return the order in which the receiver got the messages. */
export function tinyBody(program: TinyProgram): (scope: Scope) => Promise<string> {
  const lanes = lanesOf(program);
  const total = lanes.reduce((n, l) => n + l.length, 0);
  return async (scope) => {
    const inbox = scope.inbox();
    const to = program.receiver === "inbox" ? inbox.pid : await Collector.start(scope, total, inbox.pid);
    if (program.style === "servers") {
      const senders: Pid[] = [];
      for (let i = 0; i < lanes.length; i++) senders.push(await Sender.start(scope));
      lanes.forEach((messages, i) => cast(senders[i] as Pid, ["go", to, messages]));
    } else {
      for (const messages of lanes) {
        await Task.spawn(scope, async () => {
          for (const [i, m] of messages.entries()) {
            if (i > 0 && program.style === "sleepy") await sleep(1);
            send(to, m);
          }
        });
      }
    }
    if (program.receiver === "actor") return inbox.receive(on(Array, (order: string[]) => order.join(" ")));
    const order: string[] = [];
    for (let i = 0; i < total; i++) order.push(await inbox.receive(on(String, (s: string) => s)));
    return order.join(" ");
  };
}
