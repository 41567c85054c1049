/**
 * fauxtp: Erlang/OTP's GenServer, Supervisor, Task and Registry for TypeScript, on a
 * pluggable scheduler.
 */
export { Actor } from "./actor.js";
export {
  ActorExit,
  CallExit,
  CallTimeout,
  Crash,
  formatReason,
  isCallExit,
  isCallTimeout,
  isCrash,
  isNormalExit,
  isReceiveTimeout,
  isTaskFailed,
  MaxRestartsExceeded,
  ReceiveTimeout,
  StartFailed,
  TaskFailed,
} from "./errors.js";
export { GenServer } from "./genserver.js";
export { call, cast, send } from "./messaging.js";
export { MicrotaskScheduler } from "./microtask.js";
export { ANY, IGNORE, match, where } from "./pattern.js";
export { Pid, Ref } from "./pid.js";
export { Clause, on } from "./receive.js";
export { register, registered, Registry, unregister, whereis } from "./registry.js";
export { render } from "./render.js";
export { Inbox, Scope, withScope } from "./scope.js";
export {
  childSpec,
  countChildren,
  restartChild,
  RestartStrategy,
  RestartType,
  startChild,
  Supervisor,
  terminateChild,
  whichChildren,
} from "./supervisor.js";
export { Task } from "./task.js";
export { assertReceives, Collector, TimeoutError, waitFor, withTimeout } from "./testing.js";
export { makeRef, now, random, sleep } from "./time.js";

export type { ActorClass, ActorHandle, StartLinkOptions } from "./actor.js";
export type { ExitReason } from "./errors.js";
export type { TaskStatus } from "./genserver.js";
export type { From } from "./messaging.js";
export type { Pattern, Where } from "./pattern.js";
export type { ClauseResult, ReceiveOptions } from "./receive.js";
export type { Endpoint, ProcessRef, Runnable, Scheduler, TimerHandle, TimerTarget } from "./scheduler.js";
export type { ScopeOptions } from "./scope.js";
export type { ChildInfo, ChildSpec, ChildSpecInput } from "./supervisor.js";
export type { NotifyOptions } from "./task.js";
export type { WaitForOptions } from "./testing.js";
