/** API Gateway → GraphQL. Thin: builds dependencies once per container, then delegates to core. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { createDeps } from "../core/deps.ts";
import { createGraphQLServer } from "../core/graphql/server.ts";
import { handleHttpEvent } from "../core/graphql/http.ts";

const deps = createDeps();
const server = createGraphQLServer(deps);

export const handler = (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => handleHttpEvent(server, deps, event);
