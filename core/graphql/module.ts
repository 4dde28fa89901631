/** A slice of the schema: its SDL and its resolvers. Each domain area contributes one. */
export interface GraphQLModule {
  name: string;
  typeDefs: string;
  // Resolver maps are checked against the SDL when the schema is built (a typo fails at start).
  resolvers: Record<string, unknown>;
}
