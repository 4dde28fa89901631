/**
 * node:http ⇄ API Gateway HTTP API (payload format 2.0), the way API Gateway invokes a Lambda:
 * request → APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 → response.
 *
 * Mirrors what matters to handlers: lower-cased headers (repeated ones joined by ","), cookies
 * moved out of the headers into `cookies`, raw path and query string, parsed query parameters,
 * text bodies as UTF-8 and anything else base64 with isBase64Encoded, the 6 MB Lambda payload
 * limit (413 above it), and results given as a bare string/object (API Gateway's inference).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** Lambda's synchronous invocation payload limit (request and response). */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

export class PayloadTooLargeError extends Error {
  constructor() {
    super("Request Entity Too Large");
  }
}

/** Content types API Gateway passes as text; any other body arrives base64-encoded. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return true; // no declared type: API Gateway treats the body as text
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return (
    type.startsWith("text/") ||
    type === "application/json" ||
    type === "application/graphql" ||
    type === "application/graphql-response+json" ||
    type === "application/javascript" ||
    type === "application/xml" ||
    type === "application/x-www-form-urlencoded" ||
    type.endsWith("+json") ||
    type.endsWith("+xml")
  );
}

/**
 * Reads the request body. Over `limit` it keeps draining (so the client, still sending, gets a
 * clean 413 rather than a reset connection) and then rejects with PayloadTooLargeError.
 */
export function readBody(req: IncomingMessage, limit = MAX_PAYLOAD_BYTES): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    let tooLarge = Number(req.headers["content-length"] ?? 0) > limit;
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => (tooLarge ? reject(new PayloadTooLargeError()) : resolveBody(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

function clfDate(date: Date): string {
  // API Gateway's requestContext.time: "12/Mar/2020:19:03:58 +0000"
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} +0000`;
}

export interface ToEventOptions {
  /** Route key as API Gateway reports it ("POST /graphql"); default "$default". */
  routeKey?: string;
  stage?: string;
  /** Request body already read (readBody). */
  body: Buffer;
}

export function toApiGatewayEvent(req: IncomingMessage, options: ToEventOptions): APIGatewayProxyEventV2 {
  const rawUrl = req.url ?? "/";
  const q = rawUrl.indexOf("?");
  const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const rawQueryString = q === -1 ? "" : rawUrl.slice(q + 1);

  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    if (name === "cookie") {
      for (const part of value.split(";")) {
        const cookie = part.trim();
        if (cookie) cookies.push(cookie);
      }
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }

  let queryStringParameters: Record<string, string> | undefined;
  if (rawQueryString) {
    queryStringParameters = {};
    for (const [key, value] of new URLSearchParams(rawQueryString)) {
      queryStringParameters[key] = key in queryStringParameters ? `${queryStringParameters[key]},${value}` : value;
    }
  }

  const method = (req.method ?? "GET").toUpperCase();
  const now = new Date();
  const hasBody = options.body.length > 0;
  const isText = isTextContentType(headers["content-type"]);
  const sourceIp = (req.socket.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, "");
  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey: options.routeKey ?? "$default",
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: headers.host ?? "localhost",
      domainPrefix: (headers.host ?? "localhost").split(".")[0]!.split(":")[0]!,
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: options.routeKey ?? "$default",
      stage: options.stage ?? "$default",
      time: clfDate(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: hasBody && !isText,
  };
  if (cookies.length > 0) event.cookies = cookies;
  if (queryStringParameters) event.queryStringParameters = queryStringParameters;
  if (hasBody) event.body = isText ? options.body.toString("utf8") : options.body.toString("base64");
  return event;
}

/** Writes a handler result like API Gateway does (bare strings/objects become 200 JSON). */
export function writeApiGatewayResult(res: ServerResponse, result: APIGatewayProxyResultV2 | undefined): void {
  let structured: APIGatewayProxyStructuredResultV2;
  if (result === undefined || result === null) {
    structured = { statusCode: 200, body: "" };
  } else if (typeof result === "string") {
    structured = { statusCode: 200, headers: { "content-type": "application/json" }, body: result };
  } else if (typeof result === "object" && "statusCode" in result && result.statusCode !== undefined) {
    structured = result as APIGatewayProxyStructuredResultV2;
  } else {
    structured = { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(result) };
  }

  const body =
    structured.body === undefined
      ? Buffer.alloc(0)
      : structured.isBase64Encoded
        ? Buffer.from(structured.body, "base64")
        : Buffer.from(structured.body, "utf8");
  if (body.length > MAX_PAYLOAD_BYTES) {
    // Lambda rejects a response over 6 MB; API Gateway then answers 500.
    writeJson(res, 500, { message: "Internal Server Error" });
    console.error(`[local-host] response of ${body.length} bytes exceeds the 6 MB Lambda payload limit`);
    return;
  }
  res.statusCode = structured.statusCode ?? 200;
  for (const [name, value] of Object.entries(structured.headers ?? {})) {
    if (value !== undefined) res.setHeader(name, String(value));
  }
  if (structured.cookies?.length) {
    const existing = res.getHeader("set-cookie");
    const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
    res.setHeader("set-cookie", [...list, ...structured.cookies]);
  }
  if (!res.hasHeader("content-type") && body.length > 0) res.setHeader("content-type", "application/json");
  res.setHeader("content-length", body.length);
  res.end(body);
}

export function writeJson(res: ServerResponse, statusCode: number, payload: unknown): void {
  const body = Buffer.from(JSON.stringify(payload));
  res.statusCode = statusCode;
  res.setHeader("content-type", "application/json");
  res.setHeader("content-length", body.length);
  res.end(body);
}
