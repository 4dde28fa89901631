/**
 * The order aggregate end to end: creation through the three vocabularies, reads by identifier,
 * uniqueness in the write, optimistic concurrency, deletion, permissions and tenancy. GraphQL is
 * called in-process through the Lambda's adapter; on this file's own table on the shared emulators.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { startGraphQLEnv, type GraphQLEnv } from "./support/graphql-env.ts";
import { EXAMPLES_DIR } from "./support/seed-examples.ts";
import { sampleOrder } from "./support/orders-fixtures.ts";
import { createOrganization, getOrganization, type Organization } from "../core/auth/organizations.ts";
import { createApiKey } from "../core/auth/api-keys.ts";
import { createOrder, getOrder, listOrderEvents, updateOrder } from "../core/orders/repository.ts";
import { addLines } from "../core/orders/commands.ts";
import { canonicalContent, contentHash, stableStringify } from "../core/orders/hash.ts";
import { Db } from "../core/db/client.ts";
import { DEMO_ORGS } from "../core/demo/organizations.ts";
import { DEMO_ORDERS } from "../core/demo/orders.ts";

let env: GraphQLEnv;
let example: Organization;

beforeAll(async () => {
  env = await startGraphQLEnv();
  example = (await getOrganization(env.deps, DEMO_ORGS.example.id))!;
}, 120_000);

const CREATE_WHOLESALE = /* GraphQL */ `
  mutation Create($input: OrderCreateCentraInput!) {
    createWholesaleOrder(input: $input) {
      userErrors { message path }
      order { id number status accountOrderNumber currencyCode content_hash sentera_id
        lines { id quantity product { name } unitPrice { value formattedValue currency { code } } lineValue { value } hasAnyDiscount }
        grandTotal { value } discountsApplied { value { value } date } orderDate(format: "Y-m-d")
        shippingAddress { city country { code } } }
    }
  }
`;

const wholesaleInput = (extra: Record<string, unknown> = {}) => ({
  currencyIsoCode: "SEK",
  accountOrderNumber: `PO-${Math.random().toString(36).slice(2, 10)}`,
  orderDate: "2022-06-23T15:47:12+02:00",
  store: { id: 2 },
  account: { id: 1 },
  shippingAddress: { city: "Malmö", country: { code: "SE" } },
  lines: [
    { productName: "Jacket", sku: "JKT-1", quantity: 2, unitPrice: { value: 1000, currencyIsoCode: "SEK" }, unitOriginalPrice: { value: 1200, currencyIsoCode: "SEK" }, taxPercent: 25 },
  ],
  discounts: [{ value: { value: 50, currencyIsoCode: "SEK" }, date: "2022-06-23T16:00:00+02:00" }],
  ...extra,
});

describe("seed 002 getOrders example", () => {
  it("runs verbatim and answers the documented data and permissions", async () => {
    const query = readFileSync(`${EXAMPLES_DIR}28-002-getOrders.graphql`, "utf8");
    const documented = JSON.parse(readFileSync(`${EXAMPLES_DIR}28-002-getOrders.response.json`, "utf8"));
    const res = await env.gql(env.keys.admin, query);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual(documented.data);
    expect(res.body.extensions!.permissionsUsed).toEqual(documented.extensions.permissionsUsed);
  });

  it("the same order answers by its 32-hex id, with the orderInfo fragment's fields", async () => {
    const fragment = readFileSync(`${EXAMPLES_DIR}fragment-order.graphql`, "utf8");
    const res = await env.gql(env.keys.admin, `query { orders(where: { id: "${DEMO_ORDERS.wholesalePending.id}" }) { ...orderInfo } } ${fragment}`);
    expect(res.body.errors).toBeUndefined();
    const order = res.body.data!.orders[0];
    expect(order).toMatchObject({
      id: DEMO_ORDERS.wholesalePending.id,
      number: 3957,
      status: "PENDING",
      lines: [{ id: 17231, product: { name: "90's boot leg " }, quantity: 2, taxPercent: 0, unitPrice: { value: 1500, currency: { id: 3, code: "SEK" }, conversionRate: 1 }, lineValue: { value: 3000 }, hasAnyDiscount: false }],
      discountsApplied: [{ value: { value: 30, currency: { id: 3, code: "SEK" } }, date: "2021-03-04T09:05:52+01:00" }],
      shippingAddress: { companyName: "CENTRA", attention: "Johan", phoneNumber: "123456789", country: { id: 6, name: "Sweden" }, state: null },
    });
    expect(res.body.extensions!.permissionsUsed).toEqual(["Order:read", "Order.shippingAddress:read", "Order.billingAddress:read", "Product:read"]);
  });
});

