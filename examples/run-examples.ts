/**
 * Runs the four examples one after another, each in its own scope, and prints what
 * each one produced: a concurrent key-value store, a processing pipeline, a task
 * queue with a worker pool, and a pub/sub system.
 */
import { main as kvstore } from "./kvstore.js";
import { main as pipeline } from "./pipeline.js";
import { main as pubsub } from "./pubsub.js";
import { main as taskQueue } from "./task-queue.js";

export async function main(): Promise<void> {
  for (const example of [kvstore, pipeline, taskQueue, pubsub]) {
    await example();
    console.log();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
