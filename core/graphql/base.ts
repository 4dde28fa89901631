/** Root types and the shapes every module shares. */
import { ACCESS_DIRECTIVES } from "./access.ts";
import type { GraphQLModule } from "./module.ts";

export const baseModule: GraphQLModule = {
  name: "base",
  typeDefs: /* GraphQL */ `
    ${ACCESS_DIRECTIVES}
    type Query
    type Mutation

    "A business-rule or validation failure of a mutation (Centra style). path names the input field."
    type UserError {
      message: String!
      path: [String!]
    }

    type PageInfo {
      hasNextPage: Boolean!
      hasPreviousPage: Boolean!
      startCursor: String
      endCursor: String
    }
  `,
  resolvers: {},
};
