/** The orders area's slice of the schema (being built; see docs/orders.md). */
import type { GraphQLModule } from "../graphql/module.ts";

export const ordersModule: GraphQLModule = {
  name: "orders",
  typeDefs: "",
  resolvers: {},
};
