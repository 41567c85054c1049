/**
 * The race of the README's Simulate section: two clients increment a counter by
 * reading it and writing it back. simulate() over seeds finds the lost update, prints
 * the trace of the failing seed, and replays it.
 */
import { call, GenServer, Task, type From, type Scope } from "fauxtp";
import { formatTrace, simulate, SimulationFailure } from "fauxtp/sim";

type Req = "get" | ["set", number];

export class Register extends GenServer<number, Req> {
  override init() {
    return 0;
  }
  override handleCall(req: Req, _from: From, n: number) {
    return req === "get" ? ([n, n] as const) : (["ok", req[1]] as const);
  }
}

export async function twoIncrements(scope: Scope): Promise<number> {
  const reg = await Register.start(scope);
  const increment = async () => {
    const n = await call<number>(reg, "get");
    await call(reg, ["set", n + 1]);
  };
  const a = await Task.spawn(scope, increment);
  const b = await Task.spawn(scope, increment);
  await a.join();
  await b.join();
  const n = await call<number>(reg, "get");
  if (n !== 2) throw new Error(`lost update: the register holds ${n} after two increments`);
  return n;
}

export async function main(): Promise<void> {
  for (let seed = 0; seed < 100; seed++) {
    try {
      await simulate(twoIncrements, { seed });
    } catch (e) {
      if (!(e instanceof SimulationFailure)) throw e;
      console.log(`seed ${seed} fails: ${(e.cause as Error).message}\n`);
      console.log(formatTrace(e.trace, { hideSends: true }));
      const again = await simulate(twoIncrements, { replay: e.replay }).catch((f: SimulationFailure) => f);
      console.log(
        `\nreplayed: ${again instanceof SimulationFailure && again.trace.length === e.trace.length ? "same failure, same trace" : "differs"}`,
      );
      return;
    }
  }
  console.log("no failure in 100 seeds");
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
