/** The wholesale area's slice of the schema (being built; see docs/wholesale.md). */
import type { GraphQLModule } from "../graphql/module.ts";

export const wholesaleModule: GraphQLModule = {
  name: "wholesale",
  typeDefs: "",
  resolvers: {},
};
