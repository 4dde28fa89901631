/**
 * The local host: the whole backend on a laptop, offline. It starts the emulators, creates the
 * same table, bucket and queues as the cloud stack (stacks/definitions.ts), exposes them to the
 * code the SST way (SST_RESOURCE_* and AWS_ENDPOINT_URL_* environment variables), imports the
 * very Lambda handlers that are deployed (HANDLERS) and drives them like AWS does:
 *
 * - API Gateway HTTP API → functions/graphql.ts, over node:http (payload format 2.0);
 * - S3 ObjectCreated notifications on INVENTORY_DROP → functions/inventory-file.ts (asynchronous
 *   invocation, retried twice on error);
 * - SQS event source mappings (batch size, partial batch responses, visibility timeout,
 *   maxReceiveCount and DLQ from QUEUES) → functions/inventory-rows.ts (also fed by the row DLQ)
 *   and functions/inventory-fetch.ts.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context, S3Event, S3EventRecord, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { DEFAULT_LOCAL_API_KEY } from "../../core/demo/index.ts";
import { API_ROUTES, FUNCTIONS, HANDLERS, INVENTORY_DROP, QUEUE_CONSUMERS, QUEUES, RESOURCES } from "../definitions.ts";
import { startEmulators, type Emulators } from "./emulators.ts";
import { PayloadTooLargeError, readBody, toApiGatewayEvent, writeApiGatewayResult, writeJson } from "./http-adapter.ts";
import { createClients, destroyClients, ensureResources, resourceNames, type EnsuredResources } from "./resources.ts";
import { startSqsPoller, type SqsPoller } from "./sqs-poller.ts";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const APP_NAME = "commerce-ops";
export const DEFAULT_PORT = 4000;
export const DEFAULT_DATA_DIR = ".local-data";
/** LOCAL_API_KEY's default: the demo organization's admin key secret (one constant, in core/demo). */
export const DEFAULT_ADMIN_KEY = DEFAULT_LOCAL_API_KEY;

/** Routes of the HTTP API, all to the graphql function: the cloud's list (stacks/definitions.ts). */
export const ROUTES = API_ROUTES;

/** As core/demo returns them (organization, key, permissions; core adds the key's name). */
export interface ApiKey {
  organization: string;
  name?: string;
  key: string;
  permissions: string[];
}

export interface LocalEndpoints {
  graphql: string;
  health: string;
  s3: { endpoint: string; region: string; bucket: string };
  apiKeys: ApiKey[];
  /** Emulator endpoints and resource names, for SDK clients, the AWS CLI or NoSQL Workbench. */
  dynamodb: { endpoint: string; table: string };
  sqs: { endpoint: string; queues: Record<string, string> };
  pid: number;
  startedAt: string;
}

export interface LocalHostOptions {
  dataDir: string;
  /** HTTP port; 0 = any free port. */
  port: number;
  /** The bootstrap admin key (SST secret AdminApiKey in the cloud). */
  adminKey: string;
  /** Keep emulator state under dataDir across restarts. */
  persist: boolean;
  /** Bind address. Default 127.0.0.1 plus ::1 (so http://localhost works either way). */
  bindHost?: string;
  /** Where HANDLERS paths are resolved. Default the repository root (tests: fixtures). */
  handlersRoot?: string;
  /** "auto" (default): run the demo loader when the data folder was empty. */
  seed?: "auto" | boolean;
  /** Concurrent pollers per queue (Lambda concurrency). Default 2. */
  pollerConcurrency?: number;
  /** Delays before the two retries of a failed S3-triggered invocation. Default [1000, 2000]. */
  s3RetryDelaysMs?: number[];
  region?: string;
  stage?: string;
  log?: (line: string) => void;
}

