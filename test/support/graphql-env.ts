/**
 * A GraphQL test environment: this file's own table, bucket and queues on the shared emulators
 * (test/support/emulators.ts), optionally the demo dataset, and the GraphQL host called
 * in-process through the same API Gateway adapter the Lambda uses (handleHttpEvent).
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { Deps } from "../../core/deps.ts";
import { testEnv, type TestEnv, type TestEnvOptions } from "./emulators.ts";

export interface GqlResult {
  status: number;
  headers: Record<string, string>;
  body: {
    data?: Record<string, any> | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
    extensions?: { permissionsUsed: string[]; complexity: number; appVersion: string };
  };
}

export interface GraphQLEnv {
  env: TestEnv;
  deps: Deps;
  /** The demo keys: admin of 3801 (env.adminKey), read-only of 3801, admin of 3805 and of 4100. */
  keys: { admin: string; readOnly: string; descendant: string; unrelated: string };
  gql: (key: string, query: string, variables?: Record<string, unknown>) => Promise<GqlResult>;
}

/** Outside vitest (benchmarks): starts emulators of its own; `stop()` ends them. */
export async function startStandaloneGraphQLEnv(opts: Omit<TestEnvOptions, "endpoints"> & { seed?: boolean } = {}): Promise<GraphQLEnv & { stop: () => Promise<void> }> {
  const { startEmulators } = await import("../../stacks/local/emulators.ts");
  const emulators = await startEmulators({ persist: false, region: "us-east-1" });
  const endpoints = { dynamodb: emulators.dynamodb.endpoint, s3: emulators.s3.endpoint, sqs: emulators.sqs.endpoint, region: emulators.region };
  const env = await startGraphQLEnv({ ...opts, endpoints });
  return { ...env, stop: () => emulators.stop() };
}

export async function startGraphQLEnv(opts: TestEnvOptions & { seed?: boolean } = {}): Promise<GraphQLEnv> {
  const env = await testEnv(opts);
  const deps = env.deps;
  const [{ seedDemo }, { createGraphQLServer }, { handleHttpEvent }] = await Promise.all([
    import("../../core/demo/index.ts"),
    import("../../core/graphql/server.ts"),
    import("../../core/graphql/http.ts"),
  ]);
  const seeded = opts.seed === false ? { apiKeys: [] } : await seedDemo(deps, { adminKey: env.adminKey });
  const keyOf = (org: string, name: string) => seeded.apiKeys.find((k) => k.organization === org && k.name === name)?.key ?? "";
  const server = createGraphQLServer(deps);
  const gql: GraphQLEnv["gql"] = async (key, query, variables) => {
    const event = {
      version: "2.0",
      rawPath: "/graphql",
      rawQueryString: "",
      headers: { host: "localhost", "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
      isBase64Encoded: false,
      requestContext: { http: { method: "POST", path: "/graphql" }, domainName: "localhost" },
    } as unknown as APIGatewayProxyEventV2;
    const result = await handleHttpEvent(server, deps, event);
    return { status: result.statusCode ?? 200, headers: (result.headers ?? {}) as Record<string, string>, body: JSON.parse(result.body ?? "{}") };
  };
  return {
    env,
    deps,
    keys: {
      admin: env.adminKey,
      readOnly: keyOf("Sentera Demo", "read-only"),
      descendant: keyOf("Acme Field Services", "admin"),
      unrelated: keyOf("Unrelated Retail", "admin"),
    },
    gql,
  };
}
