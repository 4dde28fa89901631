/**
 * Inventory sync benchmark (BENCH=inventory npm run bench). First on the real local host (npm start:
 * S3 drop → final status; raw BatchWriteItem into its DynamoDB; INVENTORY_BENCH_LOCAL_HOST=0 skips it),
 * then in-process on emulators (DynamoDB Local, fauxqs for S3 and SQS) with the real handlers, where the
 * Db's request counters are readable:
 *  1. a CSV of INVENTORY_BENCH_ROWS rows (default 100,000) dropped into S3 → final status, with the
 *     file handler and INVENTORY_BENCH_WORKERS row workers (default 4) running concurrently, as
 *     Lambda would; elapsed time and rows/s;
 *  2. the raw rate of BatchWriteItem of the same number of items into the same table with the same
 *     concurrency; the ratio of the two;
 *  3. DynamoDB write requests and write capacity units per row (from the Db's counters);
 *  then the same on a second file, INVENTORY_BENCH_DISTINCT_ROWS rows (default 20,000; 0 skips it), where every
 *     row is a SKU of its own whose quantity changes: the dearest file per row, beside the bench's file where
 *     each SKU recurs (INVENTORY_BENCH_SKUS) with the same quantity;
 *  4. peak memory of the file handler, in a process of its own, on INVENTORY_BENCH_MEMORY_ROWS rows
 *     (default 1,000,000) cycling INVENTORY_BENCH_MEMORY_SKUS SKUs (default 10,000).
 */
import { readFileSync, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, HeadObjectCommand, PutObjectCommand, UploadPartCommand } from "@aws-sdk/client-s3";
import { FUNCTIONS, QUEUES } from "../../stacks/definitions.ts";
import { startInventoryEnv, type InventoryEnv } from "../support/inventory-env.ts";
import { startHost } from "../support/inventory-localhost.ts";
import { Db } from "../../core/db/client.ts";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { toGlobalId } from "../../core/ids.ts";
import { catalogKeys } from "../../core/db/keys.ts";
import { dropKey } from "../../core/inventory/drop.ts";
import { handleS3Event } from "../../core/inventory/events.ts";
import { getBatch } from "../../core/inventory/batches.ts";
import { createProduct, searchProducts } from "../../core/catalog/products.ts";
import type { S3Event } from "aws-lambda";

const ROWS = Number(process.env.INVENTORY_BENCH_ROWS ?? 100_000);
const MEMORY_ROWS = Number(process.env.INVENTORY_BENCH_MEMORY_ROWS ?? 1_000_000);
/** Distinct SKUs cycled in the memory file (the file handler tracks runs per SKU: up to 200,000 of them). */
const MEMORY_SKUS = Number(process.env.INVENTORY_BENCH_MEMORY_SKUS ?? 10_000);
const WORKERS = Number(process.env.INVENTORY_BENCH_WORKERS ?? 4);
/** Messages per row-handler invocation (the row queue's batch size in stacks/definitions.ts is the default). */
const BATCH = Number(process.env.INVENTORY_BENCH_BATCH ?? QUEUES.rowQueue.batchSize);
const SKUS = Math.max(1, Math.min(ROWS, Number(process.env.INVENTORY_BENCH_SKUS ?? 10_000)));
const PRODUCTS = Number(process.env.INVENTORY_BENCH_PRODUCTS ?? 10_000);
const ORG = 3801;
const PART_BYTES = 8 * 1024 * 1024;
const WAREHOUSE = 6545;

const sku = (i: number, prefix = "BENCH") => `${prefix}-${String(i).padStart(7, "0")}`;
/** Rows of the second end-to-end file: every row a SKU of its own whose quantity changes (the dearest file per row). */
const DISTINCT_ROWS = Number(process.env.INVENTORY_BENCH_DISTINCT_ROWS ?? 20_000);

