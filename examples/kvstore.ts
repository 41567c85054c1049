/**
 * Concurrent key-value store.
 *
 * One `KVStore` GenServer owns the data. Every read and write is a `call`, so the
 * server handles requests one at a time and concurrent clients never race: a burst
 * of Tasks incrementing one shared counter loses no update. Writer and Reader
 * clients run under a Supervisor next to the store and find it (and the program
 * finds them) by registered name. A `call` queued behind a client's casts is the
 * barrier that says "everything cast before this has been handled".
 */
import {
  GenServer,
  Supervisor,
  Task,
  call,
  cast,
  childSpec,
  register,
  whereis,
  withScope,
  type From,
  type Pid,
  type Scope,
} from "fauxtp";

/** The name the store registers under. */
export const STORE_NAME = "kvstore";

export type StoreRequest =
  | readonly ["get", key: string]
  | readonly ["put", key: string, value: unknown]
  | readonly ["incr", key: string, by: number]
  | "stats"
  | "snapshot";

export interface StoreStats {
  keys: number;
  reads: number;
  writes: number;
}

interface StoreState {
  /** Owned by the server: it never leaves it except as a copy. */
  readonly data: Map<string, unknown>;
  readonly reads: number;
  readonly writes: number;
}

/** Registers its pid under `name`; the start fails if the name is taken. */
function registerOrStop(name: string, pid: Pid, stop: (reason: string) => never): void {
  if (!register(name, pid)) stop(`name ${name} already registered`);
}

/** Looks a registered process up, or throws (crashing the caller) when it is gone. */
function lookup(name: string): Pid {
  const pid = whereis(name);
  if (pid === undefined) throw new Error(`no process registered as ${name}`);
  return pid;
}

/** The key-value store: a map behind a mailbox. */
export class KVStore extends GenServer<StoreState, StoreRequest> {
  readonly registeredName: string;

  constructor(registeredName: string = STORE_NAME) {
    super();
    this.registeredName = registeredName;
  }

  override init(): StoreState {
    registerOrStop(this.registeredName, this.pid, (reason) => this.stop(reason));
    return { data: new Map(), reads: 0, writes: 0 };
  }

  override handleCall(request: StoreRequest, _from: From, state: StoreState): [unknown, StoreState] {
    if (request === "stats") {
      const stats: StoreStats = { keys: state.data.size, reads: state.reads, writes: state.writes };
      return [stats, state];
    }
    if (request === "snapshot") {
      const keys = [...state.data.keys()].sort();
      return [Object.fromEntries(keys.map((k) => [k, state.data.get(k)])), state];
    }
    switch (request[0]) {
      case "get": {
        const [, key] = request;
        return [state.data.get(key) ?? null, { ...state, reads: state.reads + 1 }];
      }
      case "put": {
        const [, key, value] = request;
        state.data.set(key, value);
        return ["ok", { ...state, writes: state.writes + 1 }];
      }
      case "incr": {
        // A read-modify-write: safe because the server handles one request at a time.
        const [, key, by] = request;
        const current = state.data.get(key);
        const next = (typeof current === "number" ? current : 0) + by;
        state.data.set(key, next);
        return [next, { ...state, writes: state.writes + 1 }];
      }
    }
  }
}

export interface WriterStats {
  id: string;
  writes: number;
}

type WriterCast = readonly ["write", key: string, value: unknown];

/** A client that turns `["write", key, value]` casts into `put` calls on the store. */
export class Writer extends GenServer<WriterStats, "stats", WriterCast> {
  readonly clientId: string;
  readonly storeName: string;

  constructor(clientId: string, storeName: string = STORE_NAME) {
    super();
    this.clientId = clientId;
    this.storeName = storeName;
  }

  override init(): WriterStats {
    registerOrStop(`writer:${this.clientId}`, this.pid, (reason) => this.stop(reason));
    return { id: this.clientId, writes: 0 };
  }

  override async handleCast([, key, value]: WriterCast, state: WriterStats): Promise<WriterStats> {
    await call(lookup(this.storeName), ["put", key, value] satisfies StoreRequest);
    return { ...state, writes: state.writes + 1 };
  }

  override handleCall(_request: "stats", _from: From, state: WriterStats): [WriterStats, WriterStats] {
    return [state, state];
  }
}

export interface ReaderStats {
  id: string;
  reads: number;
  /** What each key read as (`null` for a missing key). */
  seen: Record<string, unknown>;
}

type ReaderCast = readonly ["read", key: string];

/** A client that turns `["read", key]` casts into `get` calls and remembers the answers. */
export class Reader extends GenServer<ReaderStats, "stats", ReaderCast> {
  readonly clientId: string;
  readonly storeName: string;

  constructor(clientId: string, storeName: string = STORE_NAME) {
    super();
    this.clientId = clientId;
    this.storeName = storeName;
  }

