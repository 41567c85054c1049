/**
 * The demo: fuzz a racy bank transfer under the simulator, show the shrunk trace of the
 * failure and the line that replays it, then fuzz the fixed transfer and show it passing.
 *
 *   npm run demo                              explore, shrink, report
 *   FAUXTP_REPLAY=<token> npm run demo        replay one schedule of the racy bank
 */
import { explore, formatFailure, formatTrace, simulate, SimulationFailure, describeError } from "fauxtp/sim";
import { bankScenario } from "./bank.js";

const RUNS = Number(process.env.FAUXTP_RUNS ?? 300);
const SEED = Number(process.env.FAUXTP_SEED ?? 0);
const tty = process.stdout.isTTY;

function progress(label: string): (done: number, total: number) => void {
  return (done, total) => {
    if (tty) process.stdout.write(`\r  ${label}: ${done}/${total} schedules`);
    else if (done === total || done % 50 === 0)
      process.stdout.write(`  ${label}: ${done}/${total} schedules\n`);
  };
}

async function replay(token: string): Promise<void> {
  console.log("Replaying one schedule of the racy bank transfer.\n");
  try {
    const run = await simulate(bankScenario("racy"), { replay: token });
    console.log(formatTrace(run.trace, { hideSends: true }));
    console.log(`\nThis schedule passes (trace ${run.traceHash}).`);
  } catch (e) {
    if (!(e instanceof SimulationFailure)) throw e;
    console.log(formatTrace(e.trace, { hideSends: true }));
    console.log(`\nIt fails again, as it did when found:\n  ${describeError(e.cause ?? e).split("\n")[0]}`);
  }
}

async function main(): Promise<void> {
  const token = process.env.FAUXTP_REPLAY;
  if (token !== undefined && token !== "") return replay(token);

  console.log("fauxtp demo: three clients transfer money between three account servers.\n");
  console.log(
    `1. The racy transfer (read both balances, write both back), over ${RUNS} schedules from seed ${SEED}:`,
  );
  const racy = await explore(bankScenario("racy"), { runs: RUNS, seed: SEED, onRun: progress("exploring") });
  if (tty) process.stdout.write("\n");
  if (racy.failure === undefined) {
    console.log(`   no failure in ${racy.runs} schedules (${racy.steps} scheduling steps).`);
  } else {
    const report = formatFailure(racy.failure, {
      name: "racy transfers conserve money",
      runs: RUNS,
      baseSeed: SEED,
      replayWith: (t) => `FAUXTP_REPLAY=${t} npm run demo`,
    });
    console.log(`\n${report.replace(/^/gm, "   ")}\n`);
  }

  console.log(
    `2. The fixed transfer (each account withdraws or deposits atomically), over ${RUNS} schedules:`,
  );
  const fixed = await explore(bankScenario("fixed"), {
    runs: RUNS,
    seed: SEED,
    onRun: progress("exploring"),
  });
  if (tty) process.stdout.write("\n");
  if (fixed.failure === undefined) {
    console.log(`   passed: ${fixed.runs} schedules, ${fixed.steps} scheduling steps, no money lost.`);
  } else {
    console.log(formatFailure(fixed.failure, { name: "fixed transfers conserve money", runs: RUNS }));
    process.exitCode = 1;
  }
}

await main();
