/**
 * The conformance shim: the public API of "fauxtp", except that `withScope` without an
 * explicit scheduler runs its body on a fresh, seeded SimScheduler. The runtime's test
 * files run unchanged against this module (vitest project "conformance"), so every
 * behaviour is checked under both schedulers. FAUXTP_SEED sets the first seed.
 */
import { withScope as withScopeOnDefault, type Scope, type ScopeOptions } from "../../src/index.js";
import { SimScheduler } from "../../sim/index.js";

export * from "../../src/index.js";

const firstSeed = Number(process.env.FAUXTP_SEED ?? 0);
let runs = 0;
let depth = 0;

export async function withScope<T>(
  body: (scope: Scope) => T | Promise<T>,
  options?: ScopeOptions,
): Promise<T> {
  // An explicit scheduler, or a scope nested in a simulated one, runs as it would anyway.
  if (options?.scheduler !== undefined || depth > 0) return withScopeOnDefault(body, options);
  const seed = firstSeed + runs++;
  const scheduler = new SimScheduler({ seed });
  depth++;
  try {
    return await withScopeOnDefault(body, { scheduler });
  } catch (error) {
    process.stderr.write(
      `[conformance] withScope failed under SimScheduler seed ${seed}; replay: ${scheduler.replay}\n`,
    );
    throw error;
  } finally {
    depth--;
  }
}
