const { DEEP_SUITES } = require("./__tests__/support/suites");

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
  // slowest file (terraform plans) mostly waits on child processes, so two workers pay off.
  maxWorkers: 2,
};

/** `npm test`: every suite but the deep ones (`npm run test:deep`, jest.deep.config.js). */
module.exports = {
  ...base,
  testPathIgnorePatterns: ["/node_modules/", ...DEEP_SUITES.map((suite) => `<rootDir>/__tests__/${suite}`)],
};
module.exports.base = base;
