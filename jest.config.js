const { base } = require("./__tests__/support/jest-base");
const { DEEP_SUITES } = require("./__tests__/support/suites");

/** `npm test`: every suite but the deep ones (`npm run test:deep`, jest.deep.config.js). */
module.exports = {
  ...base,
  // The processor's suites wait on leases and the emulator a third of their time: a third
  // worker fills those waits (about 53 s against 60 s with two and 56 s with four, on 2 cores).
  maxWorkers: 3,
  testPathIgnorePatterns: ["/node_modules/", ...DEEP_SUITES.map((suite) => `<rootDir>/__tests__/${suite}`)],
};
