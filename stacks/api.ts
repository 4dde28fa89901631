/**
 * The HTTP API: one Lambda (HANDLERS.graphql) behind API Gateway HTTP API, serving the GraphQL
 * endpoint (POST and GET) and the health check. The function is created once and every route
 * points at it, so there is one function to warm, one log group and one set of permissions.
 */
import { API_ROUTES, HANDLERS } from "./definitions.ts";
import type { Ingest } from "./ingest.ts";
import { functionArgs, type Storage } from "./storage.ts";

export { API_ROUTES };

export interface Api {
  api: sst.aws.ApiGatewayV2;
  graphql: sst.aws.Function;
  url: $util.Output<string>;
}

export function createApi(storage: Storage, ingest: Ingest): Api {
  // GraphQL mutations start inventory syncs (bucket uploads, fetch queue) and read every table
  // item; loadConfig (core/config.ts) needs all linked resources.
  const link = [storage.table, storage.bucket, ingest.rowQueue, ingest.fetchQueue, storage.adminKey];

  // APP_VERSION is optional: set it at deploy time (`APP_VERSION=v1.2.3 npx sst deploy`);
  // without it the code reports the package.json version.
  const environment: Record<string, string> = {};
  if (process.env.APP_VERSION) environment.APP_VERSION = process.env.APP_VERSION;

  const graphql = new sst.aws.Function(
    "GraphqlFunction",
    functionArgs("graphql", HANDLERS.graphql, link, environment),
  );

  const api = new sst.aws.ApiGatewayV2("Api");
  for (const route of API_ROUTES) api.route(route, graphql.arn);

  return { api, graphql, url: api.url };
}
