/**
 * Publish/subscribe with topic-based routing.
 *
 * A `PubSubBroker` GenServer keeps, per topic, the subscribers in subscription order
 * and forwards each publication to them as a plain message, which a `Subscriber`
 * gets in `handleInfo` and picks apart with `match`. Every process registers a name:
 * publishers and subscribers find the broker with `whereis`, and the program finds
 * them the same way. Publishing is a `call` that answers how many subscribers were
 * reached, so publications are ordered and every subscriber sees them in that order.
 * Subscribers also report each delivery to an observer, here the program's inbox,
 * which therefore knows when a publication has landed everywhere it was routed.
 * A stopped subscriber unsubscribes on its way out (`terminate`, done before its
 * handle's `cancel` resolves) and its name is released from the registry.
 */
import {
  ANY,
  GenServer,
  call,
  match,
  on,
  register,
  registered,
  whereis,
  send,
  withScope,
  type ActorHandle,
  type ExitReason,
  type From,
  type Pid,
  type Scope,
} from "fauxtp";

export const BROKER_NAME = "pubsub:broker";
export const publisherName = (name: string): string => `pubsub:publisher:${name}`;
export const subscriberName = (name: string): string => `pubsub:subscriber:${name}`;

function registerOrStop(name: string, pid: Pid, stop: (reason: string) => never): void {
  if (!register(name, pid)) stop(`name ${name} already registered`);
}

function lookup(name: string): Pid {
  const pid = whereis(name);
  if (pid === undefined) throw new Error(`no process registered as ${name}`);
  return pid;
}

/** What a subscriber receives for each publication. */
export type Delivery = readonly ["message", topic: string, payload: unknown, publisher: string];

/** What a subscriber tells its observer for each delivery it got. */
export type DeliveryReport = readonly ["delivered", subscriber: string, topic: string];

type BrokerCall =
  | readonly ["subscribe", topic: string, subscriber: Pid]
  | readonly ["unsubscribe", topic: string, subscriber: Pid]
  | readonly ["unsubscribe_all", subscriber: Pid]
  | readonly ["publish", topic: string, payload: unknown, publisher: string]
  | "stats";

export interface BrokerStats {
  /** Topics that have subscribers, sorted. */
  topics: string[];
  /** Subscriber count per topic. */
  subscribers: Record<string, number>;
  published: number;
  /** Deliveries made: one per subscriber per publication. */
  routed: number;
}

interface BrokerState {
  readonly topics: ReadonlyMap<string, readonly Pid[]>;
  readonly published: number;
  readonly routed: number;
}

/** Routes publications to the subscribers of their topic. */
export class PubSubBroker extends GenServer<BrokerState, BrokerCall> {
  override init(): BrokerState {
    registerOrStop(BROKER_NAME, this.pid, (reason) => this.stop(reason));
    return { topics: new Map(), published: 0, routed: 0 };
  }

  override handleCall(request: BrokerCall, _from: From, state: BrokerState): [unknown, BrokerState] {
    if (request === "stats") {
      const topics = [...state.topics.keys()].sort();
      const subscribers = Object.fromEntries(topics.map((t) => [t, state.topics.get(t)?.length ?? 0]));
      const stats: BrokerStats = { topics, subscribers, published: state.published, routed: state.routed };
      return [stats, state];
    }
    switch (request[0]) {
      case "subscribe": {
        const [, topic, pid] = request;
        const subs = state.topics.get(topic) ?? [];
        if (subs.includes(pid)) return ["ok", state];
        return ["ok", { ...state, topics: new Map(state.topics).set(topic, [...subs, pid]) }];
      }
      case "unsubscribe": {
        const [, topic, pid] = request;
        return ["ok", { ...state, topics: without(state.topics, pid, topic) }];
      }
      case "unsubscribe_all": {
        const [, pid] = request;
        return ["ok", { ...state, topics: without(state.topics, pid) }];
      }
      case "publish": {
        const [, topic, payload, publisher] = request;
        const subs = state.topics.get(topic) ?? [];
        for (const pid of subs) send(pid, ["message", topic, payload, publisher] satisfies Delivery);
        return [
          subs.length,
          { ...state, published: state.published + 1, routed: state.routed + subs.length },
        ];
      }
    }
  }
}