export interface LocalHost {
  url: string;
  port: number;
  endpoints: LocalEndpoints;
  resources: EnsuredResources;
  emulators: Emulators;
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Environment: how the code finds its resources (the same variables SST `link` sets in AWS).
// ---------------------------------------------------------------------------------------------

export interface LocalEnvironmentInput {
  region: string;
  endpoints: { dynamodb: string; s3: string; sqs: string };
  resources: EnsuredResources;
  adminKey: string;
  stage: string;
}

export function localEnvironment(input: LocalEnvironmentInput): Record<string, string> {
  const { resources } = input;
  return {
    SST_RESOURCE_App: JSON.stringify({ name: APP_NAME, stage: input.stage }),
    [`SST_RESOURCE_${RESOURCES.table}`]: JSON.stringify({ name: resources.tableName }),
    [`SST_RESOURCE_${RESOURCES.bucket}`]: JSON.stringify({ name: resources.bucketName }),
    [`SST_RESOURCE_${RESOURCES.rowQueue}`]: JSON.stringify({ url: resources.queues.rowQueue.url }),
    [`SST_RESOURCE_${RESOURCES.fetchQueue}`]: JSON.stringify({ url: resources.queues.fetchQueue.url }),
    [`SST_RESOURCE_${RESOURCES.adminKey}`]: JSON.stringify({ value: input.adminKey }),
    AWS_ENDPOINT_URL_DYNAMODB: input.endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: input.endpoints.s3,
    AWS_ENDPOINT_URL_SQS: input.endpoints.sqs,
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_EC2_METADATA_DISABLED: "true",
    S3_FORCE_PATH_STYLE: "1",
    COMMERCE_LOCAL: "1",
  };
}

/** Sets the variables in this process; drops ones that would send the SDK to a real account. */
export function applyEnvironment(vars: Record<string, string>): void {
  for (const name of ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"]) {
    delete process.env[name];
  }
  Object.assign(process.env, vars);
}

// ---------------------------------------------------------------------------------------------
// Handlers, invoked with a Lambda-like context and timeout
// ---------------------------------------------------------------------------------------------

type AnyHandler = (event: never, context: Context) => Promise<unknown>;

/** Imports `<root>/<file>.ts` for an SST handler string "path/file.export". */
export async function loadHandler<H>(root: string, handler: string): Promise<H> {
  const dot = handler.lastIndexOf(".");
  const file = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  const candidates = [".ts", ".mts", ".js", ".mjs"].map((ext) => join(root, file + ext));
  const path = candidates.find((c) => existsSync(c));
  if (!path) throw new Error(`handler "${handler}" not found: none of ${candidates.map((c) => c.replace(`${REPO_ROOT}/`, "")).join(", ")}`);
  const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const fn = mod[exportName];
  if (typeof fn !== "function") throw new Error(`${path} does not export a function "${exportName}"`);
  return fn as H;
}

export class LambdaTimeoutError extends Error {
  constructor(seconds: number) {
    super(`Task timed out after ${seconds.toFixed(2)} seconds`);
    this.name = "LambdaTimeoutError";
  }
}

export function lambdaContext(functionName: string, timeoutSeconds: number, memoryMB: number, region: string): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const awsRequestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMB),
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${awsRequestId.replace(/-/g, "")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/**
 * Wraps a handler as the Lambda service calls it: a fresh context per invocation, and a timeout
 * after which the invocation counts as failed (the promise itself cannot be cancelled in-process).
 */
export function invoker<E, R>(
  handler: AnyHandler,
  fn: { name: string; timeoutSeconds: number; memoryMB: number },
  region: string,
  inFlight: Set<Promise<unknown>>,
): (event: E) => Promise<R> {
  return (event: E) => {
    const context = lambdaContext(fn.name, fn.timeoutSeconds, fn.memoryMB, region);
    let timer: NodeJS.Timeout | undefined;
    const run = (handler as unknown as (e: E, c: Context) => Promise<R>)(event, context);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LambdaTimeoutError(fn.timeoutSeconds)), fn.timeoutSeconds * 1000);
      timer.unref();
    });
    const result = Promise.race([run, timeout]).finally(() => clearTimeout(timer));
    const tracked = result.catch(() => {});
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));
    return result;
  };
}

// ---------------------------------------------------------------------------------------------
// S3 notification filter (INVENTORY_DROP)
// ---------------------------------------------------------------------------------------------

export function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, " "));
}

/** Whether an ObjectCreated record passes a bucket notification filter (events, prefix, suffix). */
export function matchesNotification(
  record: S3EventRecord,
  filter: { prefix: string; suffix: string; events: readonly string[] } = INVENTORY_DROP,
): boolean {
  const eventType = `s3:${record.eventName}`;
  const eventOk = filter.events.some((pattern) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(eventType),
  );
  const key = decodeS3EventKey(record.s3.object.key);
  return eventOk && key.startsWith(filter.prefix) && key.endsWith(filter.suffix);
}

// ---------------------------------------------------------------------------------------------
// Data folder
// ---------------------------------------------------------------------------------------------

