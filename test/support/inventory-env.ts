/**
 * An inventory test environment: this file's own table, bucket and queues on the shared emulators
 * (test/support/graphql-env.ts), the demo seed, the GraphQL host in-process through the Lambda's
 * API Gateway adapter, and a small pump that delivers S3 events and polls the queues into the real
 * handler functions the way the hosts do (batch size, partial batch responses, redelivery after the
 * visibility timeout). Deterministic: `pump()` drains until everything is idle. No mocks.
 */
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { DeleteMessageBatchCommand, PurgeQueueCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { S3Event, SQSEvent } from "aws-lambda";
import { createDeps, type Deps } from "../../core/deps.ts";
import { handleRowMessages, handleS3Event } from "../../core/inventory/events.ts";
import { handleFetchMessages } from "../../core/inventory/fetch-events.ts";
import { QUEUES } from "../../stacks/definitions.ts";
import type { FileOutcome } from "../../core/inventory/file.ts";
import { startGraphQLEnv, type GqlResult } from "./graphql-env.ts";
import type { EmulatorEndpoints } from "./global-setup.ts";

export type GqlBody = GqlResult["body"];

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

export async function startInventoryEnv(
  opts: { seed?: boolean; visibilityTimeout?: number; local?: boolean; chunkRows?: number; endpoints?: EmulatorEndpoints } = {},
): Promise<InventoryEnv> {
  // Short visibility timeouts so retries and dead-lettering happen within a test.
  const visibility = opts.visibilityTimeout ?? 2;
  const queues = {
    rowQueue: { ...QUEUES.rowQueue, visibilityTimeoutSeconds: visibility },
    fetchQueue: { ...QUEUES.fetchQueue, visibilityTimeoutSeconds: visibility },
  };
  const graphql = await startGraphQLEnv({ queues, seed: opts.seed, endpoints: opts.endpoints });
  const { env } = graphql;
  const region = env.endpoints.region;
  const { sqs } = env.clients;
  // opts.local = false: the cloud's rules (e.g. no downloads from loopback), same resources.
  const deps = opts.local === false ? createDeps({ ...graphql.deps.config, local: false }) : graphql.deps;
  const s3 = deps.s3;
  const bucketName = env.resources.bucketName;
  const rowQueue = { QueueUrl: env.resources.queues.rowQueue.url };
  const rowArn = env.resources.queues.rowQueue.arn;
  const dlq = { QueueUrl: env.resources.queues.rowQueue.dlqUrl };
  const dlqArn = env.resources.queues.rowQueue.dlqArn;
  const fetchQueue = { QueueUrl: env.resources.queues.fetchQueue.url };
  const fetchArn = env.resources.queues.fetchQueue.arn;
  const s3Endpoint = env.endpoints.s3;

  const gql = async (key: string, query: string, variables?: Record<string, unknown>): Promise<GqlBody> => (await graphql.gql(key, query, variables)).body;

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
    keys: graphql.keys,
    s3Endpoint,
    endpoints: { dynamo: env.endpoints.dynamodb, s3: s3Endpoint, sqs: env.endpoints.sqs },
    dlqArn,
    purgeRows: async () => {
      await sqs.send(new PurgeQueueCommand({ QueueUrl: rowQueue.QueueUrl! }));
    },
    gql,
    drop,
    pump,
    receiveRows: (max = 10) => receive(rowQueue.QueueUrl!, rowArn, max),
    deliverRows,
    // The emulators are the run's (or the bench's own, stopped by its caller).
    stop: async () => {},
  };
}
