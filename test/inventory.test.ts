/**
 * Inventory sync end to end on the emulators: the seed-001 examples verbatim against the demo
 * dataset, URL and S3 drops through the real handlers, row and batch outcomes, file problems.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInventoryEnv, type InventoryEnv } from "./support/inventory-env.ts";
import { DEMO_INVENTORY } from "../core/demo/inventory.ts";
import { toGlobalId } from "../core/ids.ts";
import { batchStatus, dropKeyFor, rowsOf, stockOf } from "./support/inventory-helpers.ts";
import { EXAMPLES_DIR } from "./support/seed-examples.ts";
import { createDeps } from "../core/deps.ts";
import { fetchIntoBucket } from "../core/inventory/download.ts";

const example = (name: string) => readFileSync(`${EXAMPLES_DIR}${name}`, "utf8");

let env: InventoryEnv;
let files: Server;
let filesUrl = "";
const served = new Map<string, { status: number; body: string; location?: string }>();
const requested: string[] = [];

beforeAll(async () => {
  env = await startInventoryEnv({ chunkRows: 3 });
  files = createServer((req, res) => {
    requested.push(req.url ?? "");
    const file = served.get(req.url ?? "");
    res.writeHead(file?.status ?? 404, { "content-type": "text/csv", ...(file?.location ? { location: file.location } : {}) });
    res.end(file?.body ?? "not here");
  });
  await new Promise<void>((r) => files.listen(0, "127.0.0.1", () => r()));
  filesUrl = `http://127.0.0.1:${(files.address() as { port: number }).port}`;
}, 60_000);

afterAll(async () => {
  files?.close();
  await env?.stop();
});

/** The shape of a JSON value: same keys recursively, types of leaves. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return typeof value;
}

describe("seed 001 examples, verbatim", () => {
  it("02 inventory_sync with the example's corrupt warehouse_id is a clear not-found error (I-18)", async () => {
    const res = await env.gql(env.keys.admin, example("02-001-inventory_sync.graphql"));
    expect(res.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(res.errors?.[0]?.message).toContain('warehouse_id "V2FyZdfhens73hsA=" not found');
  });

  it("03 inventory_sync_statuses answers in the documented shape, newest first, with descendants' batches", async () => {
    const res = await env.gql(env.keys.admin, example("03-001-inventory_sync_statuses.graphql"));
    expect(res.errors).toBeUndefined();
    const documented = JSON.parse(example("03-001-inventory_sync_statuses.response.json"));
    const node = documented.data.inventory_sync_statuses.data.edges[0].node;
    const got = res.data!.inventory_sync_statuses;
    expect(got.request_id).toMatch(/^[0-9a-f]{24}$/);
    expect(typeof got.complexity).toBe("number");
    expect(got.data.edges).toHaveLength(3);
    for (const edge of got.data.edges) {
      // I-10: customer_account_id is selected, so it is present (null).
      expect(Object.keys(edge.node).sort()).toEqual([...Object.keys(node), "customer_account_id"].sort());
      expect(edge.node.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    }
    const created = got.data.edges.map((e: { node: { created_at: string } }) => e.node.created_at);
    expect([...created].sort().reverse()).toEqual(created);
  });

  it("04 inventory_sync_status returns the requested batch (I-14) in the documented shape", async () => {
    const res = await env.gql(env.keys.admin, example("04-001-inventory_sync_status.graphql"));
    const documented = JSON.parse(example("04-001-inventory_sync_status.response.json"));
    expect(res.errors).toBeUndefined();
    expect(Object.keys(res.data!.inventory_sync_status)).toEqual(Object.keys(documented.data.inventory_sync_status));
    const data = res.data!.inventory_sync_status.data;
    expect(data.id).toBe("5d9624b054de070001fd3132");
    expect(data).toMatchObject({ account_id: "QWNjb3VudDozODAx", warehouse_id: "V2FyZWhvdXNlOjY1NDU=", user_id: "VXNlcjo5MTIz", status: "success", error: null, total_count: 5, customer_account_id: null });
    expect(Object.keys(data)).toEqual(Object.keys(documented.data.inventory_sync_status.data));
    expect(res.data!.inventory_sync_status.request_id).not.toBe(data.id);
  });

  it("05 inventory_sync_items_status lists the batch's rows in row order with unique ids (I-12, I-15)", async () => {
    const res = await env.gql(env.keys.admin, example("05-001-inventory_sync_items_status.graphql"));
    const documented = JSON.parse(example("05-001-inventory_sync_items_status.response.json"));
    expect(res.errors).toBeUndefined();
    const edges = res.data!.inventory_sync_items_status.data.edges;
    const docEdges = documented.data.inventory_sync_items_status.data.edges;
    expect(edges.map((e: any) => ({ ...e.node, id: undefined, created_at: undefined, updated_at: undefined }))).toEqual(
      docEdges.map((e: any) => ({ ...e.node, id: undefined, created_at: undefined, updated_at: undefined })),
    );
    expect(Object.keys(edges[0].node)).toEqual(Object.keys(docEdges[0].node));
    expect(new Set(edges.map((e: any) => e.node.id)).size).toBe(5);
    expect("complexity" in res.data!.inventory_sync_items_status).toBe(false); // I-11
  });

  it("06 inventory_sync_abort aborts the pending demo batch, then refuses a second abort", async () => {
    const res = await env.gql(env.keys.admin, example("06-001-inventory_sync_abort.graphql"));
    expect(res.errors).toBeUndefined();
    expect(res.data!.inventory_sync_abort.sync).toMatchObject({ id: "5e4dac71b50fb5475c7b00d4", status: "aborted", error: "aborted: Wrong File", success_count: 0, error_count: 0, finished_count: 0 });
    const again = await env.gql(env.keys.admin, example("06-001-inventory_sync_abort.graphql"));
    expect(again.errors?.[0]?.extensions?.code).toBe("FAILED_PRECONDITION");
    expect(again.errors?.[0]?.message).toContain("already finished (status aborted)");
  });
});

describe("a file by URL (served from loopback)", () => {
  it("reaches success, sets every row and the stock", async () => {
    served.set("/good.csv", { status: 200, body: "#sku,quantity,action,reason\r\n45933041,7,replace,cycle count\r\n46401204,0,Replace,damaged\r\n49071335,12,change,recount\r\n47028683,3,replace,x\r\n" });
    const res = await env.gql(env.keys.admin, `mutation { inventory_sync(data: { url: "${filesUrl}/good.csv", warehouse_id: "${toGlobalId("Warehouse", 6545)}" }) { request_id complexity sync_id } }`);
    expect(res.errors).toBeUndefined();
    const id = res.data!.inventory_sync.sync_id;
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect((await batchStatus(env, id)).status).toBe("pending");
    await env.pump();
    const batch = await batchStatus(env, id);
    expect(batch).toMatchObject({ status: "success", error: null, total_count: 4, success_count: 4, error_count: 0, finished_count: 4, url: `${filesUrl}/good.csv`, user_id: expect.any(String) });
    const rows = await rowsOf(env, id);
    expect(rows.map((r) => [r.row, r.sku, r.quantity, r.status])).toEqual([
      [1, "45933041", 7, "success"],
      [2, "46401204", 0, "success"],
      [3, "49071335", 12, "success"],
      [4, "47028683", 3, "success"],
    ]);
    expect(await stockOf(env, 6545, "45933041")).toBe(7);
    expect(await stockOf(env, 6545, "46401204")).toBe(0);
    expect(await stockOf(env, 6545, "49071335")).toBe(12);
  });

  it("a download failure ends the batch in error with the reason", async () => {
    const res = await env.gql(env.keys.admin, `mutation { inventory_sync(data: { url: "${filesUrl}/missing.csv", warehouse_id: "${toGlobalId("Warehouse", 6545)}" }) { sync_id } }`);
    await env.pump();
    expect(await batchStatus(env, res.data!.inventory_sync.sync_id)).toMatchObject({ status: "error", error: "download failed: HTTP 404 Not Found" });
  });

  it("follows up to 3 redirects, each hop checked; more, or a redirect away from http(s), ends the batch in error", async () => {
    served.set("/target.csv", { status: 200, body: "#sku,quantity,action,reason\n45933041,3,replace,moved\n" });
    served.set("/hop1.csv", { status: 302, body: "", location: "/hop2.csv" });
    served.set("/hop2.csv", { status: 301, body: "", location: `${filesUrl}/target.csv` });
    served.set("/loop.csv", { status: 302, body: "", location: "/loop.csv" });
    served.set("/ftp.csv", { status: 302, body: "", location: "ftp://example.com/a.csv" });
    const sync = async (path: string) => {
      const res = await env.gql(env.keys.admin, `mutation { inventory_sync(data: { url: "${filesUrl}${path}", warehouse_id: "${toGlobalId("Warehouse", 6545)}" }) { sync_id } }`);
      return res.data!.inventory_sync.sync_id as string;
    };
    const [ok, loop, ftp] = [await sync("/hop1.csv"), await sync("/loop.csv"), await sync("/ftp.csv")];
    await env.pump();
    expect(await batchStatus(env, ok)).toMatchObject({ status: "success", total_count: 1 });
    expect(await stockOf(env, 6545, "45933041")).toBe(3);
    expect(await batchStatus(env, loop)).toMatchObject({ status: "error", error: "download failed: more than 3 redirects" });
    expect(await batchStatus(env, ftp)).toMatchObject({ status: "error", error: "download failed: redirected to a URL that is not http or https" });
  });

  it("in the cloud, a URL whose host is or resolves to a loopback address is refused without connecting", async () => {
    const cloud = createDeps({ ...env.deps.config, local: false });
    served.set("/cloud.csv", { status: 200, body: "#sku,quantity,action,reason\n45933041,1,replace,r\n" });
    const port = new URL(filesUrl).port;
    for (const [url, host] of [[`http://localhost:${port}/cloud.csv`, "localhost"], [`http://127.0.0.1:${port}/cloud.csv`, "127.0.0.1"]] as const) {
      const res = await env.gql(env.keys.admin, `mutation { inventory_sync(data: { url: "${url}", warehouse_id: "${toGlobalId("Warehouse", 6545)}" }) { sync_id } }`);
      const id = res.data!.inventory_sync.sync_id as string;
      const before = requested.length;
      expect(await fetchIntoBucket(cloud, { v: 1, orgId: 3801, batchId: id })).toBe("failed");
      expect(requested.length).toBe(before);
      expect(await batchStatus(env, id)).toMatchObject({ status: "error", error: `download refused: ${host} resolves to a private, loopback or link-local address` });
    }
    await env.pump();
  });

  it("rejects URLs that are not plain http(s) before recording anything", async () => {
    for (const url of ["ftp://example.com/a.csv", "https://user:pw@example.com/a.csv", "not a url"]) {
      const res = await env.gql(env.keys.admin, `mutation { inventory_sync(data: { url: "${url}", warehouse_id: "${toGlobalId("Warehouse", 6545)}" }) { sync_id } }`);
      expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
  });
});

describe("a file dropped into the bucket", () => {
  it("mixed good and bad rows end in error with the exact message, counts and row errors", async () => {
    const csv = [
      "sku,QUANTITY,Action,reason,extra",
      "45933041,5,replace,ok,ignored",
      "NOPE-1,5,replace,unknown sku",
      "46401204,-3,replace,negative",
      "49071335,2,add,bad action",
      "47028683,1.5,replace,fraction",
      "48061840,9,replace,ok",
    ].join("\n");
    const key = dropKeyFor(3801, 6545, "mixed.csv");
    await env.drop(key, csv);
    await env.pump();
    const [batch] = await latestBatches(1);
    expect(batch).toMatchObject({ status: "error", error: "error in 4 out of 6 rows", total_count: 6, success_count: 2, error_count: 4, finished_count: 6, user_id: null });
    expect(batch.url).toBe(`s3://${env.deps.config.bucketName}/${key}`);
    const rows = await rowsOf(env, batch.id);
    expect(rows.map((r) => [r.row, r.status, r.error])).toEqual([
      [1, "success", null],
      [2, "error", 'SKU NOPE-1 does not exist or is not available in warehouse "Stockholm DC"'],
      [3, "error", 'quantity "-3" is not a non-negative integer'],
      [4, "error", 'action "add" is not supported: only replace is supported for action'],
      [5, "error", 'quantity "1.5" is not a non-negative integer'],
      [6, "success", null],
    ]);
    expect(await stockOf(env, 6545, "48061840")).toBe(9);
  });

  it("BOM, CRLF, quoted commas and newlines are read as one field each", async () => {
    const csv = '\ufeff#SKU,quantity,action,reason\r\n45933041,11,replace,"counted, twice"\r\n46401204,4,replace,"line one\r\nline two"\r\n';
    await env.drop(dropKeyFor(3801, 6545, "quoted.csv"), csv);
    await env.pump();
    const [batch] = await latestBatches(1);
    expect(batch).toMatchObject({ status: "success", total_count: 2 });
    const rows = await rowsOf(env, batch.id);
    expect(rows.map((r) => r.reason)).toEqual(["counted, twice", "line one\r\nline two"]);
    expect(await stockOf(env, 6545, "46401204")).toBe(4);
  });

  it("ragged rows are row errors; the rest of the file is applied", async () => {
    await env.drop(dropKeyFor(3801, 6545, "ragged.csv"), "#sku,quantity,action,reason\n45933041,1\n46401204,6,replace,ok\n");
    await env.pump();
    const [batch] = await latestBatches(1);
    expect(batch).toMatchObject({ status: "error", error: "error in 1 out of 2 rows" });
    expect((await rowsOf(env, batch.id))[0]).toMatchObject({ row: 1, status: "error", error: "row has 2 fields, the header has 4" });
  });

  it.each([
    ["bad header", "sku,qty,action\n45933041,1,replace\n", "invalid header: missing columns quantity, reason (expected #sku,quantity,action,reason[,location]"],
    ["empty file", "", "the file is empty (no header row)"],
    ["header only", "#sku,quantity,action,reason\n", "the file has a header but no data rows"],
    ["binary file", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0xfe, 0x00]), "the file is not a text CSV"],
  ])("%s ends the batch in error saying what is wrong", async (_name, body, message) => {
    await env.drop(dropKeyFor(3801, 6545, `problem-${Date.now()}.csv`), body as string | Buffer);
    await env.pump();
    const [batch] = await latestBatches(1);
    expect(batch.status).toBe("error");
    expect(batch.error).toContain(message);
  });

  it("dynamic slotting: location sets a bin, a missing location means the unassigned bin", async () => {
    await env.drop(dropKeyFor(3801, 6546, "bins.csv"), "#sku,quantity,action,reason,location\n45933041,4,replace,r,A-01\n45933041,6,replace,r,\n45933041,1,replace,r,Z-99\n");
    await env.pump();
    const [batch] = await latestBatches(1);
    expect(batch).toMatchObject({ status: "error", error: "error in 1 out of 3 rows" });
    const res = await env.gql(env.keys.admin, `{ warehouse(id: "${toGlobalId("Warehouse", 6546)}") { stock(sku: "45933041") { on_hand bins { location on_hand } } } }`);
    expect(res.data!.warehouse.stock.on_hand).toBe(10);
    expect(res.data!.warehouse.stock.bins).toEqual(expect.arrayContaining([{ location: "A-01", on_hand: 4 }, { location: "Unassigned", on_hand: 6 }]));
  });

  it("a location in a static warehouse is a row error", async () => {
    await env.drop(dropKeyFor(3801, 6545, "static-loc.csv"), "#sku,quantity,action,reason,location\n45933041,4,replace,r,A-01\n");
    await env.pump();
    const [batch] = await latestBatches(1);
    expect((await rowsOf(env, batch.id))[0]!.error).toContain("location is only allowed for dynamic slotting");
  });

  it("a drop under an unknown organization or warehouse is moved aside, never processed", async () => {
    const before = (await latestBatches(1))[0]!.id;
    await env.drop(dropKeyFor(3801, 999999, "nowhere.csv"), "#sku,quantity,action,reason\n45933041,1,replace,r\n");
    await env.drop("inventory/garbage/key.csv", "#sku,quantity,action,reason\n45933041,1,replace,r\n");
    await env.pump();
    expect((await latestBatches(1))[0]!.id).toBe(before);
  });
});

async function latestBatches(first: number) {
  const res = await env.gql(env.keys.admin, `{ inventory_sync_statuses { data(first: ${first}) { edges { node { id url user_id status error total_count success_count error_count finished_count } } } } }`);
  return res.data!.inventory_sync_statuses.data.edges.map((e: any) => e.node) as any[];
}

void DEMO_INVENTORY;
