/**
 * Strategies: who picks the next event. Exploration and replay are the same engine
 * with a different picker.
 */
import seedrandom from "seedrandom";

/** One enabled event, as a strategy sees it. Options come oldest first; a timer comes last. */
export interface Choice {
  readonly kind: "deliver" | "step" | "timer";
  /** Creation order of the event: smaller is older. */
  readonly seq: number;
  /** `Source<0.1> → Target<0.2>: message`, for strategies that pick by name. */
  readonly label: string;
}

/** Picks the index of the next event among `options` (length ≥ 2). */
export interface Strategy {
  choose(options: readonly Choice[], step: number): number;
}

/** Uniform choices from a seeded PRNG. */
export class RandomStrategy implements Strategy {
  private readonly rng: () => number;
  constructor(seed: number) {
    this.rng = seedrandom(`fauxtp-schedule:${seed}`);
  }
  choose(options: readonly Choice[]): number {
    return Math.floor(this.rng() * options.length);
  }
}

/** Always the oldest event: the plain default order (deliveries FIFO, timers only when idle). */
export class DefaultStrategy implements Strategy {
  choose(): number {
    return 0;
  }
}

/** A recorded decision: the index picked among `count` options. */
export interface Decision {
  readonly index: number;
  readonly count: number;
}

/** Thrown when a replay does not fit the run it replays. */
export class ReplayDiverged extends Error {
  override name = "ReplayDiverged";
  readonly step: number;
  constructor(step: number, detail: string) {
    super(`Replay diverged at step ${step}: ${detail}. The replay belongs to a different body or options.`);
    this.step = step;
  }
}

/** Follows recorded decisions exactly; any mismatch is a divergence. */
export class ReplayStrategy implements Strategy {
  private readonly decisions: readonly Decision[];
  private next = 0;
  constructor(decisions: readonly Decision[]) {
    this.decisions = decisions;
  }
  choose(options: readonly Choice[], step: number): number {
    const d = this.decisions[this.next++];
    if (d === undefined)
      throw new ReplayDiverged(step, `the run has more choices than the ${this.decisions.length} recorded`);
    if (d.count !== options.length) {
      throw new ReplayDiverged(step, `${options.length} events could run, the replay recorded ${d.count}`);
    }
    return d.index;
  }
  /** Throws when recorded decisions were left over. */
  finish(step: number): void {
    if (this.next < this.decisions.length) {
      throw new ReplayDiverged(
        step,
        `the run ended with ${this.decisions.length - this.next} recorded choices unused`,
      );
    }
  }
}

/**
 * Follows a list of small integers, one per choice point (taken modulo the number of
 * options); past its end, the default order. All zeros is the default order.
 */
export class ListStrategy implements Strategy {
  private readonly picks: readonly number[];
  private next = 0;
  constructor(picks: readonly number[]) {
    this.picks = picks;
  }
  choose(options: readonly Choice[]): number {
    const p = this.picks[this.next++];
    return p === undefined ? 0 : p % options.length;
  }
}
