import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds; Node loads the CJS one for yoga, so
    // test code must too, or two graphql realms meet ("Cannot use GraphQLObjectType from another realm").
    alias: [{ find: /^graphql$/, replacement: fileURLToPath(new URL("./node_modules/graphql/index.js", import.meta.url)) }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // One set of emulators (DynamoDB Local, fauxqs) shared by the integration tests; each test
    // file creates its own uniquely named table, bucket and queues on them (test/support/emulators.ts).
    globalSetup: ["test/support/global-setup.ts"],
    // Each file in its own process: Resource (sst) reads the environment once per process.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