export function dataFiles(dataDir: string) {
  return {
    endpoints: join(dataDir, "endpoints.json"),
    seed: join(dataDir, "seed.json"),
    lock: join(dataDir, "host.lock"),
  };
}

/** A timer that does not keep the process alive. */
function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** One host (or seeding run) per data folder: DynamoDB Local's file must have one writer. */
export function lockDataDir(dataDir: string): () => void {
  const { lock } = dataFiles(dataDir);
  const holder = readJson<{ pid: number }>(lock);
  if (holder && holder.pid !== process.pid && pidAlive(holder.pid)) {
    throw new Error(`data folder ${dataDir} is in use by process ${holder.pid}; give this instance its own DATA_DIR`);
  }
  writeFileSync(lock, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
  return () => {
    if (readJson<{ pid: number }>(lock)?.pid === process.pid) rmSync(lock, { force: true });
  };
}

// ---------------------------------------------------------------------------------------------
// Demo loader
// ---------------------------------------------------------------------------------------------

/**
 * Runs `seedDemo(createDeps(loadConfig()), { adminKey })` (core/demo) with the environment
 * already set. Imported lazily: nothing of core is evaluated before the resources are linked.
 * Returns the API keys it created ([] when the table already held the demo data).
 */
export async function runDemoSeed(adminKey: string): Promise<{ alreadySeeded: boolean; apiKeys: ApiKey[] }> {
  const [{ seedDemo }, { createDeps }, { loadConfig }] = await Promise.all([
    import("../../core/demo/index.ts"),
    import("../../core/deps.ts"),
    import("../../core/config.ts"),
  ]);
  const result = await seedDemo(createDeps(loadConfig()), { adminKey });
  return { alreadySeeded: result.alreadySeeded, apiKeys: result.apiKeys };
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolveListen, reject) => {
    const onError = (error: Error) => {
      server.off("listening", onListening);
      reject(error);
    };
    const onListening = () => {
      server.off("error", onError);
      resolveListen();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ port, host, exclusive: true });
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no server address");
  return address.port;
}

