/**
 * Process identifiers and references: opaque, compared with `===`, printable.
 * Identifiers are counters of their runtime, never random, so the same
 * simulation seed gives the same pids.
 */

/** The identity of a process. `String(pid)` gives a short stable form such as `<0.7>`. */
export class Pid {
  /** @internal the counter value within its runtime */
  readonly id: number;
  /** @internal the runtime's number (0 for the production runtime) */
  readonly node: number;
  /** @internal the process behind this pid; untyped here to keep this file free of cycles */
  readonly proc: unknown;

  /** @internal created by the runtime only */
  constructor(node: number, id: number, proc: unknown) {
    this.node = node;
    this.id = id;
    this.proc = proc;
  }

  toString(): string {
    return `<${this.node}.${this.id}>`;
  }

  toJSON(): string {
    return this.toString();
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Pid${this.toString()}`;
  }
}

/** A unique reference, as made by `makeRef()`. `String(ref)` gives `#Ref<0.12>`. */
export class Ref {
  /** @internal */
  readonly id: number;
  /** @internal */
  readonly node: number;

  /** @internal created by `makeRef()` only */
  constructor(node: number, id: number) {
    this.node = node;
    this.id = id;
  }

  toString(): string {
    return `#Ref<${this.node}.${this.id}>`;
  }

  toJSON(): string {
    return this.toString();
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