/** The topics map without `pid` (in `onlyTopic`, or everywhere); empty topics are dropped. */
function without(
  topics: ReadonlyMap<string, readonly Pid[]>,
  pid: Pid,
  onlyTopic?: string,
): Map<string, readonly Pid[]> {
  const next = new Map<string, readonly Pid[]>();
  for (const [topic, subs] of topics) {
    const kept = onlyTopic === undefined || topic === onlyTopic ? subs.filter((p) => p !== pid) : subs;
    if (kept.length > 0) next.set(topic, kept);
  }
  return next;
}

type PublisherCall = readonly ["publish", topic: string, payload: unknown];

/** Publishes on request and answers how many subscribers were reached. */
export class Publisher extends GenServer<{ published: number }, PublisherCall> {
  readonly publisherId: string;

  constructor(publisherId: string) {
    super();
    this.publisherId = publisherId;
  }

  override init() {
    registerOrStop(publisherName(this.publisherId), this.pid, (reason) => this.stop(reason));
    return { published: 0 };
  }

  override async handleCall(
    [, topic, payload]: PublisherCall,
    _from: From,
    state: { published: number },
  ): Promise<[number, { published: number }]> {
    // Looked up on every publication, so a restarted broker would be found too.
    const broker = lookup(BROKER_NAME);
    const reached = await call<number>(broker, [
      "publish",
      topic,
      payload,
      this.publisherId,
    ] satisfies BrokerCall);
    return [reached, { published: state.published + 1 }];
  }
}

export interface Received {
  topic: string;
  payload: unknown;
  from: string;
}

type SubscriberCall = readonly ["unsubscribe", topic: string] | "received";

interface SubscriberState {
  readonly topics: readonly string[];
  readonly received: readonly Received[];
}

/** Subscribes to its topics in `init`, collects what it is sent and reports it to `observer`. */
export class Subscriber extends GenServer<SubscriberState, SubscriberCall> {
  readonly subscriberId: string;
  readonly initialTopics: readonly string[];
  readonly observer: Pid | undefined;

  constructor(subscriberId: string, topics: readonly string[], observer?: Pid) {
    super();
    this.subscriberId = subscriberId;
    this.initialTopics = topics;
    this.observer = observer;
  }

  override async init(): Promise<SubscriberState> {
    registerOrStop(subscriberName(this.subscriberId), this.pid, (reason) => this.stop(reason));
    const broker = lookup(BROKER_NAME);
    for (const topic of this.initialTopics) {
      await call(broker, ["subscribe", topic, this.pid] satisfies BrokerCall);
    }
    return { topics: [...this.initialTopics], received: [] };
  }

  override handleInfo(message: unknown, state: SubscriberState): SubscriberState {
    const fields = match(message, ["message", String, ANY, String]);
    if (fields === undefined) return state; // not a delivery: ignore it
    const [topic, payload, from] = fields as [string, unknown, string];
    if (this.observer !== undefined) {
      send(this.observer, ["delivered", this.subscriberId, topic] satisfies DeliveryReport);
    }
    return { ...state, received: [...state.received, { topic, payload, from }] };
  }

  override async handleCall(
    request: SubscriberCall,
    _from: From,
    state: SubscriberState,
  ): Promise<[unknown, SubscriberState]> {
    if (request === "received") return [state.received, state];
    const [, topic] = request;
    await call(lookup(BROKER_NAME), ["unsubscribe", topic, this.pid] satisfies BrokerCall);
    return ["ok", { ...state, topics: state.topics.filter((t) => t !== topic) }];
  }

  override async terminate(_reason: ExitReason, _state: SubscriberState): Promise<void> {
    // Have the broker forget us before we are gone. A call, not a cast: once this process
    // is dead, the broker is known to have done it. No broker (any more), nothing to undo.
    const broker = whereis(BROKER_NAME);
    if (broker === undefined) return;
    try {
      await call(broker, ["unsubscribe_all", this.pid] satisfies BrokerCall, 1_000);
    } catch {
      // The broker stopped meanwhile (as when the whole scope shuts down).
    }
  }
}