  override init(): ReaderStats {
    registerOrStop(`reader:${this.clientId}`, this.pid, (reason) => this.stop(reason));
    return { id: this.clientId, reads: 0, seen: {} };
  }

  override async handleCast([, key]: ReaderCast, state: ReaderStats): Promise<ReaderStats> {
    const value = await call(lookup(this.storeName), ["get", key] satisfies StoreRequest);
    return { ...state, reads: state.reads + 1, seen: { ...state.seen, [key]: value } };
  }

  override handleCall(_request: "stats", _from: From, state: ReaderStats): [ReaderStats, ReaderStats] {
    return [state, state];
  }
}

/** The store first, then its clients; if the store crashes, it alone is restarted. */
export class KVStoreApp extends Supervisor {
  override childSpecs() {
    return [
      childSpec({ id: "store", actor: KVStore, args: [STORE_NAME] }),
      childSpec({ id: "writer1", actor: Writer, args: ["W1", STORE_NAME] }),
      childSpec({ id: "writer2", actor: Writer, args: ["W2", STORE_NAME] }),
      childSpec({ id: "reader1", actor: Reader, args: ["R1", STORE_NAME] }),
      childSpec({ id: "reader2", actor: Reader, args: ["R2", STORE_NAME] }),
    ];
  }
}

/** How many anonymous clients hammer the shared counter, and how often each. */
export const COUNTER_CLIENTS = 8;
export const INCREMENTS_PER_CLIENT = 25;
/** How many keys each writer writes. */
export const KEYS_PER_WRITER = 10;

export interface KVResult {
  /** The store's final contents, keys sorted. */
  contents: Record<string, unknown>;
  stats: StoreStats;
  writers: WriterStats[];
  readers: ReaderStats[];
  /**
   * Every counter value the increment calls returned, over all clients, sorted: each
   * of 1..N exactly once when no update is lost or duplicated.
   */
  observedCounts: number[];
}

export async function run(scope: Scope): Promise<KVResult> {
  // The supervisor's start resolves once every child's init (and so its register) is done.
  await KVStoreApp.start(scope);
  const store = lookup(STORE_NAME);
  const [w1, w2] = [lookup("writer:W1"), lookup("writer:W2")];
  const [r1, r2] = [lookup("reader:R1"), lookup("reader:R2")];

  // Phase 1, concurrently: two writers fed interleaved casts, and a crowd of Tasks
  // incrementing one counter with calls.
  for (let i = 0; i < KEYS_PER_WRITER; i++) {
    cast(w1, ["write", `a${i}`, i] satisfies WriterCast);
    cast(w2, ["write", `b${i}`, i * 10] satisfies WriterCast);
  }
  const counterClients = await Promise.all(
    Array.from({ length: COUNTER_CLIENTS }, () =>
      Task.spawn(scope, async () => {
        const observed: number[] = [];
        for (let i = 0; i < INCREMENTS_PER_CLIENT; i++) {
          observed.push(await call<number>(store, ["incr", "hits", 1] satisfies StoreRequest));
        }
        return observed;
      }),
    ),
  );
  // A call after the casts, from the same sender, is handled after them: a barrier.
  const [writers, observedPerClient] = await Promise.all([
    Promise.all([w1, w2].map((w) => call<WriterStats>(w, "stats"))),
    Promise.all(counterClients.map((t) => t.join())),
  ]);

  // Phase 2: readers read back what was written, plus a key nobody wrote.
  for (let i = 0; i < KEYS_PER_WRITER; i++) {
    cast(r1, ["read", `a${i}`] satisfies ReaderCast);
    cast(r2, ["read", `b${i}`] satisfies ReaderCast);
  }
  cast(r2, ["read", "missing"] satisfies ReaderCast);
  const readers = await Promise.all([r1, r2].map((r) => call<ReaderStats>(r, "stats")));

  const stats = await call<StoreStats>(store, "stats");
  const contents = await call<Record<string, unknown>>(store, "snapshot");
  const observedCounts = observedPerClient.flat().sort((a, b) => a - b);
  return { contents, stats, writers, readers, observedCounts };
}

export async function main(): Promise<void> {
  console.log("=== Concurrent key-value store ===");
  const result = await withScope(run);
  for (const w of result.writers) console.log(`writer ${w.id}: ${w.writes} writes`);
  for (const r of result.readers) {
    const seen = Object.entries(r.seen).map(([k, v]) => `${k}=${String(v)}`);
    console.log(`reader ${r.id}: ${r.reads} reads: ${seen.join(" ")}`);
  }
  console.log(
    `counter: ${COUNTER_CLIENTS} clients x ${INCREMENTS_PER_CLIENT} increments -> hits=${String(result.contents["hits"])}` +
      ` (${new Set(result.observedCounts).size} distinct values returned)`,
  );
  console.log(`store stats: ${JSON.stringify(result.stats)}`);
  console.log(`store contents: ${JSON.stringify(result.contents)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
