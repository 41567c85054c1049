/**
 * fauxtp/sim: the seeded, virtual-time simulator.
 */
export { ActorCommand, formatHistory, isLinearizable, NotLinearizable, runConcurrently } from "./commands.js";
export {
  Deadlock,
  isSimulationFailure,
  SimulationEscape,
  SimulationFailure,
  StepLimitExceeded,
} from "./errors.js";
export { explore, firstDifference } from "./fuzz.js";
export { describeError, formatFailure, replayCommand } from "./report.js";
export { schedule } from "./schedule.js";
export { SimScheduler } from "./scheduler.js";
export { simulate } from "./simulate.js";
export { DefaultStrategy, ListStrategy, RandomStrategy, ReplayDiverged, ReplayStrategy } from "./strategy.js";
export { formatEvent, formatTrace, hashTrace } from "./trace.js";

export type { ConcurrentOptions, Operation } from "./commands.js";
export type { BlockedProcess, FailureContext } from "./errors.js";
export type { ExploreOptions, ExploreReport, FoundFailure, ScheduleRun } from "./fuzz.js";
export type { ReportContext } from "./report.js";
export type { ScheduleOptions } from "./schedule.js";
export type { SimSchedulerOptions } from "./scheduler.js";
export type { SimulateOptions, SimulationResult } from "./simulate.js";
export type { Choice, Departure, Strategy } from "./strategy.js";
export type { FormatTraceOptions, TraceEvent, TraceKind } from "./trace.js";
