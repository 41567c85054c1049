/**
 * Multi-stage processing pipeline: Producer -> Processors -> Consumer.
 *
 * Work flows by demand, GenStage style: the Coordinator runs one lane per Processor
 * as a task (`spawnTask`), and each lane asks the Producer for the next event of its
 * partition, has its Processor transform it, and hands the result to the Consumer,
 * waiting at every step. No stage is ever sent more than it asked for
 * (backpressure), the Processors work in parallel, and the Producer's partitioning
 * keeps the outcome deterministic. When every lane has ended (`handleTaskEnd`), the
 * Coordinator tells whoever asked for the run, here the program's own inbox.
 */
import {
  ANY,
  GenServer,
  Supervisor,
  call,
  childSpec,
  on,
  register,
  send,
  sleep,
  whereis,
  withScope,
  type From,
  type Pid,
  type Scope,
} from "fauxtp";

export const PRODUCER = "pipeline:producer";
export const CONSUMER = "pipeline:consumer";
export const COORDINATOR = "pipeline:coordinator";
export const processorName = (id: number): string => `pipeline:processor:${id}`;

/** What the Producer emits. */
export interface PipelineEvent {
  id: number;
  data: string;
}

/** What a Processor makes of an event. */
export interface ProcessedEvent extends PipelineEvent {
  processedBy: number;
  transformed: string;
}

function registerOrStop(name: string, pid: Pid, stop: (reason: string) => never): void {
  if (!register(name, pid)) stop(`name ${name} already registered`);
}

function lookup(name: string): Pid {
  const pid = whereis(name);
  if (pid === undefined) throw new Error(`no process registered as ${name}`);
  return pid;
}

type ProducerRequest = readonly ["demand", partition: number] | "stats";

interface ProducerState {
  /** The next event id of each partition. */
  readonly cursors: readonly number[];
  readonly produced: number;
}

/**
 * Emits events `0 .. total-1`, split into `partitions` interleaved partitions
 * (partition p gets p, p+partitions, ...), one per demand; `null` once a partition
 * is exhausted.
 */
export class Producer extends GenServer<ProducerState, ProducerRequest> {
  readonly total: number;
  readonly partitions: number;

  constructor(total: number, partitions: number) {
    super();
    this.total = total;
    this.partitions = partitions;
  }

  override init(): ProducerState {
    registerOrStop(PRODUCER, this.pid, (reason) => this.stop(reason));
    return { cursors: Array.from({ length: this.partitions }, (_, p) => p), produced: 0 };
  }

  override handleCall(request: ProducerRequest, _from: From, state: ProducerState): [unknown, ProducerState] {
    if (request === "stats") return [{ produced: state.produced }, state];
    const [, partition] = request;
    const id = state.cursors[partition];
    if (id === undefined) throw new Error(`no partition ${partition}`);
    if (id >= this.total) return [null, state];
    const event: PipelineEvent = { id, data: `item_${id}` };
    const cursors = state.cursors.map((c, p) => (p === partition ? c + this.partitions : c));
    return [event, { cursors, produced: state.produced + 1 }];
  }
}

type ProcessorRequest = readonly ["process", event: PipelineEvent] | "stats";

export interface ProcessorStats {
  processor: number;
  processed: number;
}

/** Transforms one event at a time, taking a little (simulated) time for each. */
export class Processor extends GenServer<ProcessorStats, ProcessorRequest> {
  readonly processorId: number;
  readonly workMs: number;

  constructor(processorId: number, workMs = 2) {
    super();
    this.processorId = processorId;
    this.workMs = workMs;
  }

  override init(): ProcessorStats {
    registerOrStop(processorName(this.processorId), this.pid, (reason) => this.stop(reason));
    return { processor: this.processorId, processed: 0 };
  }

  override async handleCall(
    request: ProcessorRequest,
    _from: From,
    state: ProcessorStats,
  ): Promise<[unknown, ProcessorStats]> {
    if (request === "stats") return [state, state];
    const [, event] = request;
    await sleep(this.workMs);
    const processed: ProcessedEvent = {
      ...event,
      processedBy: this.processorId,
      transformed: event.data.toUpperCase(),
    };
    return [processed, { ...state, processed: state.processed + 1 }];
  }
}

type ConsumerRequest = readonly ["store", result: ProcessedEvent] | "results" | "stats";

/** Stores results as they come, in whatever order the lanes deliver them. */
export class Consumer extends GenServer<ProcessedEvent[], ConsumerRequest> {
  override init(): ProcessedEvent[] {
    registerOrStop(CONSUMER, this.pid, (reason) => this.stop(reason));
    return [];
  }

  override handleCall(
    request: ConsumerRequest,
    _from: From,
    state: ProcessedEvent[],
  ): [unknown, ProcessedEvent[]] {
    if (request === "results") return [[...state].sort((a, b) => a.id - b.id), state];
    if (request === "stats") return [{ stored: state.length }, state];
    // Acknowledging the store (a call, not a cast) is what holds a fast lane back.
    return ["ok", [...state, request[1]]];
  }
}

/** Runs one lane until its partition is exhausted; returns how many events it carried. */
async function runLane(lane: number, processor: Pid): Promise<number> {
  const producer = lookup(PRODUCER);
  const consumer = lookup(CONSUMER);
  let carried = 0;
  for (;;) {
    const event = await call<PipelineEvent | null>(producer, ["demand", lane] satisfies ProducerRequest);
    if (event === null) return carried;
    const result = await call<ProcessedEvent>(processor, ["process", event] satisfies ProcessorRequest);
    await call(consumer, ["store", result] satisfies ConsumerRequest);
    carried++;
  }
}

