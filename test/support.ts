/**
 * Helpers shared by the runtime's test files (which also run, unchanged, under the
 * simulator in the conformance project).
 */
import { ANY, on, type ExitReason, type Inbox, type Pid, where } from "fauxtp";

/** A pattern that matches exactly this value (by identity) and extracts it. */
export const is = (expected: unknown) => where((v) => v === expected);

/** Waits for an ["exit", pid, reason] report sent by an onExit callback. */
export async function exitOf(inbox: Inbox, pid: Pid): Promise<ExitReason> {
  return inbox.receive(
    on(["exit", is(pid), ANY], (_pid: Pid, reason: ExitReason) => reason),
    { timeout: 1000 },
  );
}

/** The rejection of `p`; fails when it resolves instead. */
export async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (value) => {
      throw new Error(`expected a rejection, got ${String(value)}`);
    },
    (e: unknown) => e,
  );
}
