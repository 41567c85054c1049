/**
 * A bank transfer between account servers, with a race and its fix.
 *
 * The racy transfer reads both balances, then writes both back (read-modify-write in
 * the client): two transfers running at once can each read the old balance of an
 * account and one of the writes is lost, so money appears or vanishes. The fixed
 * transfer asks each account to withdraw or deposit atomically inside the server.
 */
import { call, GenServer, sleep, Task, withScope, type From, type Scope } from "fauxtp";

type AccountCall = "balance" | ["set", number] | ["withdraw", number] | ["deposit", number];

/** An account: a balance behind a GenServer. */
export class Account extends GenServer<number, AccountCall> {
  private readonly opening: number;
  constructor(opening: number) {
    super();
    this.opening = opening;
  }
  override init(): number {
    return this.opening;
  }
  override handleCall(request: AccountCall, _from: From, balance: number): readonly [unknown, number] {
    if (request === "balance") return [balance, balance];
    switch (request[0]) {
      case "set":
        return ["ok", request[1]];
      case "withdraw":
        return request[1] <= balance ? ["ok", balance - request[1]] : ["insufficient", balance];
      case "deposit":
        return ["ok", balance + request[1]];
    }
  }
}

/** The racy transfer: reads, computes, writes back. Loses updates under concurrency. */
export async function transferRacy(
  from: import("fauxtp").Pid,
  to: import("fauxtp").Pid,
  amount: number,
): Promise<void> {
  const a = await call<number>(from, "balance");
  const b = await call<number>(to, "balance");
  if (a < amount) return;
  await call(from, ["set", a - amount]);
  await call(to, ["set", b + amount]);
}

/** The fixed transfer: each account changes its own balance atomically. */
export async function transferFixed(
  from: import("fauxtp").Pid,
  to: import("fauxtp").Pid,
  amount: number,
): Promise<void> {
  if ((await call(from, ["withdraw", amount])) === "ok") await call(to, ["deposit", amount]);
}

/**
 * The scenario the fuzz tests and the demo run: three accounts, three transfers by
 * separate client tasks, the later ones after a short think time, then the invariant:
 * no money lost or made. In the default order each transfer is done before the next
 * client wakes; only schedules where a think time ends while a transfer is in flight
 * expose the race.
 */
export function bankScenario(variant: "racy" | "fixed"): (scope: Scope) => Promise<number> {
  const transfer = variant === "racy" ? transferRacy : transferFixed;
  return async (scope) => {
    const alice = await Account.start(scope, 100);
    const bob = await Account.start(scope, 100);
    const carol = await Account.start(scope, 100);
    const clients = await Promise.all([
      Task.spawn(scope, () => transfer(alice, bob, 30)),
      Task.spawn(scope, async () => {
        await sleep(1);
        await transfer(bob, carol, 20);
      }),
      Task.spawn(scope, async () => {
        await sleep(2);
        await transfer(carol, alice, 10);
      }),
    ]);
    for (const c of clients) await c.join();
    let total = 0;
    for (const account of [alice, bob, carol]) total += await call<number>(account, "balance");
    if (total !== 300) throw new Error(`money is not conserved: the accounts hold ${total}, expected 300`);
    return total;
  };
}

export async function main(): Promise<void> {
  const total = await withScope(bankScenario("fixed"));
  console.log(`bank: after three concurrent transfers the accounts hold ${total} in all`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