/** Bench fixture: SKUs and their stock levels written in bulk, in the items' domain shape. */
async function seedSkus(db: Db, count: number, prefix = "BENCH", idBase = 1_000_000): Promise<void> {
  const items: Record<string, unknown>[] = [];
  const now = new Date().toISOString();
  for (let i = 0; i < count; i++) {
    const code = sku(i, prefix);
    items.push({ ...catalogKeys.sku(ORG, code), ...catalogKeys.skuById(ORG, idBase + i), type: "Sku", id: idBase + i, orgId: ORG, productId: 9000, variantId: 9100, sku: code, size: null });
    items.push({ ...catalogKeys.stock(ORG, WAREHOUSE, code), type: "StockLevel", orgId: ORG, warehouseId: WAREHOUSE, sku: code, skuId: idBase + i, onHand: 0, updatedAt: now });
  }
  await parallel(chunk(items, 500), 4, (part) => db.batchPut(part));
}

/** The bench's file: SKUS SKUs cycled, each with the same quantity on every row (so 1 row in ROWS/SKUS changes stock). */
async function writeCsv(path: string, rows: number, skus = SKUS, prefix = "BENCH", quantity = (i: number) => (i * 7) % 1000): Promise<number> {
  const out = createWriteStream(path);
  out.write("#sku,quantity,action,reason\n");
  for (let i = 0; i < rows; i++) {
    if (!out.write(`${sku(i % skus, prefix)},${quantity(i)},replace,bench row ${i}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return statSync(path).size;
}

function s3Event(env: InventoryEnv, key: string, eTag: string): S3Event {
  return {
    Records: [
      {
        eventName: "ObjectCreated:Put",
        eventTime: new Date().toISOString(),
        s3: { bucket: { name: env.deps.config.bucketName }, object: { key, eTag, sequencer: Date.now().toString(16) } },
      },
    ],
  } as unknown as S3Event;
}

async function putFile(env: InventoryEnv, key: string, path: string): Promise<string> {
  const Bucket = env.deps.config.bucketName;
  const body = readFileSync(path);
  if (body.length <= PART_BYTES) {
    await env.deps.s3.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: "text/csv" }));
  } else {
    // fauxqs, like S3 for large bodies, wants big files in parts (it answers 413 to a PUT over 11 MiB).
    const { UploadId } = await env.deps.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: key, ContentType: "text/csv" }));
    const Parts: Array<{ ETag: string; PartNumber: number }> = [];
    for (let offset = 0, PartNumber = 1; offset < body.length; offset += PART_BYTES, PartNumber++) {
      const out = await env.deps.s3.send(new UploadPartCommand({ Bucket, Key: key, UploadId, PartNumber, Body: body.subarray(offset, offset + PART_BYTES) }));
      Parts.push({ ETag: out.ETag!, PartNumber });
    }
    await env.deps.s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: key, UploadId, MultipartUpload: { Parts } }));
  }
  const head = await env.deps.s3.send(new HeadObjectCommand({ Bucket: env.deps.config.bucketName, Key: key }));
  return (head.ETag ?? "").replace(/"/g, "");
}

const chunk = <T>(list: T[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
async function parallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Row-sized items for the raw BatchWriteItem baseline. */
const rawItems = (prefix: string) =>
  Array.from({ length: ROWS }, (_, i) => ({
    pk: `T#${ORG}#${prefix}#${i % 1000}`,
    sk: `R#${String(i).padStart(10, "0")}`,
    sku: sku(i % SKUS),
    quantity: (i * 7) % 1000,
    action: "replace",
    reason: `bench row ${i}`,
    status: "success",
    error: null,
    createdAt: new Date().toISOString(),
  }));

/**
 * The figure of the issue: a CSV dropped into the local host's S3 (npm start, its own S3
 * notifications and SQS pollers with LOCAL_POLLER_CONCURRENCY = WORKERS) until the batch is
 * final, and raw BatchWriteItem into the host's own DynamoDB with the same concurrency.
 */
async function onLocalHost(csvPath: string): Promise<void> {
  process.env.LOCAL_POLLER_CONCURRENCY ??= String(WORKERS);
  const host = await startHost("inventory-bench-admin");
  try {
    const endpoints = host.endpoints as typeof host.endpoints & { dynamodb: { endpoint: string; table: string } };
    const db = new Db(endpoints.dynamodb.table, new DynamoDBClient({ region: "us-east-1", endpoint: endpoints.dynamodb.endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } }));
    await seedSkus(db, SKUS);
    const s3 = new S3Client({ endpoint: endpoints.s3.endpoint, region: endpoints.s3.region, forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
    const key = dropKey(ORG, WAREHOUSE, "bench-host.csv");
    const started = performance.now();
    await s3.send(new PutObjectCommand({ Bucket: endpoints.s3.bucket, Key: key, Body: readFileSync(csvPath), ContentType: "text/csv" }));
    let batch: { id: string; status: string; error: string | null; total_count: number; finished_count: number } | undefined;
    for (;;) {
      const list = await host.gql("inventory-bench-admin", `{ inventory_sync_statuses(warehouse_id: "${toGlobalId("Warehouse", WAREHOUSE)}") { data(first: 3) { edges { node { id url status error total_count finished_count } } } } }`);
      batch = list.data?.inventory_sync_statuses?.data?.edges?.map((e: { node: NonNullable<typeof batch> & { url: string } }) => e.node).find((n: { url: string }) => n.url.endsWith(key));
      if (batch && ["success", "error", "aborted"].includes(batch.status)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (performance.now() - started) / 1000;
    const rate = ROWS / seconds;
    console.log(`local host, S3 drop → ${batch.status}${batch.error ? ` "${batch.error}"` : ""}: ${batch.finished_count}/${batch.total_count} rows in ${seconds.toFixed(1)} s = ${rate.toFixed(0)} rows/s (pollers per queue: ${process.env.LOCAL_POLLER_CONCURRENCY})`);
    const raw = rawItems("RAWHOST");
    const rawStarted = performance.now();
    await parallel(chunk(raw, 500), WORKERS, (part) => db.batchPut(part));
    const rawRate = ROWS / ((performance.now() - rawStarted) / 1000);
    console.log(`local host, raw BatchWriteItem of ${ROWS} items into its DynamoDB: ${rawRate.toFixed(0)} items/s; ratio = ${(rate / rawRate).toFixed(2)} (target ≥ 0.35)`);
    s3.destroy();
  } finally {
    await host.stop();
  }
}

/** CPU time (µs) a process has used so far, from /proc (Linux); 0 elsewhere. */
function cpuOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
  } catch {
    return 0;
  }
}

/** A file dropped into S3 → final status, with the file handler and WORKERS row workers running concurrently; rows/s. */
async function endToEnd(env: InventoryEnv, javaPid: number | undefined, path: string, bytes: number, rows: number, fileName: string, label = fileName): Promise<number> {
  const key = dropKey(ORG, WAREHOUSE, fileName);
  const eTag = await putFile(env, key, path);
  env.deps.db.resetStats();
  const busy: Record<string, number> = {};
  if (process.env.INVENTORY_BENCH_PROFILE) {
    const doc = env.deps.db.doc as unknown as { send: (c: { constructor: { name: string } }) => Promise<unknown> };
    const send = doc.send.bind(doc);
    doc.send = async (c) => {
      const t = performance.now();
      const name = c.constructor.name;
      try {
        return await send(c);
      } finally {
        busy[name] = (busy[name] ?? 0) + performance.now() - t;
      }
    };
  }
  const javaCpu = cpuOf(javaPid);
  const ownCpu = process.cpuUsage();
  const started = performance.now();
  let fileDone = false;
  let batchId = "";
  const file = handleS3Event(env.deps, s3Event(env, key, eTag)).then((o) => {
    batchId = (o[0] as { batchId: string }).batchId;
    fileDone = true;
  });
  let final = false;
  const worker = async () => {
    while (!final) {
      const event = await env.receiveRows(BATCH);
      if (event.Records.length) await env.deliverRows(event);
      else if (fileDone) {
        const batch = batchId ? await getBatch(env.deps, ORG, batchId) : undefined;
        if (batch && ["success", "error", "aborted"].includes(batch.status)) final = true;
        else await new Promise((r) => setTimeout(r, 20));
      } else await new Promise((r) => setTimeout(r, 10));
    }
  };
  await Promise.all([file, ...Array.from({ length: WORKERS }, worker)]);
  const seconds = (performance.now() - started) / 1000;
  const batch = (await getBatch(env.deps, ORG, batchId))!;
  const stats = structuredClone(env.deps.db.stats);
  const writeRequests = WRITE_OPS.reduce((s, op) => s + (stats.requests[op] ?? 0), 0);
  const e2eRate = rows / seconds;
  const ownUs = process.cpuUsage(ownCpu);
  const cpuLine = `CPU per row: DynamoDB Local (Java) ${((cpuOf(javaPid) - javaCpu) / rows).toFixed(0)} µs, this process (handlers, SQS and S3 emulator) ${((ownUs.user + ownUs.system) / rows).toFixed(0)} µs`;
  console.log(`end to end, ${label}: ${rows} rows (${(bytes / 1048576).toFixed(1)} MB) → ${batch.status}${batch.error ? ` "${batch.error}"` : ""} (success ${batch.successCount}, errors ${batch.errorCount}) in ${seconds.toFixed(1)} s = ${e2eRate.toFixed(0)} rows/s`);
  console.log(`DynamoDB write requests: ${writeRequests} = ${(writeRequests / rows).toFixed(3)} per row; write capacity ${stats.writeCapacity.toFixed(0)} WCU = ${(stats.writeCapacity / rows).toFixed(3)} per row`);
  console.log(`  ${cpuLine}`);
  console.log(`  by operation: ${JSON.stringify(stats.requests)}; write capacity units per row by operation: ${JSON.stringify(Object.fromEntries(Object.entries(stats.writeCapacityByOp).map(([op, wcu]) => [op, Number((wcu / rows).toFixed(3))])))}`);
  if (process.env.INVENTORY_BENCH_PROFILE) console.log(`  time in DynamoDB calls (ms, summed over concurrent calls): ${JSON.stringify(Object.fromEntries(Object.entries(busy).map(([k, v]) => [k, Math.round(v)])))}`);
  return e2eRate;
}

const WRITE_OPS = ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems", "BatchExecuteStatement"];

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "inv-bench-"));
  if (process.env.INVENTORY_BENCH_LOCAL_HOST !== "0") {
    const path = join(dir, "host.csv");
    await writeCsv(path, ROWS);
    await onLocalHost(path);
  }
  const { startEmulators } = await import("../../stacks/local/emulators.ts");
  const emulators = await startEmulators({ persist: false, region: "us-east-1" });
  const endpoints = { dynamodb: emulators.dynamodb.endpoint, s3: emulators.s3.endpoint, sqs: emulators.sqs.endpoint, region: emulators.region };
  const env = await startInventoryEnv({ visibilityTimeout: 60, endpoints });
  try {
    console.log(`rows=${ROWS} distinct SKUs=${SKUS} row workers=${WORKERS} memory rows=${MEMORY_ROWS}`);
    await seedSkus(env.deps.db, SKUS);

    // 1. end to end: file handler + row workers concurrently, until the batch is final.
    const path = join(dir, "bench.csv");
    const e2eRate = await endToEnd(env, emulators.dynamodb.pid, path, await writeCsv(path, ROWS), ROWS, "bench.csv");

    // 2. raw BatchWriteItem of the same number of items (row-item sized), same concurrency.
    const raw = rawItems("RAWBENCH");
    const rawJava = cpuOf(emulators.dynamodb.pid);
    const rawStarted = performance.now();
    await parallel(chunk(raw, 25 * 20), WORKERS, (part) => env.deps.db.batchPut(part));
    const rawSeconds = (performance.now() - rawStarted) / 1000;
    const rawRate = ROWS / rawSeconds;
    console.log(`raw BatchWriteItem: ${ROWS} items in ${rawSeconds.toFixed(1)} s = ${rawRate.toFixed(0)} items/s; DynamoDB Local CPU ${((cpuOf(emulators.dynamodb.pid) - rawJava) / ROWS).toFixed(0)} µs per item`);
    console.log(`ratio end-to-end / raw = ${(e2eRate / rawRate).toFixed(2)} (target ≥ 0.35)`);

    // 3. the dearest file per row: every row a distinct SKU whose quantity changes (no run to skip).
    if (DISTINCT_ROWS > 0) {
      await seedSkus(env.deps.db, DISTINCT_ROWS, "DIST", 2_000_000);
      const distinctPath = join(dir, "distinct.csv");
      const bytes = await writeCsv(distinctPath, DISTINCT_ROWS, DISTINCT_ROWS, "DIST", (i) => 1 + (i % 999));
      const rate = await endToEnd(env, emulators.dynamodb.pid, distinctPath, bytes, DISTINCT_ROWS, "distinct.csv", "distinct.csv (every row a SKU of its own that changes)");
      console.log(`ratio of that file / the raw rate above = ${(rate / rawRate).toFixed(2)}`);
    }

    // 5. product name search over PRODUCTS products of one organization (no Scan: the name index).
    if (PRODUCTS > 0) {
      const SEARCH_ORG = 4100;
      const words = ["Ball", "Shirt", "Shoe", "Sock", "Cap", "Bag", "Glove", "Net"];
      const loadStarted = performance.now();
      await parallel(Array.from({ length: PRODUCTS }, (_, i) => i), 8, async (i) => {
        await createProduct(env.deps, SEARCH_ORG, { name: `${words[i % words.length]} model ${i}` });
      });
      console.log(`search: created ${PRODUCTS} products in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);
      const times: number[] = [];
      let requests = 0;
      let found = 0;
      for (let q = 0; q < 40; q++) {
        env.deps.db.resetStats();
        const t = performance.now();
        const hits = await searchProducts(env.deps, SEARCH_ORG, { nameContains: q % 2 ? "model 12" : words[q % words.length]!.toLowerCase(), limit: 50 });
        times.push(performance.now() - t);
        requests += Object.values(env.deps.db.stats.requests).reduce((a, b) => a + b, 0);
        found += hits.length;
      }
      times.sort((a, b) => a - b);
      console.log(`search: products(name contains) over ${PRODUCTS} products: p50 ${times[20]!.toFixed(1)} ms, p95 ${times[38]!.toFixed(1)} ms, ${(requests / 40).toFixed(1)} DynamoDB requests per search, ${(found / 40).toFixed(0)} hits per search (limit 50)`);
    }

    // 4. file handler peak memory on a large file, in its own process.
    await env.purgeRows();
    const bigPath = join(dir, "big.csv");
    const bigBytes = await writeCsv(bigPath, MEMORY_ROWS, MEMORY_SKUS);
    const bigKey = dropKey(ORG, WAREHOUSE, "big.csv");
    const bigTag = await putFile(env, bigKey, bigPath);
    // V8 flags of the child: a Lambda's heap is sized from its memory; on a large machine V8 lets
    // garbage pile up, so the child gets the heap limit of a 512 MB function unless overridden.
    const v8Flags = (process.env.INVENTORY_BENCH_CHILD_FLAGS ?? FUNCTIONS.inventoryFile.v8Flags).split(" ").filter(Boolean);
    console.log(`file handler child V8 flags: ${v8Flags.join(" ") || "(none)"}`);
    const child = spawn(process.execPath, [...v8Flags, "--import", "tsx", fileURLToPath(new URL("../support/inventory-bench-child.ts", import.meta.url))], {
      env: {
        ...process.env,
        BENCH_CHILD: JSON.stringify({
          config: env.deps.config,
          endpoints: env.endpoints,
          event: { bucket: env.deps.config.bucketName, key: bigKey, eTag: bigTag, sequencer: "01", eventTime: new Date().toISOString() },
        }),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    await once(child, "exit");
    const line = out.trim().split("\n").filter((l) => l.startsWith("{\"outcome\"")).at(-1);
    const figures = line ? JSON.parse(line) : { error: out.slice(-500) };
    console.log(`file handler on ${MEMORY_ROWS} rows (${(bigBytes / 1048576).toFixed(0)} MB, ${MEMORY_SKUS} distinct SKUs): ${JSON.stringify(figures)} (target peak < 256 MB)`);
    await env.purgeRows();
  } finally {
    await env.stop();
    await emulators.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
