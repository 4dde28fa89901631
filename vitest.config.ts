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
  },
});
