/**
 * A cache in front of a store (look-aside caching), with a race and its fix.
 *
 * Readers ask the cache; on a miss they read the store and fill the cache. Writers
 * write the store, then invalidate the cache. The race: a reader misses and reads the
 * old value from the store, a writer then writes the new value and invalidates (there
 * is nothing to invalidate yet), and only then does the reader's fill arrive: the cache
 * now serves the old value until the next write, long after the write has completed.
 *
 * The fix: the store versions each key, reads return the version they saw, and the
 * cache remembers the version of each invalidation (a tombstone). A fill older than
 * what the cache already knows is refused, so a late fill can no longer bring back a
 * value that a completed write replaced.
 */
import { call, GenServer, sleep, Task, withScope, type From, type Pid, type Scope } from "fauxtp";

/** A value as the store keeps it: each write of a key bumps its version. */
export interface Versioned {
  readonly value: number;
  readonly version: number;
}

type StoreCall = readonly ["get", key: string] | readonly ["put", key: string, value: number];

/** The store: the source of truth, slow compared with the cache. */
export class Store extends GenServer<Map<string, Versioned>, StoreCall> {
  private readonly initial: Readonly<Record<string, number>>;
  constructor(initial: Readonly<Record<string, number>>) {
    super();
    this.initial = initial;
  }
  override init(): Map<string, Versioned> {
    return new Map(Object.entries(this.initial).map(([k, value]) => [k, { value, version: 1 }]));
  }
  override handleCall(
    request: StoreCall,
    _from: From,
    data: Map<string, Versioned>,
  ): readonly [Versioned | number | undefined, Map<string, Versioned>] {
    if (request[0] === "get") return [data.get(request[1]), data];
    const [, key, value] = request;
    const version = (data.get(key)?.version ?? 0) + 1;
    return [version, new Map(data).set(key, { value, version })];
  }
}

type CacheCall =
  | readonly ["get", key: string]
  | readonly ["fill", key: string, value: number, version: number]
  | readonly ["invalidate", key: string, version: number];

/** The naive cache: a fill always sets, an invalidation always deletes. */
export class NaiveCache extends GenServer<Map<string, number>, CacheCall> {
  override init(): Map<string, number> {
    return new Map();
  }
  override handleCall(
    request: CacheCall,
    _from: From,
    entries: Map<string, number>,
  ): readonly [number | undefined | "ok", Map<string, number>] {
    switch (request[0]) {
      case "get":
        return [entries.get(request[1]), entries];
      case "fill":
        return ["ok", new Map(entries).set(request[1], request[2])];
      case "invalidate": {
        const next = new Map(entries);
        next.delete(request[1]);
        return ["ok", next];
      }
    }
  }
}

/** An entry of the versioned cache: a value, or the tombstone an invalidation leaves. */
type Entry = { readonly value: number; readonly version: number } | { readonly version: number };

/** The versioned cache: it keeps the newest version it has heard of for each key. */
export class VersionedCache extends GenServer<Map<string, Entry>, CacheCall> {
  override init(): Map<string, Entry> {
    return new Map();
  }
  override handleCall(
    request: CacheCall,
    _from: From,
    entries: Map<string, Entry>,
  ): readonly [number | undefined | "ok" | "stale", Map<string, Entry>] {
    switch (request[0]) {
      case "get": {
        const entry = entries.get(request[1]);
        return [entry !== undefined && "value" in entry ? entry.value : undefined, entries];
      }
      case "fill": {
        const [, key, value, version] = request;
        const known = entries.get(key)?.version ?? 0;
        // A fill older than an invalidation (or a value) already seen would bring an old value back.
        if (version < known) return ["stale", entries];
        return ["ok", new Map(entries).set(key, { value, version })];
      }
      case "invalidate": {
        const [, key, version] = request;
        const known = entries.get(key)?.version ?? 0;
        if (version <= known) return ["ok", entries];
        return ["ok", new Map(entries).set(key, { version })];
      }
    }
  }
}

/** Read through the cache: on a miss, read the store and fill the cache. */
export async function read(cache: Pid, store: Pid, key: string): Promise<number | undefined> {
  const cached = await call<number | undefined>(cache, ["get", key]);
  if (cached !== undefined) return cached;
  const stored = await call<Versioned | undefined>(store, ["get", key]);
  if (stored === undefined) return undefined;
  await call(cache, ["fill", key, stored.value, stored.version]);
  return stored.value;
}

/** Write the store, then invalidate the cache's copy. */
export async function write(cache: Pid, store: Pid, key: string, value: number): Promise<void> {
  const version = await call<number>(store, ["put", key, value]);
  await call(cache, ["invalidate", key, version]);
}

/**
 * The scenario the fuzz tests run: a store holding `price = 10`, two readers and a
 * writer as separate client tasks (the writer after a think time of 1 ms, the second
 * reader after 2 ms), then the invariant: once the write of 12 has completed, a read
 * through the cache returns 12. In the default order each client is done before the
 * next one wakes; only schedules where the writer wakes while a reader's miss is in
 * flight expose the race.
 */
export function cacheScenario(variant: "racy" | "fixed"): (scope: Scope) => Promise<number> {
  return async (scope) => {
    const store = await Store.start(scope, { price: 10 });
    const cache = variant === "racy" ? await NaiveCache.start(scope) : await VersionedCache.start(scope);
    const clients = await Promise.all([
      Task.spawn(scope, () => read(cache, store, "price")),
      Task.spawn(scope, async () => {
        await sleep(1);
        await write(cache, store, "price", 12);
      }),
      Task.spawn(scope, async () => {
        await sleep(2);
        await read(cache, store, "price");
      }),
    ]);
    for (const c of clients) await c.join();
    const seen = await read(cache, store, "price");
    if (seen !== 12) {
      throw new Error(`stale read: the cache serves price = ${seen} after the write of 12 completed`);
    }
    return seen;
  };
}

export async function main(): Promise<void> {
  const price = await withScope(cacheScenario("fixed"));
  console.log(`cache: after a write racing with two readers, a read through the cache gives ${price}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
