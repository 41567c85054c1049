/**
 * The one internal entry of the runtime, for `fauxtp/sim` only: what a simulator needs
 * beyond the public API to own every source of nondeterminism (the runtime of a
 * scheduler, its processes and what they wait for). Not part of the public API;
 * `package.json` does not export it.
 */
export { Deque } from "./deque.js";
export { Scope } from "./scope.js";
export { RENDER } from "./render.js";
export {
  CallSlot,
  claimAmbient,
  DEAD,
  EXITING,
  Failure,
  Proc,
  releaseAmbient,
  RUNNING,
  Runtime,
  runtimeFor,
  Slot,
  STARTING,
  Wait,
} from "./runtime.js";
export type { ProcHost, RuntimeObserver } from "./runtime.js";
