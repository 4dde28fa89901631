/**
 * Creates, idempotently, the same table, bucket and queues the cloud stack declares, from the same
 * definitions (stacks/definitions.ts): key schema, GSIs (ALL projection), on-demand billing, TTL,
 * the inventory bucket, and each queue of QUEUES with its dead-letter queue (RedrivePolicy
 * maxReceiveCount, VisibilityTimeout, DLQ retention).
 *
 * Used by the local host and by the integration tests (each test file creates its own uniquely
 * named set on the shared emulators, so files run in parallel without seeing each other's data).
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { QUEUES, TABLE, type QueueSettings } from "../definitions.ts";

export type QueueKey = keyof typeof QUEUES;

export interface ResourceNames {
  table: string;
  bucket: string;
  queues: Record<QueueKey, { name: string; dlqName: string }>;
}

export interface QueueResource {
  name: string;
  url: string;
  arn: string;
  dlqName: string;
  dlqUrl: string;
  dlqArn: string;
  settings: QueueSettings;
}

export interface EnsuredResources {
  tableName: string;
  bucketName: string;
  queues: Record<QueueKey, QueueResource>;
}

export interface AwsClients {
  dynamodb: DynamoDBClient;
  s3: S3Client;
  sqs: SQSClient;
}

export interface ClientEndpoints {
  dynamodb: string;
  s3: string;
  sqs: string;
  region: string;
}

const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/** SDK clients pointed at the emulators (the handlers build theirs from AWS_ENDPOINT_URL_* instead). */
export function createClients(endpoints: ClientEndpoints): AwsClients {
  return {
    dynamodb: new DynamoDBClient({ endpoint: endpoints.dynamodb, region: endpoints.region, credentials: LOCAL_CREDENTIALS }),
    s3: new S3Client({ endpoint: endpoints.s3, region: endpoints.region, forcePathStyle: true, credentials: LOCAL_CREDENTIALS }),
    sqs: new SQSClient({ endpoint: endpoints.sqs, region: endpoints.region, credentials: LOCAL_CREDENTIALS }),
  };
}

export function destroyClients(clients: AwsClients): void {
  clients.dynamodb.destroy();
  clients.s3.destroy();
  clients.sqs.destroy();
}

/** Names of one resource set. `prefix` like "commerce-ops-local" or "t-<random>". Bucket names: lower case, <= 63 chars. */
export function resourceNames(prefix: string): ResourceNames {
  const queue = (suffix: string) => ({ name: `${prefix}-${suffix}`, dlqName: `${prefix}-${suffix}-dlq` });
  return {
    table: `${prefix}-table`,
    bucket: `${prefix}-inventory`.toLowerCase().replace(/[^a-z0-9.-]/g, "-").slice(0, 63),
    queues: { rowQueue: queue("inventory-rows"), fetchQueue: queue("inventory-fetch") },
  };
}

function errorName(error: unknown): string {
  return (error as { name?: string; Code?: string })?.name ?? (error as { Code?: string })?.Code ?? "";
}

async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const keyAttributes = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const index of TABLE.globalIndexes) {
    keyAttributes.add(index.partitionKey);
    keyAttributes.add(index.sortKey);
  }
  const attributeDefinitions: AttributeDefinition[] = [...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: "S" }));
  const gsi = (index: (typeof TABLE.globalIndexes)[number]): GlobalSecondaryIndex => ({
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: "HASH" },
      { AttributeName: index.sortKey, KeyType: "RANGE" },
    ],
    Projection: { ProjectionType: "ALL" },
  });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: attributeDefinitions,
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: "HASH" },
          { AttributeName: TABLE.sortKey, KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: TABLE.globalIndexes.map(gsi),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException) && errorName(error) !== "ResourceInUseException") throw error;
    // The table exists (a restart, or definitions changed since): add any index it lacks.
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    for (const index of TABLE.globalIndexes) {
      if (existing.has(index.name)) continue;
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: attributeDefinitions.filter(
            (a) => a.AttributeName === index.partitionKey || a.AttributeName === index.sortKey,
          ),
          GlobalSecondaryIndexUpdates: [{ Create: gsi(index) }],
        }),
      );
    }
  }
  for (let i = 0; i < 100; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((x) => x.IndexStatus === "ACTIVE");
    if (Table?.TableStatus === "ACTIVE" && indexesActive) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status !== "ENABLED" && status !== "ENABLING") {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      }),
    );
  }
}

