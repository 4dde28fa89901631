/**
 * API Gateway v2 (HTTP API) events ↔ the Fetch API that yoga speaks, buffered (Lambda returns
 * whole bodies). Kept in core so the Lambda entry point stays a thin adapter.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Deps } from "../deps.ts";
import { newRequestState, type ServerContext } from "./context.ts";
import type { GraphQLServer } from "./server.ts";

/** `RequestImpl`: yoga's own Fetch implementation is much cheaper to construct than Node's undici Request. */
export function toRequest(event: APIGatewayProxyEventV2, RequestImpl: typeof Request = Request): Request {
  const host = event.headers?.host ?? event.requestContext?.domainName ?? "localhost";
  const url = `https://${host}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ""}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers.set(name, value);
  if (event.cookies?.length) headers.set("cookie", event.cookies.join("; "));
  const method = event.requestContext?.http?.method ?? "GET";
  const body = method === "GET" || method === "HEAD" || event.body == null ? undefined : event.isBase64Encoded ? Buffer.from(event.body, "base64") : event.body;
  return new RequestImpl(url, { method, headers, body });
}

export async function toResult(response: Response): Promise<APIGatewayProxyStructuredResultV2> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  const type = headers["content-type"] ?? "";
  const textual = /^(text\/|application\/(json|graphql|javascript|xml))|\+json/.test(type) || type === "";
  return {
    statusCode: response.status,
    headers,
    ...(cookies.length ? { cookies } : {}),
    body: textual ? await response.text() : Buffer.from(await response.arrayBuffer()).toString("base64"),
    isBase64Encoded: !textual,
  };
}

/** Serves one API Gateway event: /health, or GraphQL through yoga. */
export async function handleHttpEvent(server: GraphQLServer, deps: Deps, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  if (event.rawPath === "/health") {
    return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "ok", version: deps.config.appVersion }) };
  }
  const serverContext: ServerContext = { deps, state: newRequestState(deps) };
  const response = await server.fetch(toRequest(event, server.fetchAPI.Request), serverContext);
  return toResult(response);
}
