import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

// Tests import the package by its public names, resolved to the sources.
const alias = {
  "fauxtp/sim": here("./sim/index.ts"),
  "fauxtp/vitest": here("./sim/vitest.ts"),
  fauxtp: here("./src/index.ts"),
};

/** Runtime test files that run unchanged under the simulator as well. */
const conformance = [
  "actor",
  "edge-cases",
  "genserver",
  "pattern",
  "pid",
  "receive",
  "registry",
  "scope",
  "supervisor",
  "task",
  "testing",
  "examples",
];

export default defineConfig({
  resolve: { alias },
  test: {
    // In CI, also write the results as JSON: .ci/run reads its closing line from them.
    ...(process.env.CI !== undefined
      ? { reporters: ["default", "json"], outputFile: { json: ".fauxtp/ci-results.json" } }
      : {}),
    projects: [
      {
        resolve: { alias },
        test: { name: "test", include: ["test/**/*.test.ts"], testTimeout: 20_000 },
      },
      {
        resolve: { alias },
        test: { name: "properties", include: ["properties/**/*.test.ts"], testTimeout: 120_000 },
      },
      {
        // The runtime's tests again, unchanged, with withScope running on the SimScheduler.
        resolve: { alias: { ...alias, fauxtp: here("./test/conformance/fauxtp-on-sim.ts") } },
        test: {
          name: "conformance",
          include: conformance.map((name) => `test/${name}.test.ts`),
          testTimeout: 20_000,
        },
      },
    ],
  },
});
