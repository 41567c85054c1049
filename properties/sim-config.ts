/**
 * The fast-check seed of the simulator properties: FC_SEED in the environment, or a
 * fixed default so that a plain run is reproducible. Each property shows it in its title;
 * fast-check also prints its seed and path when a property fails.
 */
export const FC_SEED: number = Number(process.env.FC_SEED ?? 20_260_101);

/** fast-check parameters with that seed. */
export const params = (numRuns: number): { seed: number; numRuns: number; verbose: 1 } => ({
  seed: FC_SEED,
  numRuns,
  verbose: 1,
});
