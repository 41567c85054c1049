/**
 * fauxtp/sim: the seeded, virtual-time simulator.
 */
export {
  Deadlock,
  isSimulationFailure,
  SimulationEscape,
  SimulationFailure,
  StepLimitExceeded,
} from "./errors.js";
export { SimScheduler } from "./scheduler.js";
export { simulate } from "./simulate.js";
export { DefaultStrategy, ListStrategy, RandomStrategy, ReplayDiverged, ReplayStrategy } from "./strategy.js";
export { formatEvent, formatTrace, hashTrace } from "./trace.js";

export type { BlockedProcess, FailureContext } from "./errors.js";
export type { SimSchedulerOptions } from "./scheduler.js";
export type { SimulateOptions, SimulationResult } from "./simulate.js";
export type { Choice, Decision, Strategy } from "./strategy.js";
export type { FormatTraceOptions, TraceEvent, TraceKind } from "./trace.js";