async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((r) => server.close(() => r()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 2000);
  await closed;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------

export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const log = options.log ?? ((line: string) => console.log(`[local-host] ${line}`));
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
  const stage = options.stage ?? "local";
  const dataDir = resolve(options.dataDir);
  const handlersRoot = resolve(options.handlersRoot ?? REPO_ROOT);
  const fresh = !existsSync(dataDir) || readdirSync(dataDir).length === 0;
  mkdirSync(dataDir, { recursive: true });
  const files = dataFiles(dataDir);
  const unlock = lockDataDir(dataDir);
  rmSync(files.endpoints, { force: true });

  const cleanups: Array<() => Promise<void> | void> = [unlock];
  const runCleanups = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log(`stop: ${(error as Error).message}`);
      }
    }
  };

  try {
    const emulators = await startEmulators({ dataDir, persist: options.persist, region, log });
    cleanups.push(() => emulators.stop());

    const endpoints = { dynamodb: emulators.dynamodb.endpoint, s3: emulators.s3.endpoint, sqs: emulators.sqs.endpoint };
    const clients = createClients({ ...endpoints, region });
    cleanups.push(() => destroyClients(clients));
    const resources = await ensureResources({ names: resourceNames(`${APP_NAME}-${stage}`), clients });
    applyEnvironment(localEnvironment({ region, endpoints, resources, adminKey: options.adminKey, stage }));

    // Handlers are imported only now, with the environment in place (Resource reads it once).
    const inFlight = new Set<Promise<unknown>>();
    const fnName = (key: keyof typeof FUNCTIONS) => ({
      name: `${APP_NAME}-${stage}-${key}`,
      timeoutSeconds: FUNCTIONS[key].timeoutSeconds,
      memoryMB: FUNCTIONS[key].memoryMB,
    });
    const [graphqlHandler, fileHandler, rowsHandler, fetchHandler] = await Promise.all([
      loadHandler<AnyHandler>(handlersRoot, HANDLERS.graphql),
      loadHandler<AnyHandler>(handlersRoot, HANDLERS.inventoryFile),
      loadHandler<AnyHandler>(handlersRoot, HANDLERS.inventoryRows),
      loadHandler<AnyHandler>(handlersRoot, HANDLERS.inventoryFetch),
    ]);
    const graphql = invoker<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(graphqlHandler, fnName("graphql"), region, inFlight);
    const inventoryFile = invoker<S3Event, void>(fileHandler, fnName("inventoryFile"), region, inFlight);
    const inventoryRows = invoker<SQSEvent, SQSBatchResponse | void>(rowsHandler, fnName("inventoryRows"), region, inFlight);
    const inventoryFetch = invoker<SQSEvent, SQSBatchResponse | void>(fetchHandler, fnName("inventoryFetch"), region, inFlight);

    // --- API Gateway ----------------------------------------------------------------------
    const routes = new Set<string>(ROUTES);
    const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? "/").split("?")[0]!;
      const routeKey = `${(req.method ?? "GET").toUpperCase()} ${path}`;
      if (!routes.has(routeKey)) {
        req.resume();
        writeJson(res, 404, { message: "Not Found" });
        return;
      }
      let body: Buffer;
      try {
        body = await readBody(req);
      } catch (error) {
        if (error instanceof PayloadTooLargeError) {
          writeJson(res, 413, { message: "Request Entity Too Large" });
          return;
        }
        throw error;
      }
      try {
        const result = await graphql(toApiGatewayEvent(req, { routeKey, body }));
        writeApiGatewayResult(res, result);
      } catch (error) {
        // A Lambda error or timeout: API Gateway answers 500 / 503 without details.
        log(`graphql handler failed: ${(error as Error)?.stack ?? error}`);
        if (!res.headersSent) {
          if (error instanceof LambdaTimeoutError) writeJson(res, 503, { message: "Service Unavailable" });
          else writeJson(res, 500, { message: "Internal Server Error" });
        }
      }
    };
    const servers: Server[] = [];
    const makeServer = () => {
      const server = createServer((req, res) => {
        onRequest(req, res).catch((error) => {
          log(`request failed: ${(error as Error)?.stack ?? error}`);
          if (!res.headersSent) writeJson(res, 500, { message: "Internal Server Error" });
        });
      });
      server.requestTimeout = 0;
      servers.push(server);
      return server;
    };
    let port: number;
    const bindHost = options.bindHost;
    try {
      port = await listen(makeServer(), options.port, bindHost ?? "127.0.0.1");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
        throw new Error(`port ${options.port} is already in use; choose another with PORT (0 = any free port)`);
      }
      throw error;
    }
    if (!bindHost) {
      // Also answer on ::1, where "localhost" may resolve first.
      try {
        await listen(makeServer(), port, "::1");
      } catch {
        servers.pop();
      }
    }
    cleanups.push(async () => {
      await Promise.all(servers.map(closeServer));
    });
    const url = `http://localhost:${port}`;

    // --- S3 → inventory-file (asynchronous invocation: two retries on error) -----------------
    const retryDelays = options.s3RetryDelaysMs ?? [1000, 2000];
    let stopping = false;
    const deliver = async (record: S3EventRecord) => {
      for (let attempt = 0; ; attempt++) {
        try {
          await inventoryFile({ Records: [record] });
          return;
        } catch (error) {
          const key = record.s3.object.key;
          if (attempt >= retryDelays.length || stopping) {
            log(`inventory-file failed for ${key} after ${attempt + 1} attempt(s), event dropped: ${(error as Error)?.message ?? error}`);
            return;
          }
          log(`inventory-file failed for ${key} (attempt ${attempt + 1}), retrying: ${(error as Error)?.message ?? error}`);
          await delay(retryDelays[attempt] ?? 0);
        }
      }
    };
    const s3Deliveries = new Set<Promise<void>>();
    const unsubscribe = emulators.s3.onObjectCreated((record) => {
      if (stopping || record.s3.bucket.name !== resources.bucketName || !matchesNotification(record)) return;
      const delivery = deliver(record);
      s3Deliveries.add(delivery);
      void delivery.finally(() => s3Deliveries.delete(delivery));
    });
    cleanups.push(async () => {
      stopping = true;
      unsubscribe();
      await Promise.race([Promise.allSettled([...s3Deliveries]), delay(10_000)]);
    });

    // --- SQS event source mappings ------------------------------------------------------------
    const concurrency = options.pollerConcurrency ?? Number(process.env.LOCAL_POLLER_CONCURRENCY ?? 2);
    // The cloud's event source mappings (QUEUE_CONSUMERS): each queue and its dead-letter queue.
    const invokers = { inventoryRows, inventoryFetch } as Record<string, (event: SQSEvent) => Promise<SQSBatchResponse | void>>;
    const consumer = (name: keyof typeof HANDLERS) => {
      const invoke = invokers[name];
      if (!invoke) throw new Error(`no local invoker for queue consumer ${name}`);
      return invoke;
    };
    const pollers: SqsPoller[] = (Object.keys(QUEUE_CONSUMERS) as Array<keyof typeof QUEUE_CONSUMERS>).flatMap((key) => {
      const queue = resources.queues[key];
      const { handler, deadLetters } = QUEUE_CONSUMERS[key];
      const poll = (url: string, arn: string, name: string, invoke: (event: SQSEvent) => Promise<SQSBatchResponse | void>, pollers: number) =>
        startSqsPoller({ sqs: clients.sqs, queueUrl: url, queueArn: arn, region, batchSize: QUEUES[key].batchSize, handler: invoke, concurrency: pollers, name, log });
      return [poll(queue.url, queue.arn, queue.name, consumer(handler), concurrency), poll(queue.dlqUrl, queue.dlqArn, queue.dlqName, consumer(deadLetters), 1)];
    });
    cleanups.push(async () => {
      await Promise.all(pollers.map((p) => p.stop()));
      // Whatever a handler still runs (an HTTP request, an S3 drop) gets a moment to finish.
      await Promise.race([Promise.allSettled([...inFlight]), delay(10_000)]);
    });

    // --- Demo data ----------------------------------------------------------------------------
    const seedWanted = options.seed === true || (options.seed !== false && fresh);
    let apiKeys = readJson<{ apiKeys: ApiKey[] }>(files.seed)?.apiKeys;
    if (seedWanted && !apiKeys) {
      log("fresh data folder: loading the demo data");
      const t = performance.now();
      const seeded = await runDemoSeed(options.adminKey);
      log(seeded.alreadySeeded ? "demo data already present" : `demo data loaded in ${(performance.now() - t).toFixed(0)} ms`);
      if (!seeded.alreadySeeded) {
        apiKeys = seeded.apiKeys;
        writeFileSync(files.seed, JSON.stringify({ seededAt: new Date().toISOString(), apiKeys }, null, 2));
      }
    }

    const localEndpoints: LocalEndpoints = {
      graphql: `${url}/graphql`,
      health: `${url}/health`,
      s3: { endpoint: emulators.s3.endpoint, region, bucket: resources.bucketName },
      apiKeys: apiKeys ?? [],
      dynamodb: { endpoint: emulators.dynamodb.endpoint, table: resources.tableName },
      sqs: {
        endpoint: emulators.sqs.endpoint,
        queues: Object.fromEntries(
          Object.values(resources.queues).flatMap((q) => [
            [q.name, q.url],
            [q.dlqName, q.dlqUrl],
          ]),
        ),
      },
      pid: process.pid,
      startedAt: new Date().toISOString(),
    };
    writeFileSync(files.endpoints, JSON.stringify(localEndpoints, null, 2) + "\n");
    cleanups.push(() => rmSync(files.endpoints, { force: true }));

    let stopped: Promise<void> | undefined;
    return {
      url,
      port,
      endpoints: localEndpoints,
      resources,
      emulators,
      stop() {
        stopped ??= runCleanups();
        return stopped;
      },
    };
  } catch (error) {
    await runCleanups();
    throw error;
  }
}

/** Settings from the environment, as `npm start` reads them. */
export function hostOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LocalHostOptions {
  const port = env.PORT === undefined || env.PORT === "" ? DEFAULT_PORT : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const seed = env.LOCAL_SEED === undefined || env.LOCAL_SEED === "" ? "auto" : env.LOCAL_SEED !== "0" && env.LOCAL_SEED !== "false";
  return {
    dataDir: resolve(env.DATA_DIR || join(REPO_ROOT, DEFAULT_DATA_DIR)),
    port,
    adminKey: env.LOCAL_API_KEY || DEFAULT_ADMIN_KEY,
    persist: env.LOCAL_PERSIST !== "0",
    ...(env.LOCAL_BIND_HOST ? { bindHost: env.LOCAL_BIND_HOST } : {}),
    ...(env.LOCAL_HANDLERS_ROOT ? { handlersRoot: resolve(env.LOCAL_HANDLERS_ROOT) } : {}),
    seed,
  };
}
