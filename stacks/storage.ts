/**
 * Storage: the single DynamoDB table, the inventory bucket and the admin key secret, built from
 * the shared definitions (stacks/definitions.ts) so the local host creates the same shapes.
 * Also the defaults every Lambda of the app shares (runtime, architecture, source maps).
 */
import { FUNCTIONS, RESOURCES, TABLE } from "./definitions.ts";

export interface Storage {
  table: sst.aws.Dynamo;
  bucket: sst.aws.Bucket;
  adminKey: sst.Secret;
}

export function createStorage(): Storage {
  // Every attribute used by a key (primary or index) must be declared, and only those.
  const keyAttributes = [
    TABLE.partitionKey,
    TABLE.sortKey,
    ...TABLE.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  const fields = Object.fromEntries(keyAttributes.map((name) => [name, "string" as const]));
  const globalIndexes = Object.fromEntries(
    TABLE.globalIndexes.map((index) => [
      index.name,
      { hashKey: index.partitionKey, rangeKey: index.sortKey, projection: "all" as const },
    ]),
  );

  const table = new sst.aws.Dynamo(RESOURCES.table, {
    fields,
    primaryIndex: { hashKey: TABLE.partitionKey, rangeKey: TABLE.sortKey },
    globalIndexes,
    ttl: TABLE.ttlAttribute,
    deletionProtection: $app.stage === "production",
  });

  const bucket = new sst.aws.Bucket(RESOURCES.bucket);

  const adminKey = new sst.Secret(RESOURCES.adminKey);

  return { table, bucket, adminKey };
}

export type FunctionName = keyof typeof FUNCTIONS;

/**
 * The arguments every function of the app is built with: Node.js 24 on arm64, memory and timeout
 * from FUNCTIONS, source maps shipped in the bundle and enabled, and only the resources it links
 * (SST `link` grants IAM on exactly those resources and exposes them through `Resource`).
 */
export function functionArgs(
  name: FunctionName,
  handler: string,
  link: unknown[],
  environment: Record<string, string> = {},
): sst.aws.FunctionArgs {
  const settings = FUNCTIONS[name];
  return {
    handler,
    runtime: "nodejs24.x",
    architecture: "arm64",
    memory: `${settings.memoryMB} MB`,
    timeout: `${settings.timeoutSeconds} seconds`,
    nodejs: { sourcemap: true },
    environment: { NODE_OPTIONS: `--enable-source-maps ${settings.v8Flags}`.trim(), ...environment },
    link,
  };
}
