/**
 * Strategies: who picks the next event. Exploration, schedules and replay are the same
 * engine with a different picker.
 */
import seedrandom from "seedrandom";

/** One enabled event, as a strategy sees it. Options come oldest first; a timer comes last. */
export interface Choice {
  readonly kind: "deliver" | "step" | "timer";
  /** Creation order of the event: smaller is older. */
  readonly seq: number;
  /**
   * A stable name of the event: which process delivers what to whom, by class and
   * instance (`d Client#1>Bank#0 3`: the third delivery from the second Client to the
   * first Bank), not by a global counter, so that it survives unrelated edits.
   */
  readonly id: string;
  /** `Source<0.1> → Target<0.2>: message`, for people. */
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
    this.rng = seedrandom.alea(`fauxtp-schedule:${seed}`);
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

/**
 * Follows a list of small integers, one per choice point, taken modulo the number of
 * options (0 is the oldest); past its end, the default order. All zeros is the default order.
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

/** A departure from the default order: where the oldest event was `at`, `pick` ran instead. */
export interface Departure {
  readonly at: string;
  readonly pick: string;
}

/** Thrown (or reported) when a replay does not fit the run it replays. */
export class ReplayDiverged extends Error {
  override name = "ReplayDiverged";
  readonly step: number;
  constructor(step: number, detail: string) {
    super(`Replay diverged at step ${step}: ${detail}`);
    this.step = step;
  }
}

/**
 * Follows recorded departures: where the oldest event is the next departure's `at`, it
 * picks that departure's event; everywhere else the default. Exact for the same code;
 * after an edit that adds or removes events, departures still apply by name.
 * In "strict" mode a mismatch throws ReplayDiverged; in "lenient" mode it is noted in
 * `divergences` and the run goes on with default decisions.
 */
export class ReplayStrategy implements Strategy {
  private readonly departures: readonly Departure[];
  private readonly strict: boolean;
  private next = 0;
  /** Where a lenient replay did not fit. */
  readonly divergences: ReplayDiverged[] = [];

  constructor(departures: readonly Departure[], mode: "strict" | "lenient" = "strict") {
    this.departures = departures;
    this.strict = mode === "strict";
  }

  choose(options: readonly Choice[], step: number): number {
    const d = this.departures[this.next];
    if (d === undefined || (options[0] as Choice).id !== d.at) return 0;
    this.next++;
    const index = options.findIndex((o) => o.id === d.pick);
    if (index >= 0) return index;
    this.diverged(
      step,
      `the replay picks "${d.pick}" where "${d.at}" is next, but that event cannot run here`,
    );
    return 0;
  }

  /** Call when the run ends: departures never reached are a divergence. */
  finish(step: number): void {
    const left = this.departures.length - this.next;
    if (left > 0) {
      const d = this.departures[this.next] as Departure;
      this.diverged(step, `the run ended with ${left} recorded departure(s) unused, the first at "${d.at}"`);
    }
  }

  private diverged(step: number, detail: string): void {
    const e = new ReplayDiverged(step, detail);
    if (this.strict) throw e;
    this.divergences.push(e);
  }
}
