/**
 * The local host, end to end: the emulator plumbing in-process (S3 events, presigned PUT, queue
 * semantics, resources), then the real `npm start` as a child process, driven over HTTP and S3
 * like a client: with stand-in handlers (test/support/fixtures) to observe exactly what the host
 * delivers, and with the product's handlers for a real inventory drop.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { S3EventRecord, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INVENTORY_DROP, QUEUES, TABLE } from "../stacks/definitions.ts";
import { startEmulators, type Emulators } from "../stacks/local/emulators.ts";
import { matchesNotification, REPO_ROOT, ROUTES, type LocalEndpoints } from "../stacks/local/host.ts";
import { MAX_PAYLOAD_BYTES } from "../stacks/local/http-adapter.ts";
import { createClients, destroyClients, ensureResources, resourceNames, type AwsClients } from "../stacks/local/resources.ts";
import { startSqsPoller } from "../stacks/local/sqs-poller.ts";
import { emulatorEndpoints, testEnv, type TestEnv } from "./support/emulators.ts";
import { pidAlive, startLocalHostProcess, type LocalHostProcess } from "./support/local-host.ts";

const FIXTURES = resolve(REPO_ROOT, "test/support/fixtures");
const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
const REAL_HANDLERS = existsSync(join(REPO_ROOT, "functions/graphql.ts"));

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const md5 = (body: string | Buffer) => createHash("md5").update(body).digest("hex");

async function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
  });
}

function s3Client(endpoint: string, region = "us-east-1") {
  return new S3Client({ endpoint, region, forcePathStyle: true, credentials: CREDENTIALS });
}

// -------------------------------------------------------------------------------------------------

describe("emulators: S3 object-created events", () => {
  let emulators: Emulators;
  let s3: S3Client;
  const records: S3EventRecord[] = [];
  const bucket = "events-bucket";

  beforeAll(async () => {
    emulators = await startEmulators({ persist: false, region: "us-east-1" });
    emulators.s3.onObjectCreated((r) => records.push(r));
    s3 = s3Client(emulators.s3.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    s3?.destroy();
    await emulators?.stop();
  });

  const recordFor = (key: string) => waitFor(`event for ${key}`, () => records.find((r) => decodeURIComponent(r.s3.object.key.replace(/\+/g, " ")) === key));

  it("gives every write an AWS-shaped record; only INVENTORY_DROP keys pass the notification filter", async () => {
    const matching = "inventory/org 1/stock+list (v2).csv";
    const body = "sku,quantity\nABC,5\n";
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: matching, Body: body }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "exports/report.csv", Body: body }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "inventory/readme.txt", Body: body }));

    const record = await recordFor(matching);
    expect(record).toMatchObject({
      eventVersion: "2.1",
      eventSource: "aws:s3",
      awsRegion: "us-east-1",
      eventName: "ObjectCreated:Put",
      s3: {
        s3SchemaVersion: "1.0",
        bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
        object: { key: "inventory/org+1/stock%2Blist+%28v2%29.csv", size: Buffer.byteLength(body), eTag: md5(body) },
      },
    });
    expect(new Date(record.eventTime).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]+$/);
    expect(record.responseElements["x-amz-request-id"]).toBeTruthy();

    await recordFor("exports/report.csv");
    await recordFor("inventory/readme.txt");
    expect(records.filter((r) => matchesNotification(r)).map((r) => r.s3.object.key)).toEqual([record.s3.object.key]);
    expect(INVENTORY_DROP.events).toEqual(["s3:ObjectCreated:*"]);
  });

  it("accepts a presigned PUT (as API clients upload) and notifies it", async () => {
    const key = "inventory/presigned.csv";
    const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: "text/csv" }), { expiresIn: 300 });
    const res = await fetch(url, { method: "PUT", headers: { "content-type": "text/csv" }, body: "sku,quantity\nP,1\n" });
    expect(res.status).toBe(200);
    const record = await recordFor(key);
    expect(record.eventName).toBe("ObjectCreated:Put");
    expect(record.s3.object.size).toBe(17);
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(await object.Body!.transformToString()).toBe("sku,quantity\nP,1\n");
  });

  it("keeps streamed (aws-chunked) uploads intact and names multipart and copy events like S3", async () => {
    const body = "sku,quantity\nS,2\n";
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "inventory/stream.csv", Body: Readable.from([Buffer.from(body)]), ContentLength: body.length }),
    );
    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "inventory/stream.csv" }));
    expect(await stored.Body!.transformToString()).toBe(body);

    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "inventory/multi.csv" }));
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: "inventory/multi.csv", UploadId, PartNumber: 1, Body: body }));
    await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: "inventory/multi.csv", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }),
    );
    expect((await recordFor("inventory/multi.csv")).eventName).toBe("ObjectCreated:CompleteMultipartUpload");

    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "inventory/copy.csv", CopySource: `${bucket}/inventory/stream.csv` }));
    expect((await recordFor("inventory/copy.csv")).eventName).toBe("ObjectCreated:Copy");
  });

  it("stop() ends DynamoDB Local's Java process and its watchdog", async () => {
    const pids = emulators.childPids();
    expect(pids.length).toBe(2);
    expect(pids.every(pidAlive)).toBe(true);
    const port = emulators.dynamodb.port;
    await emulators.stop();
    await waitFor("children gone", () => (pids.some(pidAlive) ? undefined : true), 10_000);
    expect(await portFree(port)).toBe(true);
  });
});

// -------------------------------------------------------------------------------------------------

describe("resources from the definitions", () => {
  it("creates table, bucket, queues and DLQs as declared, idempotently", async () => {
    const endpoints = emulatorEndpoints();
    const clients: AwsClients = createClients(endpoints);
    const names = resourceNames(`r-${Date.now().toString(36)}`);
    const first = await ensureResources({ names, clients });
    const second = await ensureResources({ names, clients });
    expect(second).toEqual(first);

    const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: names.table }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: "HASH" },
      { AttributeName: TABLE.sortKey, KeyType: "RANGE" },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
    const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((i) => ({
      name: i.IndexName,
      keys: i.KeySchema?.map((k) => k.AttributeName),
      projection: i.Projection?.ProjectionType,
    }));
    expect(indexes.sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual(
      TABLE.globalIndexes.map((i) => ({ name: i.name, keys: [i.partitionKey, i.sortKey], projection: "ALL" })),
    );
    const ttl = await clients.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: names.table }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: "ENABLED", AttributeName: TABLE.ttlAttribute });

    await clients.s3.send(new HeadBucketCommand({ Bucket: names.bucket }));

    for (const key of ["rowQueue", "fetchQueue"] as const) {
      const queue = first.queues[key];
      expect(new URL(queue.url).origin).toBe(new URL(endpoints.sqs).origin);
      const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ["All"] }));
      expect(Attributes?.VisibilityTimeout).toBe(String(QUEUES[key].visibilityTimeoutSeconds));
      expect(JSON.parse(Attributes?.RedrivePolicy ?? "{}")).toMatchObject({ deadLetterTargetArn: queue.dlqArn });
      expect(Number(JSON.parse(Attributes?.RedrivePolicy ?? "{}").maxReceiveCount)).toBe(QUEUES[key].maxReceiveCount);
      expect(queue.arn).toBe(`arn:aws:sqs:${endpoints.region}:000000000000:${names.queues[key].name}`);
      const dlq = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.dlqUrl, AttributeNames: ["All"] }));
      expect(dlq.Attributes?.MessageRetentionPeriod).toBe(String(QUEUES[key].dlqRetentionSeconds));
    }
    destroyClients(clients);
  });
});

// -------------------------------------------------------------------------------------------------

describe("SQS poller: Lambda's event source mapping semantics", () => {
  const fast = {
    rowQueue: { ...QUEUES.rowQueue, visibilityTimeoutSeconds: 1, maxReceiveCount: 2 },
    fetchQueue: { ...QUEUES.fetchQueue, visibilityTimeoutSeconds: 1 },
  };
  let env: TestEnv;
  beforeAll(async () => {
    env = await testEnv({ queues: fast });
  });

  it("deletes what succeeded, redelivers failures after the visibility timeout, then dead-letters them into the DLQ consumer", async () => {
    const { rowQueue } = env.resources.queues;
    const seen: Array<{ source: string; record: SQSRecord }> = [];
    let throwOnce = true;
    let malformedOnce = true;
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      const failures: SQSBatchResponse["batchItemFailures"] = [];
      for (const record of event.Records) {
        seen.push({ source: record.eventSourceARN, record });
        if (record.body === "throw" && throwOnce) {
          throwOnce = false;
          throw new Error("whole batch fails");
        }
        if (record.body === "malformed" && malformedOnce) {
          malformedOnce = false;
          return { batchItemFailures: [{ itemIdentifier: "not-in-this-batch" }] };
        }
        if (record.body === "fail" && record.eventSourceARN === rowQueue.arn) failures.push({ itemIdentifier: record.messageId });
      }
      return { batchItemFailures: failures };
    };
    const common = { sqs: env.clients.sqs, region: env.endpoints.region, handler, batchSize: fast.rowQueue.batchSize };
    const main = startSqsPoller({ ...common, queueUrl: rowQueue.url, queueArn: rowQueue.arn, concurrency: 2 });
    const dlq = startSqsPoller({ ...common, queueUrl: rowQueue.dlqUrl, queueArn: rowQueue.dlqArn, concurrency: 1 });
    try {
      for (const body of ["ok", "fail", "throw", "malformed"]) {
        await env.clients.sqs.send(
          new SendMessageCommand({
            QueueUrl: rowQueue.url,
            MessageBody: body,
            MessageAttributes: {
              kind: { DataType: "String", StringValue: body },
              blob: { DataType: "Binary", BinaryValue: Buffer.from([1, 2, 3]) },
              n: { DataType: "Number", StringValue: "42" },
            },
          }),
        );
      }
      const deliveries = (body: string, source = rowQueue.arn) => seen.filter((s) => s.record.body === body && s.source === source);
      await waitFor("fail to reach the DLQ consumer", () => (deliveries("fail", rowQueue.dlqArn).length > 0 ? true : undefined), 30_000);
      await waitFor("throw and malformed redelivered", () => (deliveries("throw").length >= 2 && deliveries("malformed").length >= 2 ? true : undefined));
      await sleep(2500); // two more visibility timeouts: nothing else may come back

      // "fail": received maxReceiveCount (2) times from the queue, then once from the DLQ, where it succeeds.
      expect(deliveries("fail").map((d) => d.record.attributes.ApproximateReceiveCount)).toEqual(["1", "2"]);
      expect(deliveries("fail", rowQueue.dlqArn)).toHaveLength(1);
      // Thrown error or malformed response: the whole batch was kept, delivered again, then deleted.
      expect(deliveries("throw").length).toBe(2);
      expect(deliveries("malformed").length).toBe(2);
      expect(deliveries("throw")[1]!.record.attributes.ApproximateReceiveCount).toBe("2");
      // "ok" succeeded on first delivery unless it shared the thrown/malformed batch.
      expect(deliveries("ok").length).toBeGreaterThanOrEqual(1);
      expect(deliveries("ok").length).toBeLessThanOrEqual(3);
      expect(seen.filter((s) => s.source === rowQueue.dlqArn).map((s) => s.record.body)).toEqual(["fail"]);

      const record = deliveries("fail")[0]!.record;
      expect(record).toMatchObject({
        eventSource: "aws:sqs",
        eventSourceARN: `arn:aws:sqs:${env.endpoints.region}:000000000000:${rowQueue.name}`,
        awsRegion: env.endpoints.region,
        body: "fail",
        md5OfBody: md5("fail"),
        messageAttributes: {
          kind: { stringValue: "fail", stringListValues: [], binaryListValues: [], dataType: "String" },
          blob: { binaryValue: Buffer.from([1, 2, 3]).toString("base64"), dataType: "Binary" },
          n: { stringValue: "42", dataType: "Number" },
        },
      });
      expect(record.messageId).toBeTruthy();
      expect(record.receiptHandle).toBeTruthy();
      expect(Object.keys(record.attributes)).toEqual(
        expect.arrayContaining(["ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp"]),
      );
    } finally {
      await Promise.all([main.stop(), dlq.stop()]);
    }
    const { Attributes } = await env.clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: rowQueue.url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
    );
    expect(Attributes).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
  });

  it("sets up the handlers' environment and deps (SST_RESOURCE_*, endpoints)", () => {
    expect(JSON.parse(process.env.SST_RESOURCE_Table!)).toEqual({ name: env.names.table });
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(env.endpoints.dynamodb);
    expect(env.deps.config.tableName).toBe(env.names.table);
    expect(env.deps.config.rowQueueUrl).toBe(env.resources.queues.rowQueue.url);
  });
});

// -------------------------------------------------------------------------------------------------

interface FixtureEntry {
  handler: string;
  key?: string;
  body?: string;
  record: Record<string, any>;
}

function fixtureLog(file: string): FixtureEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as FixtureEntry);
}

describe("npm start (stand-in handlers): HTTP, S3 events, queues, lifecycle", () => {
  const root = mkdtempSync(join(tmpdir(), "local-host-e2e-"));
  const dataDir = join(root, "a");
  const log = join(root, "fixture.jsonl");
  const adminKey = "e2e-admin-key";
  const env = { LOCAL_HANDLERS_ROOT: FIXTURES, LOCAL_FIXTURE_LOG: log, LOCAL_API_KEY: adminKey };
  let host: LocalHostProcess;
  let endpoints: LocalEndpoints;
  const others: LocalHostProcess[] = [];

  beforeAll(async () => {
    host = await startLocalHostProcess({ dataDir, env });
    endpoints = host.endpoints;
  });
  afterAll(() => {
    host?.kill();
    for (const other of others) other.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it("answers GET /health with 200 within 60 s of npm start", async () => {
    expect(host.startupMs).toBeLessThan(60_000);
    const res = await fetch(endpoints.health);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", stage: "local" });
    console.log(`npm start → endpoints.json in ${host.startupMs} ms`);
  });

  it("writes endpoints.json with the documented shape", () => {
    const written = JSON.parse(readFileSync(join(dataDir, "endpoints.json"), "utf8")) as LocalEndpoints;
    expect(written).toEqual(endpoints);
    const port = new URL(endpoints.graphql).port;
    expect(endpoints).toMatchObject({
      graphql: `http://localhost:${port}/graphql`,
      health: `http://localhost:${port}/health`,
      s3: { endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), region: "us-east-1", bucket: "commerce-ops-local-inventory" },
      dynamodb: { endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), table: "commerce-ops-local-table" },
      sqs: { endpoint: endpoints.s3.endpoint },
    });
    // Fresh data folder: the demo loader ran with LOCAL_API_KEY as the demo admin's key.
    expect(endpoints.apiKeys.length).toBeGreaterThan(0);
    for (const key of endpoints.apiKeys) {
      expect(key).toEqual({ organization: expect.any(String), name: expect.any(String), key: expect.any(String), permissions: expect.any(Array) });
    }
    expect(endpoints.apiKeys.map((k) => k.key)).toContain(adminKey);
  });

  it("turns HTTP requests into API Gateway v2 events and results back into responses", async () => {
    const res = await fetch(`${endpoints.graphql}?a=1&a=2&b=x%20y`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Custom": "Value", Cookie: "c1=v1; c2=v2" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-fixture")).toBe("1");
    expect(res.headers.getSetCookie()).toEqual(["session=abc; Path=/; HttpOnly", "theme=dark"]);
    const { event, table } = (await res.json()) as { event: Record<string, any>; table: string };
    expect(table).toBe("commerce-ops-local-table");
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "POST /graphql",
      rawPath: "/graphql",
      rawQueryString: "a=1&a=2&b=x%20y",
      queryStringParameters: { a: "1,2", b: "x y" },
      cookies: ["c1=v1", "c2=v2"],
      isBase64Encoded: false,
      body: JSON.stringify({ query: "{ __typename }" }),
      requestContext: { http: { method: "POST", path: "/graphql", sourceIp: "127.0.0.1" }, stage: "$default", accountId: "000000000000" },
    });
    expect(event.headers["x-custom"]).toBe("Value");
    expect(event.headers["content-type"]).toBe("application/json");
    expect(event.headers.cookie).toBeUndefined();

    const binary = await fetch(endpoints.graphql, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array([0, 159, 146, 150]),
    });
    const echoed = ((await binary.json()) as { event: Record<string, any> }).event;
    expect(echoed.isBase64Encoded).toBe(true);
    expect(Buffer.from(echoed.body, "base64")).toEqual(Buffer.from([0, 159, 146, 150]));

    const bytes = await fetch(endpoints.graphql, { method: "POST", headers: { "x-fixture-binary": "1" }, body: "{}" });
    expect(Buffer.from(await bytes.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));

    const tooLarge = await fetch(endpoints.graphql, { method: "POST", headers: { "content-type": "application/json" }, body: "x".repeat(MAX_PAYLOAD_BYTES + 1) });
    expect(tooLarge.status).toBe(413);
    const justFits = await fetch(endpoints.graphql, { method: "POST", headers: { "content-type": "text/plain" }, body: "x".repeat(1024 * 1024) });
    expect(justFits.status).toBe(201);

    expect((await fetch(endpoints.graphql, { method: "POST", headers: { "x-fixture-throw": "1" }, body: "{}" })).status).toBe(500);
    expect((await fetch(endpoints.graphql.replace("/graphql", "/nope"))).status).toBe(404);
    expect((await fetch(endpoints.health, { method: "DELETE" })).status).toBe(404);
  });

  it("delivers INVENTORY_DROP writes (SDK, presigned PUT) to inventory-file, and its queue messages to inventory-rows", async () => {
    const s3 = s3Client(endpoints.s3.endpoint);
    const bucket = endpoints.s3.bucket;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "inventory/e2e drop.csv", Body: "sku,quantity\nA,1\n" }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "elsewhere/not-a-drop.csv", Body: "x" }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "inventory/not-a-drop.txt", Body: "x" }));
    const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: "inventory/presigned.csv" }), { expiresIn: 300 });
    expect((await fetch(url, { method: "PUT", body: "sku,quantity\nB,2\nC,3\n" })).status).toBe(200);

    const files = await waitFor("two inventory-file invocations", () => {
      const entries = fixtureLog(log).filter((e) => e.handler === "inventory-file");
      return entries.length >= 2 ? entries : undefined;
    });
    const rows = await waitFor("two inventory-rows invocations", () => {
      const entries = fixtureLog(log).filter((e) => e.handler === "inventory-rows");
      return entries.length >= 2 ? entries : undefined;
    });
    await sleep(1500);
    const all = fixtureLog(log);
    expect(all.filter((e) => e.handler === "inventory-file").map((e) => e.key).sort()).toEqual(["inventory/e2e drop.csv", "inventory/presigned.csv"]);
    expect(files.find((e) => e.key === "inventory/e2e drop.csv")).toMatchObject({
      body: "sku,quantity\nA,1\n",
      record: { eventSource: "aws:s3", eventName: "ObjectCreated:Put", s3: { bucket: { name: bucket }, object: { key: "inventory/e2e+drop.csv", size: 17 } } },
    });
    const rowArn = `arn:aws:sqs:us-east-1:000000000000:commerce-ops-local-inventory-rows`;
    expect(rows.every((e) => e.record.eventSourceARN === rowArn && e.record.eventSource === "aws:sqs")).toBe(true);
    expect(rows.map((e) => JSON.parse(e.record.body).key).sort()).toEqual(["inventory/e2e drop.csv", "inventory/presigned.csv"]);
    expect(rows[0]!.record.messageAttributes.source).toMatchObject({ stringValue: "inventory-file", dataType: "String" });
    s3.destroy();
  });

  it("stops on SIGTERM to npm: no Java, watchdog, tsx or node left, ports freed; a restart keeps the data", async () => {
    const ddb = new DynamoDBClient({ endpoint: endpoints.dynamodb.endpoint, region: "us-east-1", credentials: CREDENTIALS });
    await ddb.send(new PutItemCommand({ TableName: endpoints.dynamodb.table, Item: { pk: { S: "E2E#persist" }, sk: { S: "item" }, v: { N: "7" } } }));
    ddb.destroy();

    const processes = host.processes();
    expect(processes.some((p) => p.args.includes("DynamoDBLocal.jar"))).toBe(true);
    expect(processes.some((p) => p.args.includes("stacks/local/main.ts"))).toBe(true);
    const ports = [endpoints.graphql, endpoints.s3.endpoint, endpoints.dynamodb.endpoint].map((u) => Number(new URL(u).port));

    const result = await host.stop("SIGTERM", "npm");
    expect(result.survivors).toEqual([]);
    for (const port of ports) expect(await portFree(port)).toBe(true);
    expect(existsSync(join(dataDir, "endpoints.json"))).toBe(false);
    expect(existsSync(join(dataDir, "host.lock"))).toBe(false);
    console.log(`SIGTERM → all processes gone in ${result.stopMs} ms`);

    host = await startLocalHostProcess({ dataDir, env });
    const restarted = host.endpoints;
    expect(restarted.apiKeys).toEqual(endpoints.apiKeys);
    const again = new DynamoDBClient({ endpoint: restarted.dynamodb.endpoint, region: "us-east-1", credentials: CREDENTIALS });
    const { Item } = await again.send(new GetItemCommand({ TableName: restarted.dynamodb.table, Key: { pk: { S: "E2E#persist" }, sk: { S: "item" } } }));
    expect(Item?.v).toEqual({ N: "7" });
    again.destroy();
    const s3 = s3Client(restarted.s3.endpoint);
    const object = await s3.send(new GetObjectCommand({ Bucket: restarted.s3.bucket, Key: "inventory/presigned.csv" }));
    expect(await object.Body!.transformToString()).toBe("sku,quantity\nB,2\nC,3\n");
    s3.destroy();
    // Nothing re-delivered on restart: the S3 drop was handled once, its messages were deleted.
    await sleep(1500);
    expect(fixtureLog(log).filter((e) => e.handler === "inventory-file")).toHaveLength(2);
    expect((await fetch(restarted.health)).status).toBe(200);
  });

  it("runs a second instance side by side (own DATA_DIR and PORT), and refuses a second host on the same DATA_DIR", async () => {
    const other = await startLocalHostProcess({ dataDir: join(root, "b"), env: { ...env, LOCAL_SEED: "0" } });
    others.push(other);
    expect(new URL(other.endpoints.graphql).port).not.toBe(new URL(host.endpoints.graphql).port);
    expect(other.endpoints.dynamodb.endpoint).not.toBe(host.endpoints.dynamodb.endpoint);
    expect(other.endpoints.s3.endpoint).not.toBe(host.endpoints.s3.endpoint);
    expect(other.endpoints.apiKeys).toEqual([]);
    const [a, b] = await Promise.all([fetch(host.endpoints.health), fetch(other.endpoints.health)]);
    expect([a.status, b.status]).toEqual([200, 200]);

    await expect(startLocalHostProcess({ dataDir, env, timeoutMs: 30_000 })).rejects.toThrow(/in use by process/);

    // Ctrl-C in a terminal signals the whole process group.
    const result = await other.stop("SIGINT", "group");
    expect(result.survivors).toEqual([]);
  });

  it("does not leak Java when the host process is killed outright (SIGKILL): the watchdog ends it", async () => {
    const java = host.processes().find((p) => p.args.includes("DynamoDBLocal.jar"));
    expect(java).toBeDefined();
    process.kill(host.endpoints.pid, "SIGKILL");
    await waitFor("Java to be killed by the watchdog", () => (pidAlive(java!.pid) ? undefined : true), 10_000);
    const result = await host.stop("SIGTERM", "npm");
    expect(result.survivors).toEqual([]);
  });
});

// -------------------------------------------------------------------------------------------------

describe.runIf(REAL_HANDLERS)("npm start (the product's handlers)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "local-host-real-"));
  let host: LocalHostProcess;
  beforeAll(async () => {
    host = await startLocalHostProcess({ dataDir });
  });
  afterAll(async () => {
    if (host) {
      const result = await host.stop();
      expect(result.survivors).toEqual([]);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  const gql = async (key: string, query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(host.endpoints.graphql, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as { data?: any; errors?: Array<{ message: string }> } };
  };

  it("serves /health and GraphQL with the demo admin key within 60 s", async () => {
    expect(host.startupMs).toBeLessThan(60_000);
    expect((await fetch(host.endpoints.health)).status).toBe(200);
    const admin = host.endpoints.apiKeys.find((k) => k.name === "admin")!;
    const { status, body } = await gql(admin.key, "{ viewer { organization { id name } permissions } }");
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.viewer.organization.name).toBe(admin.organization);
  });

  it("processes a CSV uploaded through the API's presigned URL: S3 event → inventory-file → SQS → inventory-rows", async () => {
    const admin = host.endpoints.apiKeys.find((k) => k.name === "admin")!;
    const warehouse = "V2FyZWhvdXNlOjY1NDU="; // Warehouse:6545, demo data (docs/inventory.md)
    const upload = await gql(admin.key, `mutation { inventory_sync_upload_url(data: { warehouse_id: "${warehouse}", file_name: "e2e" }) { url key expires_at } }`);
    expect(upload.body.errors).toBeUndefined();
    const { url } = upload.body.data.inventory_sync_upload_url as { url: string };
    const csv = "#sku,quantity,action,reason\n45933041,25,replace,Cycle count\nNOT-A-SKU,3,replace,Typo\n";
    const put = await fetch(url, { method: "PUT", headers: { "content-type": "text/csv" }, body: csv });
    expect(put.status).toBe(200);

    const batch = await waitFor(
      "the batch to finish",
      async () => {
        const { body } = await gql(admin.key, "{ inventory_sync_statuses { data(first: 5) { edges { node { id url status error total_count finished_count } } } } }");
        const node = body.data?.inventory_sync_statuses?.data?.edges?.map((e: any) => e.node).find((n: any) => String(n.url).includes("e2e"));
        return node && (node.status === "success" || node.status === "error") ? node : undefined;
      },
      45_000,
    );
    expect(batch).toMatchObject({ status: "error", total_count: 2, finished_count: 2 });
    expect(batch.error).toMatch(/1 out of 2/);
  });
});
