/**
 * The local name registry of a runtime. Names are released when their process exits.
 * A simulation has its own registry, so names never leak between runs.
 */
import { describeValue } from "./errors.js";
import { Pid } from "./pid.js";
import { currentRuntime, type Proc } from "./runtime.js";

function checkName(fn: string, name: unknown): string {
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError(`${fn}: name must be a non-empty string, got ${describeValue(name)}`);
  }
  return name;
}

/** A registry of names to processes. Each runtime has one; the functions below use the runtime in use. */
export class Registry {
  private readonly names = new Map<string, Proc>();

  /** Register `name` for `pid`: `true`, or `false` when the name is taken or the process is not alive. */
  register(name: string, pid: Pid): boolean {
    checkName("register", name);
    if (!(pid instanceof Pid)) throw new TypeError(`register: expected a Pid, got ${describeValue(pid)}`);
    const proc = pid.proc as Proc;
    if (this.names.has(name) || !proc.alive) return false;
    this.names.set(name, proc);
    (proc.names ??= []).push(name);
    return true;
  }

  /** Remove `name`: `true`, or `false` when it was not registered. */
  unregister(name: string): boolean {
    checkName("unregister", name);
    const proc = this.names.get(name);
    if (proc === undefined) return false;
    this.names.delete(name);
    if (proc.names !== null) {
      const i = proc.names.indexOf(name);
      if (i >= 0) proc.names.splice(i, 1);
    }
    return true;
  }

  /** The pid registered under `name`, or `undefined`. */
  whereis(name: string): Pid | undefined {
    checkName("whereis", name);
    const proc = this.names.get(name);
    return proc !== undefined && proc.alive ? proc.pid : undefined;
  }

  /** The registered names, in registration order. */
  registered(): string[] {
    return [...this.names.keys()];
  }

  /** @internal called when a process exits */
  release(name: string, proc: Proc): void {
    if (this.names.get(name) === proc) this.names.delete(name);
  }
}

/**
 * Register `name` for `pid` in the registry of the runtime in use.
 * @example register("db", pid); // true; false when the name is taken
 */
export function register(name: string, pid: Pid): boolean {
  return currentRuntime().registry.register(name, pid);
}

/** Remove `name`: `true`, or `false` when absent. */
export function unregister(name: string): boolean {
  return currentRuntime().registry.unregister(name);
}

/** The pid registered under `name`, or `undefined`. */
export function whereis(name: string): Pid | undefined {
  return currentRuntime().registry.whereis(name);
}

/** The registered names. */
export function registered(): string[] {
  return currentRuntime().registry.registered();
}
