const { base } = require("./jest.config");
const { DEEP_SUITES } = require("./__tests__/support/suites");

/** `npm run test:deep`: the suites that drive slow tools end to end (see __tests__/support/suites.js); CI runs them after `npm test`. */
module.exports = {
  ...base,
  testMatch: DEEP_SUITES.map((suite) =>
    suite.endsWith("/") ? `<rootDir>/__tests__/${suite}**/*.test.ts` : `<rootDir>/__tests__/${suite}`,
  ),
};
