/**
 * End to end on the real local host (npm start): a file by URL served from loopback and a file
 * dropped into the host's S3 both reach their final status through the host's S3 notifications
 * and SQS pollers; tenancy holds over HTTP.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES_DIR } from "./support/seed-examples.ts";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startHost, type RunningHost } from "./support/inventory-localhost.ts";
import { toGlobalId } from "../core/ids.ts";
import { dropKey } from "../core/inventory/drop.ts";

const ADMIN = "inventory-e2e-admin";
let host: RunningHost;
let files: Server;
let filesUrl = "";

beforeAll(async () => {
  host = await startHost(ADMIN);
  files = createServer((req, res) => {
    if (req.url === "/stock.csv") {
      res.writeHead(200, { "content-type": "text/csv" });
      res.end("#sku,quantity,action,reason\n45933041,41,replace,e2e\n46401204,42,replace,e2e\n");
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => files.listen(0, "127.0.0.1", () => r()));
  filesUrl = `http://127.0.0.1:${(files.address() as { port: number }).port}`;
}, 150_000);

afterAll(async () => {
  files?.close();
  await host?.stop();
}, 60_000);

async function waitFinal(id: string, key = ADMIN): Promise<any> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await host.gql(key, `{ inventory_sync_status(id: "${id}") { data { id status error total_count success_count error_count finished_count } } }`);
    const data = res.data?.inventory_sync_status?.data;
    if (data && ["success", "error", "aborted"].includes(data.status)) return data;
    if (Date.now() > deadline) throw new Error(`batch ${id} not final: ${JSON.stringify(res)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const stock = async (sku: string) =>
  (await host.gql(ADMIN, `{ warehouse(id: "${toGlobalId("Warehouse", 6545)}") { stock(sku: "${sku}") { on_hand } } }`)).data.warehouse.stock.on_hand;

describe("inventory sync on the local host", () => {
  it("replays the seed-001 examples verbatim with the default admin key's permissions", async () => {
    const run = async (name: string) => host.gql(ADMIN, readFileSync(`${EXAMPLES_DIR}${name}`, "utf8"));
    expect((await run("02-001-inventory_sync.graphql")).errors[0].extensions.code).toBe("NOT_FOUND");
    expect((await run("03-001-inventory_sync_statuses.graphql")).data.inventory_sync_statuses.data.edges).toHaveLength(3);
    expect((await run("04-001-inventory_sync_status.graphql")).data.inventory_sync_status.data.id).toBe("5d9624b054de070001fd3132");
    expect((await run("05-001-inventory_sync_items_status.graphql")).data.inventory_sync_items_status.data.edges).toHaveLength(5);
    const abort = await run("06-001-inventory_sync_abort.graphql");
    expect(abort.data.inventory_sync_abort.sync.status).toBe("aborted");
    expect(abort.extensions.permissionsUsed).toEqual(["InventorySync:write"]);
  });

  it("a file by URL from loopback reaches success and changes the stock", async () => {
    const res = await host.gql(ADMIN, `mutation { inventory_sync(data: { url: "${filesUrl}/stock.csv", warehouse_id: "${toGlobalId("Warehouse", 6545)}" }) { request_id complexity sync_id } }`);
    expect(res.errors).toBeUndefined();
    const batch = await waitFinal(res.data.inventory_sync.sync_id);
    expect(batch).toMatchObject({ status: "success", error: null, total_count: 2, success_count: 2, finished_count: 2 });
    expect(await stock("45933041")).toBe(41);
    expect(await stock("46401204")).toBe(42);
  });

  it("a file dropped into the host's S3 starts a batch by itself; mixed rows end in error with counts", async () => {
    const { endpoint, region, bucket } = host.endpoints.s3;
    const s3 = new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    const key = dropKey(3801, 6545, "e2e-drop.csv");
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from("#sku,quantity,action,reason\n49071335,43,replace,e2e\nNOPE,1,replace,e2e\n"), ContentType: "text/csv" }));
    s3.destroy();
    const deadline = Date.now() + 60_000;
    let node: any;
    while (!node) {
      const list = await host.gql(ADMIN, `{ inventory_sync_statuses { data(first: 5) { edges { node { id url status } } } } }`);
      node = list.data.inventory_sync_statuses.data.edges.map((e: any) => e.node).find((n: any) => n.url === `s3://${bucket}/${key}`);
      if (!node && Date.now() > deadline) throw new Error("no batch for the drop");
      if (!node) await new Promise((r) => setTimeout(r, 200));
    }
    expect(await waitFinal(node.id)).toMatchObject({ status: "error", error: "error in 1 out of 2 rows", success_count: 1, error_count: 1, finished_count: 2 });
    expect(await stock("49071335")).toBe(43);
  });

  it("another organization cannot see the demo batches over HTTP", async () => {
    const unrelated = host.endpoints.apiKeys.find((k) => k.organization === "Unrelated Retail")!.key;
    const res = await host.gql(unrelated, `{ inventory_sync_status(id: "5d9624b054de070001fd3132") { data { id } } }`);
    expect(res.errors[0].extensions.code).toBe("NOT_FOUND");
  });
});