describe("creation", () => {
  it("createWholesaleOrder stores the order and renders it in the Centra vocabulary", async () => {
    const res = await env.gql(env.keys.admin, CREATE_WHOLESALE, { input: wholesaleInput() });
    expect(res.body.errors).toBeUndefined();
    const { userErrors, order } = res.body.data!.createWholesaleOrder;
    expect(userErrors).toEqual([]);
    expect(order.id).toMatch(/^[0-9a-f]{32}$/);
    expect(order.number).toBeGreaterThan(39515);
    expect(order).toMatchObject({
      status: "PENDING",
      currencyCode: "SEK",
      lines: [{ quantity: 2, product: { name: "Jacket" }, unitPrice: { value: 1000, formattedValue: "1 000.00 SEK", currency: { code: "SEK" } }, lineValue: { value: 2000 }, hasAnyDiscount: true }],
      grandTotal: { value: 1950 },
      discountsApplied: [{ value: { value: 50 }, date: "2022-06-23T16:00:00+02:00" }],
      orderDate: "2022-06-23",
      shippingAddress: { city: "Malmö", country: { code: "SE" } },
    });
    // Read back by number: same content hash.
    const back = await env.gql(env.keys.admin, `{ order(number: ${order.number}) { __typename id content_hash ... on WholesaleOrder { buyerInfo { email } } } }`);
    expect(back.body.data!.order).toEqual({ __typename: "WholesaleOrder", id: order.id, content_hash: order.content_hash, buyerInfo: null });
  });

  it("orderCreate speaks the Zonos vocabulary (order_<uuid>, OPEN, items)", async () => {
    const res = await env.gql(
      env.keys.admin,
      `mutation { orderCreate(input: { accountOrderNumber: "AO-NEW-1", currencyCode: "USD", items: [{ name: "Hat", sku: "HAT-1", quantity: 3, amount: 12.5 }] }) {
        order { id accountOrderNumber currencyCode status createdAt createdBy items { id name quantity amount currencyCode } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const order = res.body.data!.orderCreate.order;
    expect(order.id).toMatch(/^order_[0-9a-f-]{36}$/);
    expect(order).toMatchObject({ accountOrderNumber: "AO-NEW-1", currencyCode: "USD", status: "OPEN", items: [{ name: "Hat", quantity: 3, amount: 12.5, currencyCode: "USD" }] });
    expect(order.items[0].id).toMatch(/^item_[0-9a-f-]{36}$/);
    expect(order.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(order.createdBy).toMatch(/^user_[0-9a-f-]{36}$/);
    // Same order through the Centra read: canonical status.
    const centra = await env.gql(env.keys.admin, `{ orders(where: { accountOrderNumber: "AO-NEW-1" }) { __typename status } }`);
    expect(centra.body.data!.orders).toEqual([{ __typename: "DirectToConsumerOrder", status: "PENDING" }]);
  });

  it("the seed-003 order is stored as documented", async () => {
    const res = await env.gql(env.keys.admin, `{ order(id: "order_${DEMO_ORDERS.zonos.uuid}") { id accountOrderNumber createdAt createdBy currencyCode status items { id name quantity amount currencyCode } } }`);
    expect(res.body.data!.order).toEqual({
      id: `order_${DEMO_ORDERS.zonos.uuid}`,
      accountOrderNumber: "AO-67890",
      createdAt: "2024-06-01T12:00:00Z",
      createdBy: DEMO_ORDERS.zonos.createdBy,
      currencyCode: "USD",
      status: "OPEN",
      items: [{ id: `item_${DEMO_ORDERS.zonos.itemUuid}`, name: "T-Shirt", quantity: 1, amount: 19.99, currencyCode: "USD" }],
    });
  });

  it("reports invalid input as userErrors with the input path, and writes nothing", async () => {
    const bad = wholesaleInput({ lines: [{ productName: "X", quantity: 0, unitPrice: { value: 10, currencyIsoCode: "SEK" } }] });
    const res = await env.gql(env.keys.admin, CREATE_WHOLESALE, { input: bad });
    expect(res.body.data!.createWholesaleOrder).toEqual({ userErrors: [{ message: expect.stringContaining("quantity"), path: ["input", "lines", "0", "quantity"] }], order: null });
    const wrongCurrency = await env.gql(env.keys.admin, CREATE_WHOLESALE, { input: wholesaleInput({ currencyIsoCode: "XXX" }) });
    expect(wrongCurrency.body.data!.createWholesaleOrder.userErrors[0].path).toEqual(["input", "currencyIsoCode"]);
    const mixed = await env.gql(env.keys.admin, CREATE_WHOLESALE, {
      input: wholesaleInput({ lines: [{ productName: "X", quantity: 1, unitPrice: { value: 10, currencyIsoCode: "USD" } }] }),
    });
    expect(mixed.body.data!.createWholesaleOrder.userErrors[0].path).toEqual(["input", "lines", "0", "unitPrice", "currencyIsoCode"]);
    const zonos = await env.gql(env.keys.admin, `mutation { orderCreate(input: { accountOrderNumber: "AO-BAD", currencyCode: "USD", items: [] }) { order { id } } }`);
    expect(zonos.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await env.gql(env.keys.admin, `{ order(accountOrderNumber: "AO-BAD") { id } }`)).body.data!.order).toBeNull();
  });

  it("accountOrderNumber is unique per organization even under concurrent creates", async () => {
    const input = wholesaleInput({ accountOrderNumber: "PO-RACE-1" });
    const results = await Promise.all(Array.from({ length: 8 }, () => env.gql(env.keys.admin, CREATE_WHOLESALE, { input })));
    const ok = results.filter((r) => r.body.data!.createWholesaleOrder.order);
    const refused = results.filter((r) => r.body.data!.createWholesaleOrder.userErrors.length > 0);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(7);
    expect(refused[0]!.body.data!.createWholesaleOrder.userErrors[0]).toEqual({ message: expect.stringContaining("PO-RACE-1 already exists"), path: ["input", "accountOrderNumber"] });
    // Another organization may use the same number.
    const other = await env.gql(env.keys.descendant, CREATE_WHOLESALE, { input });
    expect(other.body.data!.createWholesaleOrder.userErrors).toEqual([]);
  });
});

describe("deletion", () => {
  it("deleteOrder leaves a tombstone, frees accountOrderNumber and keeps the number reserved", async () => {
    const created = (await env.gql(env.keys.admin, CREATE_WHOLESALE, { input: wholesaleInput({ accountOrderNumber: "PO-DEL-1" }) })).body.data!.createWholesaleOrder.order;
    const del = await env.gql(env.keys.admin, `mutation { deleteOrder(order: { number: ${created.number} }) { userErrors { message path } deletedOrder { sentera_id content_hash } } }`);
    expect(del.body.data!.deleteOrder).toEqual({ userErrors: [], deletedOrder: { sentera_id: created.sentera_id, content_hash: created.content_hash } });
    expect((await env.gql(env.keys.admin, `{ order(number: ${created.number}) { id } }`)).body.data!.order).toBeNull();
    const again = await env.gql(env.keys.admin, `mutation { deleteOrder(order: { number: ${created.number} }) { userErrors { message path } } }`);
    expect(again.body.data!.deleteOrder.userErrors[0].message).toContain("not found");
    const reuse = await env.gql(env.keys.admin, CREATE_WHOLESALE, { input: wholesaleInput({ accountOrderNumber: "PO-DEL-1" }) });
    expect(reuse.body.data!.createWholesaleOrder.order.number).not.toBe(created.number);
  });
});

describe("permissions and tenancy", () => {
  it("a read-only key reads but can't create or delete", async () => {
    const res = await env.gql(env.keys.readOnly, CREATE_WHOLESALE, { input: wholesaleInput() });
    expect(res.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(res.body.errors?.[0]?.message).toContain("Order:write");
    expect((await env.gql(env.keys.readOnly, `{ order(number: 3957) { number } }`)).body.data!.order).toEqual({ number: 3957 });
  });

  it("addresses need their own permission", async () => {
    const { secret } = await createApiKey(env.deps, { orgId: example.id, name: "orders only", permissions: ["Order:read"] });
    const res = await env.gql(secret, readFileSync(`${EXAMPLES_DIR}28-002-getOrders.graphql`, "utf8"));
    expect(res.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(res.body.errors?.[0]?.message).toContain("Order.shippingAddress:read");
    expect((await env.gql(secret, `{ orders(where: { number: 3957 }) { number } }`)).body.data!.orders).toEqual([{ number: 3957 }]);
  });

  it("another tenant's orders are invisible, never forbidden", async () => {
    for (const q of [`{ order(number: 3957) { id } }`, `{ order(id: "${DEMO_ORDERS.wholesalePending.id}") { id } }`]) {
      const res = await env.gql(env.keys.unrelated, q);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.order).toBeNull();
    }
    expect((await env.gql(env.keys.unrelated, `{ orders(where: { number: 3957 }) { id } }`)).body.data!.orders).toEqual([]);
    const del = await env.gql(env.keys.unrelated, `mutation { deleteOrder(order: { number: 3957 }) { userErrors { message } } }`);
    expect(del.body.data!.deleteOrder.userErrors[0].message).toContain("not found");
    expect((await env.gql(env.keys.admin, `{ order(number: 3957) { number } }`)).body.data!.order).toEqual({ number: 3957 });
  });

  it("on-hold orders are left out of orders() unless asked for", async () => {
    const created = await createOrder(env.deps, example, sampleOrder(9001, { isOnHold: true }), null);
    expect((await env.gql(env.keys.admin, `{ orders(where: { number: ${created.number} }) { number } }`)).body.data!.orders).toEqual([]);
    expect((await env.gql(env.keys.admin, `{ orders(where: { number: ${created.number}, isOnHold: true }) { number isOnHold } }`)).body.data!.orders).toEqual([{ number: created.number, isOnHold: true }]);
  });
});

describe("optimistic concurrency", () => {
  it("50 concurrent updates by different clients: each applies or fails with CONFLICT; none is lost", async () => {
    const org = await createOrganization(env.deps, { name: "Concurrency", timeZone: "UTC" });
    const order = await createOrder(env.deps, org, sampleOrder(1, { lines: [{ productName: "Counter", sku: "CNT-1", quantity: 1, unitPrice: 1 }] }), null);
    // Each client has its own DynamoDB client (separate connections), as separate Lambdas would.
    const { DynamoDBClient } = await import("@aws-sdk/client-dynamodb");
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const db = new Db(env.deps.db.tableName, new DynamoDBClient({ region: "us-east-1", endpoint: env.env.endpoints.dynamodb, credentials: { accessKeyId: "local", secretAccessKey: "local" } }));
        const deps = { ...env.deps, db };
        try {
          // Read-modify-write: +1 unit of the same SKU; a lost update would show as a missing unit.
          await updateOrder(deps, org.id, { id: order.uuid }, (d) => addLines(d, [{ productName: "Counter", sku: "CNT-1", quantity: 1, unitPrice: 1 }], () => 0), `user_client-${i}`);
          return "applied";
        } catch (error) {
          return (error as { code?: string }).code ?? String(error);
        }
      }),
    );
    const applied = outcomes.filter((o) => o === "applied").length;
    expect(outcomes.every((o) => o === "applied" || o === "CONFLICT")).toBe(true);
    expect(applied).toBeGreaterThanOrEqual(1);
    const final = (await getOrder(env.deps, org.id, order.uuid, { consistent: true }))!;
    expect(final.lines[0]!.orderedQty).toBe(1 + applied);
    expect(final.version).toBe(1 + applied);
    expect(final.contentHash).toBe(contentHash(final));
    const events = await listOrderEvents(env.deps, final);
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: 1 + applied }, (_, i) => i + 1));
    expect(events.at(-1)!.contentHash).toBe(final.contentHash);
  }, 60_000);
});

describe("content hash", () => {
  it("depends on content only: stable across processes, key order and line order; changes with content", async () => {
    const order = (await getOrder(env.deps, example.id, "c8b6e87b-1d94-08f8-45a0-440d226696df"))!;
    expect(order.contentHash).toBe(contentHash(order));
    const shuffled = { ...Object.fromEntries(Object.entries(order).reverse()), lines: [...order.lines].reverse() } as typeof order;
    expect(contentHash(shuffled)).toBe(order.contentHash);
    expect(contentHash({ ...order, isLocked: !order.isLocked })).not.toBe(order.contentHash);
    expect(contentHash({ ...order, version: order.version + 7, hashHistory: ["x"] })).toBe(order.contentHash);
    // Another process (plain Node, no shared state) computes the same 16 characters.
    const canonical = stableStringify(canonicalContent(order));
    const other = execFileSync(process.execPath, ["-e", "const c=require('node:crypto');let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.stdout.write(c.createHash('sha256').update(s,'utf8').digest().subarray(0,12).toString('base64')))"], { input: canonical }).toString();
    expect(other).toBe(order.contentHash);
    expect(order.contentHash).toMatch(/^[A-Za-z0-9+/]{16}$/);
  });
});
