import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Real time and randomness belong to the scheduler implementations only.
const realTime = {
  "no-restricted-globals": [
    "error",
    ...["setTimeout", "setInterval", "setImmediate", "queueMicrotask", "clearTimeout", "clearImmediate"].map(
      (name) => ({ name, message: "Only scheduler implementations touch real time." }),
    ),
  ],
  "no-restricted-properties": [
    "error",
    { object: "Date", property: "now", message: "Use now() from the scheduler." },
    { object: "performance", property: "now", message: "Use now() from the scheduler." },
    { object: "Math", property: "random", message: "Use the scheduler's random()." },
  ],
};

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "bench/**", ".fauxtp/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/only-throw-error": "off",
      "@typescript-eslint/prefer-promise-reject-errors": "off",
      "@typescript-eslint/no-this-alias": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
  { files: ["src/**/*.ts", "sim/**/*.ts"], rules: realTime },
  {
    files: ["src/microtask.ts", "sim/scheduler.ts"],
    rules: { "no-restricted-globals": "off", "no-restricted-properties": "off" },
  },
  { files: ["**/*.js", "**/*.mjs"], ...tseslint.configs.disableTypeChecked },
);
