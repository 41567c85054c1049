/**
 * send, cast and call. A send is a delivery through the scheduler: in production a
 * push onto the receiver's mailbox; in a simulation an in-flight event.
 */
import { CallExit, checkTimeout, describeValue } from "./errors.js";
import { Pid, type Ref } from "./pid.js";
import { CallSlot, DEAD, EXITING, type Proc, type Runtime } from "./runtime.js";
import { render, RENDER } from "./render.js";

/** Who a call came from, as `handleCall` gets it. */
export interface From {
  /** The reference of this call. */
  readonly ref: Ref;
  /** The calling process, when the call came from one (in a simulation always; in production when known). */
  readonly pid: Pid | undefined;
}

/** @internal a GenServer cast in a mailbox */
export class CastMsg {
  readonly request: unknown;
  constructor(request: unknown) {
    this.request = request;
  }
  [RENDER](): string {
    return `cast ${render(this.request, 60)}`;
  }
}

export function procOf(fn: string, pid: unknown): Proc {
  if (!(pid instanceof Pid)) throw new TypeError(`${fn}: expected a Pid, got ${describeValue(pid)}`);
  return pid.proc as Proc;
}

/**
 * Put `message` in the mailbox of `pid`. Sending to a dead process drops the message
 * silently, as in Erlang. Messages from one sender to one receiver arrive in the order sent.
 */
export function send(pid: Pid, message: unknown): void {
  const proc = procOf("send", pid);
  if (proc.status === DEAD) return;
  const rt = proc.rt;
  rt.scheduler.deliver(rt.current, proc, message);
}

/** Send a GenServer cast: `handleCast(request, state)` runs in the server. */
export function cast(pid: Pid, request: unknown): void {
  const proc = procOf("cast", pid);
  if (proc.status === DEAD) return;
  const rt = proc.rt;
  rt.scheduler.deliver(rt.current, proc, new CastMsg(request));
}

/**
 * Send a GenServer call and wait for the reply.
 *
 * @throws CallTimeout when no reply comes within `timeoutMs` (`Infinity` waits forever).
 * @throws CallExit when the server is not alive (`reason` `"noproc"`) or exits before replying.
 *
 * **Gotchas**: a reply that arrives after the timeout is discarded; it never reaches a later receive.
 */
export function call<R = unknown>(pid: Pid, request: unknown, timeoutMs: number = 5000): Promise<R> {
  const proc = procOf("call", pid);
  if (timeoutMs !== 5000) checkTimeout("call", "timeoutMs", timeoutMs);
  if (proc.status >= EXITING) {
    return Promise.reject(
      new CallExit(proc.status === DEAD ? "noproc" : (proc.reason ?? "noproc"), proc.toString()),
    );
  }
  const rt = proc.rt;
  const slot = new CallSlot<R>(rt, proc, request, timeoutMs);
  rt.scheduler.deliver(rt.current, proc, slot);
  return slot.promise;
}

/** @internal answer a call from inside its server */
export function replyTo(rt: Runtime, server: Proc, from: CallSlot, value: unknown): void {
  if (server.handling === from) server.handling = null;
  rt.scheduler.deliver(server, from, value);
}

export { CallSlot };
