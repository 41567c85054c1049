import { describe, expect, it } from "vitest";
import { registered, whereis, withScope, type Scope } from "fauxtp";
import * as kvstore from "../examples/kvstore.js";
import * as pipeline from "../examples/pipeline.js";
import * as pubsub from "../examples/pubsub.js";
import * as taskQueue from "../examples/task-queue.js";

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe("examples/kvstore", () => {
  it("serialises concurrent writers, readers and counter clients through one store", async () => {
    const result = await withScope(kvstore.run);

    const expectedContents: Record<string, number> = {};
    for (const i of range(10)) expectedContents[`a${i}`] = i;
    for (const i of range(10)) expectedContents[`b${i}`] = i * 10;
    expectedContents["hits"] = 200;
    expect(result.contents).toEqual(expectedContents);
    expect(Object.keys(result.contents)).toEqual([
      ...range(10).map((i) => `a${i}`),
      ...range(10).map((i) => `b${i}`),
      "hits",
    ]);

    // 20 puts + 8 x 25 increments; 21 gets by the readers.
    expect(result.stats).toEqual({ keys: 21, reads: 21, writes: 220 });
    expect(result.writers).toEqual([
      { id: "W1", writes: 10 },
      { id: "W2", writes: 10 },
    ]);
    expect(result.readers).toEqual([
      { id: "R1", reads: 10, seen: Object.fromEntries(range(10).map((i) => [`a${i}`, i])) },
      {
        id: "R2",
        reads: 11,
        seen: { ...Object.fromEntries(range(10).map((i) => [`b${i}`, i * 10])), missing: null },
      },
    ]);
    // Every increment got its own value: none lost, none seen twice.
    expect(result.observedCounts).toEqual(range(200).map((i) => i + 1));
  });
});

describe("examples/pipeline", () => {
  it("carries every event through producer, processors and consumer", async () => {
    const result = await withScope(pipeline.run);

    expect(result.items).toEqual(
      range(30).map((i) => ({
        id: i,
        data: `item_${i}`,
        processedBy: (i % 3) + 1,
        transformed: `ITEM_${i}`,
      })),
    );
    expect(result.summary).toEqual({ lanes: [10, 10, 10], failedLanes: 0 });
    expect(result.produced).toBe(30);
    expect(result.stored).toBe(30);
    expect(result.processors).toEqual([
      { processor: 1, processed: 10 },
      { processor: 2, processed: 10 },
      { processor: 3, processed: 10 },
    ]);
  });
});

describe("examples/task-queue", () => {
  it("settles every job through the supervised worker pool", async () => {
    const result = await withScope(taskQueue.run);

    expect(result.finishedStats).toEqual({ pending: 0, inProgress: 0, completed: 12, failed: 3 });
    expect(result.completed).toEqual([
      { id: "job_0", result: "sum(1..0)=0" },
      { id: "job_1", result: "wrote 6 bytes" },
      { id: "job_2", result: "fetched data_2" },
      { id: "job_3", result: "sum(1..3)=6" },
      { id: "job_5", result: "fetched data_5" },
      { id: "job_6", result: "sum(1..6)=21" },
      { id: "job_7", result: "wrote 6 bytes" },
      { id: "job_8", result: "fetched data_8" },
      { id: "job_10", result: "wrote 7 bytes" },
      { id: "job_11", result: "fetched data_11" },
      { id: "job_12", result: "sum(1..12)=78" },
      { id: "job_13", result: "wrote 7 bytes" },
    ]);
    expect(result.failed).toEqual([
      { id: "job_4", error: "job_4: simulated failure" },
      { id: "job_9", error: "job_9: simulated failure" },
      { id: "job_14", error: "job_14: simulated failure" },
    ]);
    expect(result.handledByWorkers).toBe(15);
    expect(result.produced).toBe(15);
    expect(result.children).toEqual(["queue", "worker1", "worker2", "worker3"]);
    expect(result.runningChildren).toBe(4);
  });
});

describe("examples/pubsub", () => {
  it("routes publications by topic, in order, and forgets stopped subscribers", async () => {
    const result = await withScope(pubsub.run);

    expect(result.routes).toEqual([
      { publisher: "App", topic: "events", to: ["Analytics", "Logger"] },
      { publisher: "App", topic: "metrics", to: ["Analytics", "Monitor"] },
      { publisher: "Worker", topic: "events", to: ["Analytics", "Logger"] },
      { publisher: "Worker", topic: "errors", to: ["Logger"] },
      { publisher: "App", topic: "metrics", to: ["Analytics", "Monitor"] },
      // Logger has unsubscribed from events:
      { publisher: "Worker", topic: "events", to: ["Analytics"] },
      // Monitor has stopped:
      { publisher: "App", topic: "metrics", to: ["Analytics"] },
      { publisher: "App", topic: "audit", to: [] },
    ]);
    expect(result.received).toEqual({
      Analytics: [
        { topic: "events", payload: "User logged in", from: "App" },
        { topic: "metrics", payload: { cpu: 45, memory: 2048 }, from: "App" },
        { topic: "events", payload: "Job completed", from: "Worker" },
        { topic: "metrics", payload: { cpu: 52, memory: 2100 }, from: "App" },
        { topic: "events", payload: "Deploy finished", from: "Worker" },
        { topic: "metrics", payload: { cpu: 61, memory: 2300 }, from: "App" },
      ],
      Logger: [
        { topic: "events", payload: "User logged in", from: "App" },
        { topic: "events", payload: "Job completed", from: "Worker" },
        { topic: "errors", payload: "Connection timeout", from: "Worker" },
      ],
      Monitor: [
        { topic: "metrics", payload: { cpu: 45, memory: 2048 }, from: "App" },
        { topic: "metrics", payload: { cpu: 52, memory: 2100 }, from: "App" },
      ],
    });
    expect(result.stoppedStillRegistered).toBe(false);
    expect(result.broker).toEqual({
      topics: ["errors", "events", "metrics"],
      subscribers: { errors: 1, events: 1, metrics: 1 },
      published: 8,
      routed: 11,
    });
    expect(result.names).toEqual([
      "pubsub:broker",
      "pubsub:publisher:App",
      "pubsub:publisher:Worker",
      "pubsub:subscriber:Analytics",
      "pubsub:subscriber:Logger",
    ]);
  });
});

describe("examples in sequence", () => {
  it("leave no registered name behind and give the same results when run again", async () => {
    const examples: Array<(scope: Scope) => Promise<unknown>> = [
      kvstore.run,
      pipeline.run,
      taskQueue.run,
      pubsub.run,
    ];
    const first: unknown[] = [];
    for (const run of examples) {
      first.push(await withScope(run));
      expect(registered()).toEqual([]);
    }
    for (const [i, run] of examples.entries()) {
      expect(await withScope(run)).toEqual(first[i]);
    }
    expect(whereis(kvstore.STORE_NAME)).toBeUndefined();
    expect(whereis(pubsub.BROKER_NAME)).toBeUndefined();
  });
});
