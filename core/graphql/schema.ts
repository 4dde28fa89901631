import { createSchema } from "graphql-yoga";
import type { GraphQLSchema } from "graphql";
import { applyAccessModel, buildAccessModel, type AccessModel } from "./access.ts";
import { modules } from "./modules.ts";

let built: { schema: GraphQLSchema; access: AccessModel } | undefined;

/** Builds the schema once per process (cold start) from every module. */
export function buildSchema(): { schema: GraphQLSchema; access: AccessModel } {
  if (built) return built;
  const schema = createSchema({
    typeDefs: modules.map((m) => m.typeDefs).filter((t) => t.trim().length > 0),
    resolvers: modules.map((m) => m.resolvers) as never,
    resolverValidationOptions: { requireResolversToMatchSchema: "error" },
  });
  const access = buildAccessModel(schema);
  built = { schema: applyAccessModel(schema, access), access };
  return built;
}
