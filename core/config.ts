/**
 * Where the code finds its resources. Both hosts expose them the SST way: in AWS, `link` puts
 * them in `SST_RESOURCE_<Name>` environment variables; the local host and the tests set the same
 * variables. AWS endpoints for the emulators come from the SDK's own `AWS_ENDPOINT_URL_<SERVICE>`
 * variables, so no code path differs between the hosts.
 */
import { Resource } from "sst";
import { RESOURCES } from "../stacks/definitions.ts";
import pkg from "../package.json" with { type: "json" };

export interface AppConfig {
  tableName: string;
  bucketName: string;
  rowQueueUrl: string;
  fetchQueueUrl: string;
  /** The deployment's bootstrap admin key (an SST secret); may be empty. */
  adminApiKey: string;
  region: string;
  appVersion: string;
  /** Maximum computed query cost; a query over it is rejected before execution. */
  maxComplexity: number;
  /** True on the local host: GraphiQL is served and URL downloads may target loopback. */
  local: boolean;
  /** S3 path-style addressing (the local S3 emulator needs it). */
  s3ForcePathStyle: boolean;
}

type Linked = Record<string, { name?: string; url?: string; value?: string } | undefined>;

function linked(name: string, field: "name" | "url" | "value"): string {
  const value = (Resource as unknown as Linked)[name]?.[field];
  if (!value && field !== "value") throw new Error(`resource ${name}.${field} is not linked`);
  return value ?? "";
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    tableName: linked(RESOURCES.table, "name"),
    bucketName: linked(RESOURCES.bucket, "name"),
    rowQueueUrl: linked(RESOURCES.rowQueue, "url"),
    fetchQueueUrl: linked(RESOURCES.fetchQueue, "url"),
    adminApiKey: linked(RESOURCES.adminKey, "value"),
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
    appVersion: env.APP_VERSION ?? `v${pkg.version}`,
    maxComplexity: Number(env.MAX_COMPLEXITY ?? 5000),
    local: env.COMMERCE_LOCAL === "1",
    s3ForcePathStyle: env.S3_FORCE_PATH_STYLE === "1",
  };
}