export interface RunSummary {
  /** Events carried per lane, in lane order. */
  lanes: number[];
  /** Lanes that crashed. */
  failedLanes: number;
}

type CoordinatorRequest = readonly ["run", replyTo: Pid];

interface CoordinatorState {
  /** Running lane tasks: task pid -> lane. */
  readonly running: ReadonlyMap<Pid, number>;
  readonly lanes: readonly number[];
  readonly failedLanes: number;
  readonly replyTo: Pid | null;
}

/** Starts the lanes on request and reports to the requester when all have ended. */
export class Coordinator extends GenServer<CoordinatorState, CoordinatorRequest> {
  readonly processors: number;

  constructor(processors: number) {
    super();
    this.processors = processors;
  }

  override init(): CoordinatorState {
    registerOrStop(COORDINATOR, this.pid, (reason) => this.stop(reason));
    return { running: new Map(), lanes: [], failedLanes: 0, replyTo: null };
  }

  override handleCall(
    [, replyTo]: CoordinatorRequest,
    _from: From,
    state: CoordinatorState,
  ): [string, CoordinatorState] {
    if (state.running.size > 0) return ["already_running", state];
    const running = new Map<Pid, number>();
    for (let lane = 0; lane < this.processors; lane++) {
      const task = this.spawnTask(runLane, lane, lookup(processorName(lane + 1)));
      if (task === null) throw new Error("could not start a lane");
      running.set(task, lane);
    }
    const lanes = Array.from({ length: this.processors }, () => 0);
    return ["started", { running, lanes, failedLanes: 0, replyTo }];
  }

  override handleTaskEnd(
    taskPid: Pid,
    status: "success" | "failure",
    result: unknown,
    state: CoordinatorState,
  ): CoordinatorState {
    const lane = state.running.get(taskPid);
    if (lane === undefined) return state;
    const running = new Map(state.running);
    running.delete(taskPid);
    const lanes = state.lanes.map((n, i) => (i === lane && status === "success" ? (result as number) : n));
    const failedLanes = state.failedLanes + (status === "failure" ? 1 : 0);
    if (running.size === 0 && state.replyTo !== null) {
      send(state.replyTo, ["pipeline_done", { lanes, failedLanes } satisfies RunSummary]);
    }
    return { running, lanes, failedLanes, replyTo: running.size === 0 ? null : state.replyTo };
  }
}

/** How many events flow through, and how many Processors share them. */
export const EVENTS = 30;
export const PROCESSORS = 3;

/** Every stage of the pipeline, started in order. */
export class PipelineApp extends Supervisor {
  readonly events: number;
  readonly processors: number;

  constructor(events: number = EVENTS, processors: number = PROCESSORS) {
    super();
    this.events = events;
    this.processors = processors;
  }

  override childSpecs() {
    return [
      childSpec({ id: "producer", actor: Producer, args: [this.events, this.processors] }),
      ...Array.from({ length: this.processors }, (_, i) =>
        childSpec({ id: `processor${i + 1}`, actor: Processor, args: [i + 1] }),
      ),
      childSpec({ id: "consumer", actor: Consumer }),
      childSpec({ id: "coordinator", actor: Coordinator, args: [this.processors] }),
    ];
  }
}

export interface PipelineResult {
  /** Everything the Consumer stored, sorted by event id. */
  items: ProcessedEvent[];
  summary: RunSummary;
  produced: number;
  stored: number;
  processors: ProcessorStats[];
}

export async function run(scope: Scope): Promise<PipelineResult> {
  await PipelineApp.start(scope, EVENTS, PROCESSORS);
  const inbox = scope.inbox();

  const started = await call<string>(lookup(COORDINATOR), ["run", inbox.pid] satisfies CoordinatorRequest);
  if (started !== "started") throw new Error(`pipeline did not start: ${started}`);
  // The coordinator reports when every lane has ended; the timeout only guards a hang.
  const summary = await inbox.receive(
    on(["pipeline_done", ANY], (s: RunSummary) => s),
    { timeout: 5_000 },
  );

  const items = await call<ProcessedEvent[]>(lookup(CONSUMER), "results");
  const { stored } = await call<{ stored: number }>(lookup(CONSUMER), "stats");
  const { produced } = await call<{ produced: number }>(lookup(PRODUCER), "stats");
  const processors = await Promise.all(
    Array.from({ length: PROCESSORS }, (_, i) => call<ProcessorStats>(lookup(processorName(i + 1)), "stats")),
  );
  return { items, summary, produced, stored, processors };
}

export async function main(): Promise<void> {
  console.log("=== Pipeline processing ===");
  const result = await withScope(run);
  console.log(`produced ${result.produced}, stored ${result.stored}`);
  console.log(
    `events per lane: ${result.summary.lanes.join(", ")} (failed lanes: ${result.summary.failedLanes})`,
  );
  for (const p of result.processors) console.log(`processor ${p.processor}: ${p.processed} events`);
  const sample = result.items.slice(0, 4).map((e) => `${e.data}->${e.transformed}@${e.processedBy}`);
  console.log(`first results: ${sample.join(" ")} ...`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
