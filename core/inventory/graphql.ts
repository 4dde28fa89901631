/** The inventory area's slice of the schema (being built; see docs/inventory.md). */
import type { GraphQLModule } from "../graphql/module.ts";

export const inventoryModule: GraphQLModule = {
  name: "inventory",
  typeDefs: "",
  resolvers: {},
};
