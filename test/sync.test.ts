/**
 * sync_orders end to end: GraphQL in-process through the Lambda's API Gateway adapter, on this
 * file's own table on the shared emulators, with the demo dataset seeded.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { startGraphQLEnv, type GraphQLEnv } from "./support/graphql-env.ts";
import { EXAMPLES_DIR } from "./support/seed-examples.ts";
import { sampleOrder, SyncClient, SYNC_QUERY, type SyncPage } from "./support/orders-fixtures.ts";
import { createOrganization, getOrganization, type Organization } from "../core/auth/organizations.ts";
import { bulkLoadOrders, createOrder, deleteOrder, getOrder, updateOrder } from "../core/orders/repository.ts";
import { addLines, setHold } from "../core/orders/commands.ts";
import { orderKeys } from "../core/db/keys.ts";
import { uuidHex } from "../core/orders/codec.ts";
import { DEMO_ORGS } from "../core/demo/organizations.ts";
import { DEMO_ORDERS } from "../core/demo/orders.ts";

let env: GraphQLEnv;
let example: Organization;

beforeAll(async () => {
  env = await startGraphQLEnv();
  example = (await getOrganization(env.deps, DEMO_ORGS.example.id))!;
}, 120_000);

async function sync(key: string, org: string, hashes: string[], desc?: boolean): Promise<SyncPage> {
  const res = await env.gql(key, SYNC_QUERY, { org, hashes, desc });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.sync_orders as SyncPage;
}

async function newChildOrg(name: string): Promise<Organization> {
  return createOrganization(env.deps, { name, parentId: example.id, timeZone: "UTC" });
}

describe("seed 000 example", () => {
  it("runs verbatim and answers in the documented shape", async () => {
    const query = readFileSync(`${EXAMPLES_DIR}01-000-SyncOrganizationOrders.graphql`, "utf8");
    const documented = JSON.parse(readFileSync(`${EXAMPLES_DIR}01-000-SyncOrganizationOrders.response.json`, "utf8"));
    const res = await env.gql(env.keys.admin, query);
    expect(res.body.errors).toBeUndefined();
    const data = res.body.data!.sync_orders;
    expect(Object.keys(data).sort()).toEqual(Object.keys(documented.data.sync_orders).sort());
    expect(typeof data.remaining_count).toBe("number");
    const upserted = data.upserted.find((u: { sentera_id: string }) => u.sentera_id === documented.data.sync_orders.upserted[0].sentera_id);
    expect(upserted).toMatchObject({ status: "PROCESSING" });
    expect(Object.keys(upserted).sort()).toEqual(["content_hash", "sentera_id", "status"]);
    for (const item of [...data.upserted, ...data.deleted]) expect(item.content_hash).toMatch(/^[A-Za-z0-9+/]{16}$/);
    expect(data.deleted.map((d: { sentera_id: string }) => d.sentera_id)).toEqual([documented.data.sync_orders.deleted[0].sentera_id]);
    // Only the example organization's own orders (3805's and 4100's are not included).
    expect(data.upserted.some((u: { sentera_id: string }) => u.sentera_id.includes("OD_o"))).toBe(true);
    expect(data.upserted).toHaveLength(new Set(data.upserted.map((u: { sentera_id: string }) => u.sentera_id)).size);
  });
});

describe("convergence", () => {
  it("a client starting empty converges in ceil(N/2000) calls, then sees exactly the changes", async () => {
    const org = await newChildOrg("Sync convergence");
    const N = 2150;
    const orders = await bulkLoadOrders(env.deps, org, Array.from({ length: N }, (_, i) => sampleOrder(i, { accountOrderNumber: null, lines: [sampleOrder(i).lines[0]!] })), null);
    const client = new SyncClient((hashes) => sync(env.keys.admin, org.senteraId, hashes));
    const pages = await client.converge();
    expect(pages).toHaveLength(Math.ceil(N / 2000));
    expect(pages[0]!.upserted).toHaveLength(2000);
    expect(pages[0]!.remaining_count).toBe(N - 2000);
    // Stable order: by sentera_id.
    const ids = pages.flatMap((p) => p.upserted.map((u) => u.sentera_id));
    expect(ids).toEqual([...ids].sort());
    expect(new Map(client.held)).toEqual(new Map(orders.map((o) => [o.senteraId, o.contentHash])));
    // Up to date: nothing more.
    const idle = await client.round();
    expect(idle).toMatchObject({ remaining_count: 0, upserted: [], deleted: [] });

    // Server-side changes: 3 updates, 2 deletions → exactly those come back.
    const changed = [orders[5]!, orders[700]!, orders[2100]!];
    for (const o of changed) await updateOrder(env.deps, org.id, { id: o.uuid }, (d) => setHold(d, true, "check"), null);
    const gone = [orders[10]!, orders[1999]!];
    for (const o of gone) await deleteOrder(env.deps, org.id, { id: o.uuid }, null);
    const next = await client.round();
    expect(next.upserted.map((u) => u.sentera_id).sort()).toEqual(changed.map((o) => o.senteraId).sort());
    expect(next.deleted.map((d) => d.sentera_id).sort()).toEqual(gone.map((o) => o.senteraId).sort());
    expect(next.remaining_count).toBe(0);
    for (const u of next.upserted) {
      const stored = await getOrder(env.deps, org.id, orders.find((o) => o.senteraId === u.sentera_id)!.uuid);
      expect(u.content_hash).toBe(stored!.contentHash);
    }
    // A deleted order is reported once: the client dropped its hash.
    expect(await client.round()).toMatchObject({ remaining_count: 0, upserted: [], deleted: [] });
    expect(client.held.size).toBe(N - 2);
  }, 120_000);

  it("reports a deletion when the client holds an older hash of the order, with the order's last hash", async () => {
    const org = await newChildOrg("Sync history");
    const order = await createOrder(env.deps, org, sampleOrder(1), null);
    const old = order.contentHash;
    const updated = await updateOrder(env.deps, org.id, { id: order.uuid }, (d) => addLines(d, [{ productName: "Cap", sku: "CAP-1", quantity: 1, unitPrice: 10 }], () => 999_001), null);
    await deleteOrder(env.deps, org.id, { id: order.uuid }, null);
    const page = await sync(env.keys.admin, org.senteraId, [old]);
    expect(page.deleted).toEqual([{ sentera_id: order.senteraId, content_hash: updated.contentHash }]);
    // A client that never had it is not told about it.
    expect((await sync(env.keys.admin, org.senteraId, [])).deleted).toEqual([]);
  });
});

describe("scope and tenancy", () => {
  it("includes descendant organizations only when asked", async () => {
    const own = await sync(env.keys.admin, DEMO_ORGS.example.senteraId, []);
    // Other tests of this file add thousands of orders to 3801's subtree: the whole subtree takes
    // several pages of 2,000, so the client converges before the check.
    const allClient = new SyncClient((hashes) => sync(env.keys.admin, DEMO_ORGS.example.senteraId, hashes, true));
    await allClient.converge();
    const allIds = [...allClient.held.keys()];
    const descendantOnly = await sync(env.keys.descendant, DEMO_ORGS.descendant.senteraId, []);
    expect(descendantOnly.upserted.length).toBeGreaterThan(0);
    const ownIds = new Set(own.upserted.map((u) => u.sentera_id));
    for (const u of descendantOnly.upserted) {
      expect(ownIds.has(u.sentera_id)).toBe(false);
      expect(allIds).toContain(u.sentera_id);
    }
    expect(allIds.length).toBeGreaterThan(own.upserted.length + own.remaining_count);
  });

  it("refuses another tenant's organization and an ancestor; unknown is NOT_FOUND", async () => {
    const other = await env.gql(env.keys.admin, SYNC_QUERY, { org: DEMO_ORGS.unrelated.senteraId, hashes: [] });
    expect(other.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(JSON.stringify(other.body)).not.toContain("Unrelated Retail");
    const up = await env.gql(env.keys.descendant, SYNC_QUERY, { org: DEMO_ORGS.example.senteraId, hashes: [] });
    expect(up.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const unknown = await env.gql(env.keys.admin, SYNC_QUERY, { org: "nothere1_OR_x_CV_prod_000000000_200101_000000", hashes: [] });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("needs Order:read", async () => {
    const res = await env.gql("not-a-key-at-all-0000", SYNC_QUERY, { org: DEMO_ORGS.example.senteraId, hashes: [] });
    expect(res.status).toBe(401);
    const ro = await env.gql(env.keys.readOnly, SYNC_QUERY, { org: DEMO_ORGS.example.senteraId, hashes: [] });
    expect(ro.body.errors).toBeUndefined();
  });
});

describe("content_hashes input", () => {
  it("tolerates garbage, duplicates and 200,000 entries, and stays linear", async () => {
    const org = await newChildOrg("Sync big input");
    const orders = await Promise.all([1, 2, 3].map((i) => createOrder(env.deps, org, sampleOrder(i), null)));
    const held = orders[0]!.contentHash;
    const junk = ["", "not a hash", "🙂🙂🙂", "x".repeat(5000), held, held];
    const small = await sync(env.keys.admin, org.senteraId, junk);
    expect(small.upserted.map((u) => u.sentera_id).sort()).toEqual([orders[1]!, orders[2]!].map((o) => o.senteraId).sort());
    const many = Array.from({ length: 200_000 }, (_, i) => `h${String(i).padStart(15, "0")}`);
    const t0 = performance.now();
    const big = await sync(env.keys.admin, org.senteraId, [...many, held]);
    const elapsed = performance.now() - t0;
    expect(big).toEqual(small);
    // Generous bound: a quadratic membership test would take minutes here.
    expect(elapsed).toBeLessThan(15_000);
  }, 60_000);
});

describe("failed", () => {
  it("lists an order that can't be serialized and still returns the others", async () => {
    const org = await newChildOrg("Sync failed");
    const good = await createOrder(env.deps, org, sampleOrder(1), null);
    const bad = await createOrder(env.deps, org, sampleOrder(2), null);
    // Simulate a damaged stored order (e.g. written by a faulty migration).
    await env.deps.db.update(orderKeys.order(org.id, uuidHex(bad.uuid)), "REMOVE #l", { names: { "#l": "lines" } });
    const page = await sync(env.keys.admin, org.senteraId, []);
    expect(page.upserted.map((u) => u.sentera_id)).toEqual([good.senteraId]);
    expect(page.failed).toEqual([{ sentera_id: bad.senteraId, content_hash: bad.contentHash, message: expect.stringContaining("lines") }]);
    expect(page.remaining_count).toBe(0);
  });
});

describe("demo tombstone", () => {
  it("is reported to a client holding the migrated hash", async () => {
    const page = await sync(env.keys.admin, DEMO_ORGS.example.senteraId, [DEMO_ORDERS.syncDeletedLegacyHash]);
    expect(page.deleted.map((d) => d.sentera_id)).toEqual([DEMO_ORDERS.syncDeleted]);
    expect(page.deleted[0]!.content_hash).not.toBe(DEMO_ORDERS.syncDeletedLegacyHash);
  });
});
