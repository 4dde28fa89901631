/**
 * At-least-once delivery, parallel chunks, dead letters, abort and tenancy of inventory sync, on
 * the emulators through the real handlers (chunks of 3 rows so small files have several chunks).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { startInventoryEnv, type InventoryEnv } from "./support/inventory-env.ts";
import { batchStatus, dropKeyFor, rowsOf, stockOf } from "./support/inventory-helpers.ts";
import { handleRowMessages, handleS3Event } from "../core/inventory/events.ts";
import { DEAD_FETCH_ERROR, handleFetchMessages } from "../core/inventory/fetch-events.ts";
import { DEAD_CHUNK_ERROR } from "../core/inventory/rows.ts";
import { toGlobalId } from "../core/ids.ts";
import type { SQSEvent } from "aws-lambda";
import { setStockManually } from "../core/catalog/stock.ts";

let env: InventoryEnv;
beforeAll(async () => {
  env = await startInventoryEnv({ chunkRows: 3 });
}, 60_000);
afterAll(async () => env?.stop());

const header = "#sku,quantity,action,reason\n";
const csv = (rows: Array<[string, number]>) => header + rows.map(([sku, q]) => `${sku},${q},replace,test`).join("\n") + "\n";

async function dropAndReceive(name: string, body: string, warehouse = 6545, org = 3801): Promise<{ batchId: string; chunks: SQSEvent }> {
  const [outcome] = await env.drop(dropKeyFor(org, warehouse, name), body);
  if (outcome?.result !== "queued") throw new Error(`drop not queued: ${JSON.stringify(outcome)}`);
  // This batch's chunks, once each: a message of an earlier test whose visibility timeout (2 s) ran out
  // before it was acknowledged may be received again here.
  const byChunk = new Map<number, SQSEvent["Records"][number]>();
  for (let i = 0; i < 40 && byChunk.size < outcome.chunks; i++) {
    for (const record of (await env.receiveRows(10)).Records) {
      const body = JSON.parse(record.body) as { batchId: string; chunk: number };
      if (body.batchId === outcome.batchId && !byChunk.has(body.chunk)) byChunk.set(body.chunk, record);
    }
  }
  return { batchId: outcome.batchId, chunks: { Records: [...byChunk.values()] } };
}

const chunkOf = (r: SQSEvent["Records"][number]) => (JSON.parse(r.body) as { chunk: number }).chunk;

describe("exactly once where it counts", () => {
  it("a chunk delivered twice (and re-sent to the queue) leaves the counts exact", async () => {
    const { batchId, chunks } = await dropAndReceive("dup.csv", csv([["45933041", 1], ["46401204", 2], ["NOPE", 3], ["49071335", 4], ["47028683", 5], ["48061840", 6], ["BAD", 7]]));
    expect(chunks.Records).toHaveLength(3);
    const first = { Records: [chunks.Records[0]!] };
    // The same message handled twice (a redelivery after a lost delete) and once more via the queue.
    await handleRowMessages(env.deps, first);
    await handleRowMessages(env.deps, first);
    await env.deps.sqs.send(new SendMessageCommand({ QueueUrl: env.deps.config.rowQueueUrl, MessageBody: chunks.Records[0]!.body }));
    await env.deliverRows({ Records: chunks.Records.slice(1) });
    await handleRowMessages(env.deps, { Records: chunks.Records.slice(1) });
    await env.pump();
    expect(await batchStatus(env, batchId)).toMatchObject({ status: "error", error: "error in 2 out of 7 rows", total_count: 7, success_count: 5, error_count: 2, finished_count: 7 });
    expect((await rowsOf(env, batchId)).map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("a redelivered S3 event continues the same batch instead of starting another", async () => {
    const key = dropKeyFor(3801, 6545, "twice.csv");
    const [first] = await env.drop(key, csv([["45933041", 21], ["46401204", 22], ["49071335", 23], ["47028683", 24]]));
    await env.pump();
    const again = await env.drop(key, csv([["45933041", 21], ["46401204", 22], ["49071335", 23], ["47028683", 24]]));
    // A new PUT is a new object version (new ETag/sequencer), so it is a new batch; the same event replayed is not:
    expect(again[0]!.result).toBe("queued");
    const eventTime = new Date().toISOString();
    const replay = await handleS3Event(env.deps, {
      Records: [{ eventName: "ObjectCreated:Put", eventTime, s3: { bucket: { name: env.deps.config.bucketName }, object: { key, eTag: "fixed", sequencer: "01" } } }],
    } as never);
    const replayAgain = await handleS3Event(env.deps, {
      Records: [{ eventName: "ObjectCreated:Put", eventTime, s3: { bucket: { name: env.deps.config.bucketName }, object: { key, eTag: "fixed", sequencer: "01" } } }],
    } as never);
    await env.pump();
    const id = (replay[0] as { batchId: string }).batchId;
    expect((replayAgain[0] as { batchId: string }).batchId).toBe(id);
    expect(await batchStatus(env, id)).toMatchObject({ status: "success", total_count: 4, success_count: 4, finished_count: 4 });
    expect((await batchStatus(env, (first as { batchId: string }).batchId)).status).toBe("success");
  });

  it("the last row of a SKU wins whatever order the chunks run in; only changes enter the ledger", async () => {
    await setStockManually(env.deps, 3801, { warehouseId: 6545, sku: "45933041", quantity: 100, reason: "count", source: "test", requestId: "before-order" });
    const { batchId, chunks } = await dropAndReceive("order.csv", csv([["45933041", 1], ["46401204", 1], ["49071335", 1], ["45933041", 4], ["46401204", 4], ["49071335", 4], ["45933041", 7], ["46401204", 0], ["49071335", 9]]));
    const reversed = [...chunks.Records].sort((a, b) => chunkOf(b) - chunkOf(a));
    for (const record of reversed) await env.deliverRows({ Records: [record] });
    expect(await batchStatus(env, batchId)).toMatchObject({ status: "success", finished_count: 9 });
    expect(await stockOf(env, 6545, "45933041")).toBe(7);
    expect(await stockOf(env, 6545, "46401204")).toBe(0);
    expect(await stockOf(env, 6545, "49071335")).toBe(9);
    // The ledger shows the change (row 7, from 100); rows 1 and 4, superseded, changed nothing and keep
    // their zero delta on their row only.
    const ledger = await env.gql(env.keys.admin, `{ warehouse(id: "${toGlobalId("Warehouse", 6545)}") { ledger(sku: "45933041", first: 3) { delta on_hand source } } }`);
    const entries = ledger.data!.warehouse.ledger as Array<{ delta: number; on_hand: number; source: string }>;
    expect(entries.filter((e) => e.source.includes(batchId))).toEqual([{ delta: -93, on_hand: 7, source: `inventory_sync:${batchId}:7` }]);
    expect(entries[1]).toMatchObject({ delta: expect.any(Number), on_hand: 100, source: "test" });
    // A manual replace with the stored quantity is no change either.
    await setStockManually(env.deps, 3801, { warehouseId: 6545, sku: "45933041", quantity: 7, reason: "recount", source: "same", requestId: "same-quantity" });
    const again = await env.gql(env.keys.admin, `{ warehouse(id: "${toGlobalId("Warehouse", 6545)}") { ledger(sku: "45933041", first: 1) { source } } }`);
    expect(again.data!.warehouse.ledger).toEqual([{ source: `inventory_sync:${batchId}:7` }]);
  });

  it("a SKU repeated with the same quantity: the last row still wins in every chunk order, and the ledger adds up", async () => {
    // Chunks of 3 rows. A: 5 5 | 5 . 9 | 9 . 3 (runs of equal quantities across chunks); B: 1 | 2 | 2.
    const rows: Array<[string, number]> = [["45933041", 5], ["46401204", 1], ["45933041", 5], ["45933041", 5], ["46401204", 2], ["45933041", 9], ["45933041", 9], ["46401204", 2], ["45933041", 3]];
    const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    for (const [n, order] of orders.entries()) {
      for (const sku of ["45933041", "46401204"]) await setStockManually(env.deps, 3801, { warehouseId: 6545, sku, quantity: 50, reason: "reset", source: "test", requestId: `runs-${n}-${sku}` });
      const { batchId, chunks } = await dropAndReceive(`runs-${n}.csv`, csv(rows));
      const byChunk = [...chunks.Records].sort((a, b) => chunkOf(a) - chunkOf(b));
      for (const i of order) await env.deliverRows({ Records: [byChunk[i]!] });
      expect(await batchStatus(env, batchId)).toMatchObject({ status: "success", finished_count: 9 });
      expect([await stockOf(env, 6545, "45933041"), await stockOf(env, 6545, "46401204")], `chunk order ${order}`).toEqual([3, 2]);
      for (const [sku, final] of [["45933041", 3], ["46401204", 2]] as const) {
        const ledger = await env.gql(env.keys.admin, `{ warehouse(id: "${toGlobalId("Warehouse", 6545)}") { ledger(sku: "${sku}", first: 20) { delta source } } }`);
        const mine = (ledger.data!.warehouse.ledger as Array<{ delta: number; source: string }>).filter((e) => e.source.includes(batchId));
        expect(mine.reduce((sum, e) => sum + e.delta, 0), `ledger of ${sku}, chunk order ${order}`).toBe(final - 50);
      }
    }
  });

  it("dynamic slotting: runs are per bin (no location = Unassigned), and the last row per bin wins in every chunk order", async () => {
    const csvBins = (rows: Array<[number, string]>) => "#sku,quantity,action,reason,location\n" + rows.map(([q, bin]) => `46401204,${q},replace,test,${bin}`).join("\n") + "\n";
    // Chunks of 3. A-01: 5 5 | 5 . 8 ; Unassigned (empty and spelled out): 2 | 2 2 | 7 ; A-02: 1 | 1.
    const rows: Array<[number, string]> = [[5, "A-01"], [5, "A-01"], [2, ""], [5, "A-01"], [2, "Unassigned"], [2, ""], [8, "A-01"], [7, "Unassigned"], [1, "A-02"]];
    for (const [n, order] of [[0, 1, 2], [2, 1, 0], [1, 2, 0]].entries()) {
      const { batchId, chunks } = await dropAndReceive(`bins-${n}.csv`, csvBins(rows), 6546);
      const byChunk = [...chunks.Records].sort((a, b) => chunkOf(a) - chunkOf(b));
      for (const i of order) await env.deliverRows({ Records: [byChunk[i]!] });
      expect(await batchStatus(env, batchId)).toMatchObject({ status: "success", finished_count: 9 });
      const res = await env.gql(env.keys.admin, `{ warehouse(id: "${toGlobalId("Warehouse", 6546)}") { stock(sku: "46401204") { on_hand bins { location on_hand } } } }`);
      const bins = Object.fromEntries((res.data!.warehouse.stock.bins as Array<{ location: string; on_hand: number }>).map((b) => [b.location, b.on_hand]));
      expect(bins, `chunk order ${order}`).toEqual({ "A-01": 8, "A-02": 1, Unassigned: 7 });
      expect(res.data!.warehouse.stock.on_hand).toBe(16);
    }
  });

  it("rows that repeat the quantity a row of the same file already set write no stock when chunks run in order", async () => {
    const skus = ["45933041", "46401204", "49071335"];
    const file = csv([0, 1, 2].flatMap(() => skus.map((sku) => [sku, 61] as [string, number])));
    const { batchId, chunks } = await dropAndReceive("repeat.csv", file);
    env.deps.db.resetStats();
    for (const record of [...chunks.Records].sort((a, b) => chunkOf(a) - chunkOf(b))) await env.deliverRows({ Records: [record] });
    expect(await batchStatus(env, batchId)).toMatchObject({ status: "success", success_count: 9 });
    // One stock write per SKU (the first chunk); the two later chunks find their quantity already set by this file.
    expect(env.deps.db.stats.writeCapacityByOp.BatchExecuteStatement).toBe(3);
    for (const sku of skus) expect(await stockOf(env, 6545, sku)).toBe(61);
  });

  it("rows are paged in row order across chunks, with and without a status filter", async () => {
    const { batchId, chunks } = await dropAndReceive("pages.csv", csv([["45933041", 1], ["NOPE-1", 1], ["46401204", 1], ["49071335", 1], ["NOPE-2", 1], ["47028683", 1], ["48061840", 1], ["NOPE-3", 1]]));
    await env.deliverRows(chunks);
    const page = async (first: number, after: string | null, status?: string) => {
      const res = await env.gql(env.keys.admin, `query($id: String!, $after: String, $status: String) { inventory_sync_items_status(id: $id, status: $status) { data(first: ${first}, after: $after) { pageInfo { hasNextPage endCursor } edges { node { row status } } } } }`, { id: batchId, after, status });
      const data = res.data!.inventory_sync_items_status.data;
      return { rows: data.edges.map((e: { node: { row: number } }) => e.node.row), next: data.pageInfo.hasNextPage ? (data.pageInfo.endCursor as string) : null };
    };
    const all: number[][] = [];
    for (let cursor: string | null = null, n = 0; n === 0 || cursor; n++) {
      const p = await page(2, cursor);
      all.push(p.rows);
      cursor = p.next;
    }
    expect(all).toEqual([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const errors = await page(2, null, "error");
    expect(errors.rows).toEqual([2, 5]);
    expect((await page(2, errors.next, "error")).rows).toEqual([8]);
    expect((await page(10, null, "success")).rows).toEqual([1, 3, 4, 6, 7]);
  });

  it("a dead-lettered chunk whose stock a failed attempt applied reports those rows as applied", async () => {
    const { batchId, chunks } = await dropAndReceive("half.csv", csv([["45933041", 31], ["46401204", 32], ["NOPE", 33]]));
    // The attempt applies the stock, then fails before it can record the chunk (its transaction).
    const transact = env.deps.db.transact;
    env.deps.db.transact = async () => {
      throw new Error("injected failure");
    };
    try {
      await expect(handleRowMessages(env.deps, chunks)).resolves.toMatchObject({ batchItemFailures: [{ itemIdentifier: chunks.Records[0]!.messageId }] });
    } finally {
      env.deps.db.transact = transact;
    }
    expect(await stockOf(env, 6545, "45933041")).toBe(31);
    await handleRowMessages(env.deps, { Records: [{ ...chunks.Records[0]!, eventSourceARN: env.dlqArn }] });
    expect(await batchStatus(env, batchId)).toMatchObject({ status: "error", success_count: 2, error_count: 1, finished_count: 3 });
    expect((await rowsOf(env, batchId)).map((r) => [r.row, r.status, r.error])).toEqual([
      [1, "success", null],
      [2, "success", null],
      [3, "error", DEAD_CHUNK_ERROR],
    ]);
    const ledger = await env.gql(env.keys.admin, `{ warehouse(id: "${toGlobalId("Warehouse", 6545)}") { ledger(sku: "46401204", first: 1) { on_hand source } } }`);
    expect(ledger.data!.warehouse.ledger).toEqual([{ on_hand: 32, source: `inventory_sync:${batchId}:2` }]);
  });

  it("a dead-lettered chunk reports its rows as errors so the batch finishes", async () => {
    const { batchId, chunks } = await dropAndReceive("dead.csv", csv([["45933041", 1], ["46401204", 1], ["49071335", 1], ["47028683", 1]]));
    const [dead, ...alive] = [...chunks.Records].sort((a, b) => chunkOf(a) - chunkOf(b));
    await env.deliverRows({ Records: alive });
    await handleRowMessages(env.deps, { Records: [{ ...dead!, eventSourceARN: env.dlqArn }] });
    const batch = await batchStatus(env, batchId);
    expect(batch).toMatchObject({ status: "error", error: "error in 3 out of 4 rows", success_count: 1, error_count: 3, finished_count: 4 });
    const rows = await rowsOf(env, batchId);
    expect(rows.slice(0, 3).every((r) => r.status === "error" && r.error === DEAD_CHUNK_ERROR)).toBe(true);
    expect(rows[3]).toMatchObject({ status: "success" });
  });
});

describe("a download that dead-letters", () => {
  it("ends its batch in error instead of leaving it pending", async () => {
    const res = await env.gql(env.keys.admin, `mutation { inventory_sync(data: { url: "http://127.0.0.1:9/never.csv", warehouse_id: "${toGlobalId("Warehouse", 6545)}" }) { sync_id } }`);
    const batchId = res.data!.inventory_sync.sync_id as string;
    expect((await batchStatus(env, batchId)).status).toBe("pending");
    // The fetch message, as the fetch queue's DLQ would deliver it after the worker failed every attempt.
    const queueUrl = env.deps.config.fetchQueueUrl;
    const received = await env.deps.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
    const message = received.Messages?.[0];
    expect(JSON.parse(message!.Body!)).toMatchObject({ batchId });
    const dlqName = `${queueUrl.split("/").at(-1)}-dlq`;
    const out = await handleFetchMessages(env.deps, {
      Records: [{ messageId: message!.MessageId!, receiptHandle: message!.ReceiptHandle!, body: message!.Body!, attributes: {} as never, messageAttributes: {}, md5OfBody: "", eventSource: "aws:sqs", eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${dlqName}`, awsRegion: "us-east-1" }],
    });
    expect(out.batchItemFailures).toEqual([]);
    expect(await batchStatus(env, batchId)).toMatchObject({ status: "error", error: DEAD_FETCH_ERROR });
  });
});

describe("abort", () => {
  it("mid-run: applied rows stay applied, the rest are not processed, the reason is kept", async () => {
    await env.gql(env.keys.admin, `mutation { inventory_replace(data: { warehouse_id: "${toGlobalId("Warehouse", 6545)}", sku: "48061840", quantity: 55, reason: "baseline" }) { stock { on_hand } } }`);
    const { batchId, chunks } = await dropAndReceive("abort.csv", csv([["45933041", 31], ["46401204", 32], ["49071335", 33], ["47028683", 34], ["48061840", 35], ["45933041", 36]]));
    const [firstChunk, secondChunk] = [...chunks.Records].sort((a, b) => chunkOf(a) - chunkOf(b));
    await env.deliverRows({ Records: [firstChunk!] });
    const res = await env.gql(env.keys.admin, `mutation { inventory_sync_abort(data: { sync_id: "${batchId}", reason: "Wrong File" }) { sync { status error success_count finished_count abort_reason } } }`);
    expect(res.data!.inventory_sync_abort.sync).toMatchObject({ status: "aborted", error: "aborted: Wrong File", abort_reason: "Wrong File", success_count: 3, finished_count: 3 });
    await env.deliverRows({ Records: [secondChunk!] });
    await env.pump();
    expect(await batchStatus(env, batchId)).toMatchObject({ status: "aborted", finished_count: 3, total_count: 6 });
    expect((await rowsOf(env, batchId)).map((r) => r.row)).toEqual([1, 2, 3]);
    expect(await stockOf(env, 6545, "49071335")).toBe(33);
    expect(await stockOf(env, 6545, "48061840")).toBe(55);
    expect(await stockOf(env, 6545, "45933041")).toBe(31);
  });

  it("aborting a finished batch is a clear error", async () => {
    const res = await env.gql(env.keys.admin, `mutation { inventory_sync_abort(data: { sync_id: "5d9624b054de070001fd3132" }) { sync { status } } }`);
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: "FAILED_PRECONDITION" } });
    expect(res.errors?.[0]?.message).toBe("inventory sync 5d9624b054de070001fd3132 is already finished (status success) and cannot be aborted");
  });
});

describe("tenancy and permissions", () => {
  const statusQuery = (id: string) => `{ inventory_sync_status(id: "${id}") { data { id } } }`;

  it("another organization cannot see or abort a batch: not found, no details", async () => {
    for (const q of [statusQuery("5d9624b054de070001fd3132"), `{ inventory_sync_items_status(id: "5d9624b054de070001fd3132") { data { edges { node { id } } } } }`, `mutation { inventory_sync_abort(data: { sync_id: "5d9624b054de070001fd3132" }) { sync { id } } }`]) {
      const res = await env.gql(env.keys.unrelated, q);
      expect(res.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
      expect(res.errors?.[0]?.message).toBe("inventory sync 5d9624b054de070001fd3132 not found");
    }
    const list = await env.gql(env.keys.unrelated, `{ inventory_sync_statuses { data(first: 50) { edges { node { account_id } } } } }`);
    expect(list.data!.inventory_sync_statuses.data.edges.every((e: any) => e.node.account_id === toGlobalId("Account", 4100))).toBe(true);
  });

  it("a descendant sees its own batches but not its parent's; the parent sees the descendant's", async () => {
    expect((await env.gql(env.keys.descendant, statusQuery("5d9624b054de070001fd3132"))).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect((await env.gql(env.keys.descendant, statusQuery("5d9624b054de070001fd315a"))).data!.inventory_sync_status.data.id).toBe("5d9624b054de070001fd315a");
    expect((await env.gql(env.keys.admin, statusQuery("5d9624b054de070001fd315a"))).data!.inventory_sync_status.data.id).toBe("5d9624b054de070001fd315a");
  });

  it("another organization's warehouse cannot be synced into", async () => {
    const res = await env.gql(env.keys.unrelated, `mutation { inventory_sync(data: { url: "http://127.0.0.1/x.csv", warehouse_id: "${toGlobalId("Warehouse", 6545)}" }) { sync_id } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("a read-only key can read batches but not start or abort one", async () => {
    expect((await env.gql(env.keys.readOnly, statusQuery("5d9624b054de070001fd3132"))).errors).toBeUndefined();
    const res = await env.gql(env.keys.readOnly, `mutation { inventory_sync(data: { url: "http://127.0.0.1/x.csv", warehouse_id: "${toGlobalId("Warehouse", 6545)}" }) { sync_id } }`);
    expect(res.errors?.[0]).toMatchObject({ message: "Missing permission InventorySync:write", extensions: { code: "FORBIDDEN" } });
  });

  it("a presigned upload URL drops into the caller's own prefix only", async () => {
    const res = await env.gql(env.keys.unrelated, `mutation { inventory_sync_upload_url(data: { warehouse_id: "${toGlobalId("Warehouse", 4101)}", file_name: "mine" }) { url key } }`);
    expect(res.errors).toBeUndefined();
    const { url, key } = res.data!.inventory_sync_upload_url;
    expect(key).toBe(dropKeyFor(4100, 4101, "mine.csv"));
    const body = "#sku,quantity,action,reason\nUNREL-1,3,replace,upload\n";
    // Re-pointing the signed URL at another organization's prefix breaks the signature: the
    // signature S3 expects for that path (same credentials, same instant) is a different one.
    // (the local S3 emulator does not verify signatures, so this is checked by recomputing it.)
    const signed = new URL(url);
    const otherKey = dropKeyFor(3801, 6545, "mine.csv");
    const date = signed.searchParams.get("X-Amz-Date")!;
    const signingDate = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
    const sign = (k: string) =>
      getSignedUrl(env.deps.s3, new PutObjectCommand({ Bucket: env.deps.config.bucketName, Key: k, ContentType: "text/csv" }), { expiresIn: 900, signingDate, signableHeaders: new Set(["content-type"]) });
    expect(new URL(await sign(key)).searchParams.get("X-Amz-Signature")).toBe(signed.searchParams.get("X-Amz-Signature"));
    expect(new URL(await sign(otherKey)).searchParams.get("X-Amz-Signature")).not.toBe(signed.searchParams.get("X-Amz-Signature"));
    const put = await fetch(url, { method: "PUT", body, headers: { "content-type": "text/csv" } });
    expect(put.status).toBe(200);
    const head = await env.deps.s3.send(new HeadObjectCommand({ Bucket: env.deps.config.bucketName, Key: key }));
    expect(head.ContentLength).toBe(Buffer.byteLength(body));
    // Asking for another organization's warehouse is not found.
    const other = await env.gql(env.keys.unrelated, `mutation { inventory_sync_upload_url(data: { warehouse_id: "${toGlobalId("Warehouse", 6545)}" }) { url } }`);
    expect(other.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});
