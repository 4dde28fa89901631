/**
 * The baseline of the host benchmark: graphql-yoga with a one-field schema, nothing else.
 * `--no-body-limit`: also without yoga's request-body size limit, as our host runs (its body is
 * bounded by the Lambda payload limit before yoga sees it), for the stricter comparison.
 */
import { createServer } from "node:http";
import { createSchema, createYoga } from "graphql-yoga";

const yoga = createYoga({
  schema: createSchema({ typeDefs: "type Query { viewer: Viewer! } type Viewer { keyId: ID! }", resolvers: { Query: { viewer: () => ({ keyId: "k" }) } } }),
  logging: false,
  landingPage: false,
  graphiql: false,
  ...(process.argv.includes("--no-body-limit") ? { maxRequestBodySize: false as const } : {}),
});
const server = createServer(yoga);
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 }));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
