const { base } = require("./__tests__/support/jest-base");
const { DEEP_SUITES } = require("./__tests__/support/suites");

/** `npm test`: every suite but the deep ones (`npm run test:deep`, jest.deep.config.js). */
module.exports = {
  ...base,
  testPathIgnorePatterns: ["/node_modules/", ...DEEP_SUITES.map((suite) => `<rootDir>/__tests__/${suite}`)],
};
