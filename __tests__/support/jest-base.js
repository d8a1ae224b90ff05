/**
 * What `npm test` (jest.config.js) and `npm run test:deep` (jest.deep.config.js) share. <rootDir> is
 * the repository's root, where both configs sit.
 */
/** @type {import('jest').Config} */
const base = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  // The bundled function is already JavaScript; transforming 1 MB of it would only cost time.
  transformIgnorePatterns: ["/node_modules/", "/dist/"],
  // The example app imports the package by name, as a user's app would; here it is the source.
  moduleNameMapper: {
    "^scheduled-task-processing$": "<rootDir>/index.ts",
    "^scheduled-task-processing/task$": "<rootDir>/functions/task/index.ts",
  },
  globalSetup: "<rootDir>/__tests__/support/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/support/global-teardown.ts",
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/setup.ts"],
  testTimeout: 120000,
  // A passing run prints its summary; a failing one, each failure (the default reporter would
  // also list every passing file).
  reporters: [["summary", { summaryThreshold: 0 }]],
  // Jest defaults to one worker per core minus one: a single worker on a 2-core machine. The
  // deep suites mostly wait on child processes (terraform, bundles), so two workers pay off.
  maxWorkers: 2,
};

module.exports = { base };