export interface Route {
  publisher: string;
  topic: string;
  /** The subscribers that got it, sorted. */
  to: string[];
}

export interface PubSubResult {
  /** Where each publication went, in publication order. */
  routes: Route[];
  /** What each subscriber received, in order. */
  received: Record<string, Received[]>;
  /** Whether the stopped subscriber's name was still registered after it stopped. */
  stoppedStillRegistered: boolean;
  broker: BrokerStats;
  /** The example's registered names at the end, sorted. */
  names: string[];
}

export async function run(scope: Scope): Promise<PubSubResult> {
  await PubSubBroker.start(scope);
  const inbox = scope.inbox();

  // Subscribers are linked so one can be stopped by its handle later on.
  const handles = new Map<string, ActorHandle>();
  for (const [name, topics] of [
    ["Analytics", ["events", "metrics"]],
    ["Logger", ["events", "errors"]],
    ["Monitor", ["metrics"]],
  ] as const) {
    handles.set(name, await Subscriber.startLink(scope, {}, name, topics, inbox.pid));
  }
  await Publisher.start(scope, "App");
  await Publisher.start(scope, "Worker");

  const routes: Route[] = [];
  /** Publishes, then waits until every subscriber reached has reported the delivery. */
  const publish = async (publisher: string, topic: string, payload: unknown): Promise<void> => {
    const reached = await call<number>(lookup(publisherName(publisher)), ["publish", topic, payload]);
    const to: string[] = [];
    while (to.length < reached) {
      // The timeout only guards a hang.
      to.push(
        await inbox.receive(
          on(["delivered", String, topic], (name: string) => name),
          { timeout: 1_000 },
        ),
      );
    }
    routes.push({ publisher, topic, to: to.sort() });
  };
  const receivedBy = (name: string): Promise<Received[]> =>
    call<Received[]>(lookup(subscriberName(name)), "received");

  await publish("App", "events", "User logged in");
  await publish("App", "metrics", { cpu: 45, memory: 2048 });
  await publish("Worker", "events", "Job completed");
  await publish("Worker", "errors", "Connection timeout");
  await publish("App", "metrics", { cpu: 52, memory: 2100 });

  // Logger no longer wants events.
  await call(lookup(subscriberName("Logger")), ["unsubscribe", "events"] satisfies SubscriberCall);
  await publish("Worker", "events", "Deploy finished");

  // Monitor leaves altogether: collect what it got, then stop it.
  const monitorReceived = await receivedBy("Monitor");
  await handles.get("Monitor")?.cancel();
  const stoppedStillRegistered = whereis(subscriberName("Monitor")) !== undefined;

  await publish("App", "metrics", { cpu: 61, memory: 2300 });
  await publish("App", "audit", "nobody listens");

  const received = {
    Analytics: await receivedBy("Analytics"),
    Logger: await receivedBy("Logger"),
    Monitor: monitorReceived,
  };
  const broker = await call<BrokerStats>(lookup(BROKER_NAME), "stats");
  const names = registered()
    .filter((n) => n.startsWith("pubsub:"))
    .sort();
  return { routes, received, stoppedStillRegistered, broker, names };
}

export async function main(): Promise<void> {
  console.log("=== Pub/sub system ===");
  const result = await withScope(run);
  for (const r of result.routes) {
    console.log(`${r.publisher} -> [${r.topic}] reached ${r.to.length ? r.to.join(", ") : "nobody"}`);
  }
  for (const [name, messages] of Object.entries(result.received)) {
    console.log(`${name} received ${messages.length}:`);
    for (const m of messages) console.log(`  [${m.topic}] from ${m.from}: ${JSON.stringify(m.payload)}`);
  }
  console.log(`Monitor still registered after stopping: ${result.stoppedStillRegistered}`);
  console.log(`broker: ${JSON.stringify(result.broker)}`);
  console.log(`registered names: ${result.names.join(", ")}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