async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch {
    // absent: create below
  }
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = errorName(error);
    if (name !== "BucketAlreadyOwnedByYou" && name !== "BucketAlreadyExists") throw error;
  }
}

/**
 * The URL the SDK must be given for a queue. Emulators answer with `http://sqs.<region>.localhost:<port>/…`;
 * the SQS client (useQueueUrlAsEndpoint) would then send requests to that host, which does not
 * resolve. We hand out `<configured endpoint>/<account>/<name>` instead (the LocalStack form),
 * so the handlers' clients, configured only through AWS_ENDPOINT_URL_SQS, work unchanged.
 */
async function normalizeQueueUrl(client: SQSClient, url: string): Promise<string> {
  const endpoint = await client.config.endpoint?.();
  if (!endpoint) return url;
  const origin = `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ""}`;
  return origin + new URL(url).pathname;
}

async function createOrUpdateQueue(client: SQSClient, name: string, attributes: Record<string, string>): Promise<string> {
  let url: string | undefined;
  try {
    url = (await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl;
  } catch (error) {
    const code = errorName(error);
    if (!/QueueAlreadyExists|QueueNameExists/.test(code)) throw error;
    url = (await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  }
  if (!url) throw new Error(`no URL for queue ${name}`);
  url = await normalizeQueueUrl(client, url);
  // Converge attributes of a queue created by an older definition (CreateQueue leaves them).
  await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  return url;
}

async function queueArn(client: SQSClient, url: string): Promise<string> {
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
  if (!Attributes?.QueueArn) throw new Error(`no ARN for queue ${url}`);
  return Attributes.QueueArn;
}

async function ensureQueue(client: SQSClient, names: { name: string; dlqName: string }, settings: QueueSettings): Promise<QueueResource> {
  // The DLQ is consumed too (row DLQ → inventory-rows), so its visibility timeout must also
  // cover the handler timeout, as AWS requires for an event source mapping.
  const dlqUrl = await createOrUpdateQueue(client, names.dlqName, {
    MessageRetentionPeriod: String(settings.dlqRetentionSeconds),
    VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
  });
  const dlqArn = await queueArn(client, dlqUrl);
  const url = await createOrUpdateQueue(client, names.name, {
    VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: settings.maxReceiveCount }),
  });
  const arn = await queueArn(client, url);
  return { name: names.name, url, arn, dlqName: names.dlqName, dlqUrl, dlqArn, settings };
}

export interface EnsureResourcesInput {
  names: ResourceNames;
  clients: AwsClients;
  /** Queue settings; default QUEUES from stacks/definitions.ts. Tests may shorten timeouts. */
  queues?: Record<QueueKey, QueueSettings>;
}

export async function ensureResources({ names, clients, queues = QUEUES }: EnsureResourcesInput): Promise<EnsuredResources> {
  const keys = Object.keys(queues) as QueueKey[];
  const [, , ...ensured] = await Promise.all([
    ensureTable(clients.dynamodb, names.table),
    ensureBucket(clients.s3, names.bucket),
    ...keys.map((key) => ensureQueue(clients.sqs, names.queues[key], queues[key])),
  ]);
  const queueResources = Object.fromEntries(keys.map((key, i) => [key, ensured[i] as QueueResource])) as Record<QueueKey, QueueResource>;
  return { tableName: names.table, bucketName: names.bucket, queues: queueResources };
}
