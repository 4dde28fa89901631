/**
 * The first thing a user of these APIs tries: every example of the seed documents, sent verbatim
 * (with the shared fragments appended, as ../shared/seeds/examples has them) in the seeds' order,
 * to the real local host (`npm start`) over HTTP with the demo admin key, on a fresh data folder.
 * Each answer must have the documented shape (every documented field present, with the
 * documented JSON type, recursively) and, where documented, the same `permissionsUsed`.
 * Exact values are asserted by each area's own tests; contract corrections (API-CONTRACT
 * section 5) are applied where the seed contradicts itself.
 *
 * Examples of operations that belong to the next stage (wholesale order operations, shipments,
 * orderItemUpdate) are listed as todo, not faked.
 */
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalHostProcess, type LocalHostProcess } from "./support/local-host.ts";
import { EXAMPLES_DIR, exampleRequest, exampleResponse } from "./support/seed-examples.ts";

let host: LocalHostProcess;
let adminKey: string;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Answer {
  data?: Record<string, Json> | null;
  errors?: Array<{ message: string; extensions?: Record<string, Json> }>;
  extensions?: { complexity: number; permissionsUsed: string[]; appVersion: string };
}

async function send(name: string): Promise<Answer> {
  const response = await fetch(host.endpoints.graphql, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${adminKey}` },
    body: JSON.stringify({ query: exampleRequest(name) }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Answer;
}

const kind = (v: Json) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/**
 * Every documented field is in our answer with the same JSON type, recursively. A documented null
 * accepts anything, and a scalar may be null where the document shows a value (the schema only
 * lets nullable fields be null: a batch without errors has `error: null`). Lists are compared
 * element by element against the documented first element; an empty documented `userErrors`
 * must be empty. `absent` lists documented fields the contract says must not be there (I-11).
 */
function expectShape(ours: Json | undefined, documented: Json, path: string, absent: string[] = []): void {
  if (documented === null) return;
  if (ours === null && !["object", "array"].includes(kind(documented))) return;
  if (path.endsWith(".userErrors") && Array.isArray(documented) && documented.length === 0) expect(ours, path).toEqual([]);
  expect(ours === undefined ? "missing" : kind(ours), `${path}`).toBe(kind(documented));
  if (Array.isArray(documented) && Array.isArray(ours) && documented.length > 0) {
    ours.forEach((item, i) => expectShape(item, documented[0]!, `${path}[${i}]`, absent));
  } else if (kind(documented) === "object") {
    for (const [key, value] of Object.entries(documented as Record<string, Json>)) {
      if (absent.includes(`${path}.${key}`)) continue;
      expectShape((ours as Record<string, Json>)[key], value, `${path}.${key}`, absent);
    }
  }
}

function expectDocumented(name: string, answer: Answer, absent: string[] = []): void {
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  const documented = exampleResponse(name);
  expectShape(answer.data as Json, documented.data as Json, "data", absent);
  if (documented.extensions) expect(answer.extensions!.permissionsUsed).toEqual(documented.extensions.permissionsUsed);
  expect(Object.keys(answer.extensions!).sort()).toEqual(["appVersion", "complexity", "permissionsUsed"]);
}

beforeAll(async () => {
  host = await startLocalHostProcess();
  adminKey = host.endpoints.apiKeys.find((k) => k.organization === "Sentera Demo" && k.permissions.includes("*"))!.key;
}, 120_000);
afterAll(async () => {
  await host?.stop();
});

const NEXT_STAGE = new Set([
  "10-002-orderConnection",
  "24-002-lockOrders-lock",
  "25-002-lockOrders-unlock",
  "26-002-orderOnHold-on",
  "27-002-orderOnHold-off",
  "29-002-updateWholesaleBasicFields",
  "30-002-updateWholesaleAddProducts",
  "31-002-updateWholesaleCancel",
  "32-002-confirmOrder",
  "33-002-createShipment",
  "34-002-updateShipmentMarkPaid",
  "35-002-completeShipment",
  "36-002-deleteShipment",
  "37-003-orderItemUpdate",
  "38-004-orderItemUpdate",
]);

/** What each example of this stage must answer, beyond arriving without a transport error. */
const CHECKS: Record<string, (answer: Answer, name: string) => void> = {
  "01-000-SyncOrganizationOrders": (a, n) => {
    expectDocumented(n, a);
    const sync = a.data!.sync_orders as { upserted: Array<{ sentera_id: string; status: string }>; deleted: Array<{ sentera_id: string }> };
    expect(sync.upserted).toContainEqual(expect.objectContaining({ sentera_id: "w9n9629_OD_8t8cAcme_CV_stag_877281e47_210503_085336", status: "PROCESSING" }));
    expect(sync.deleted.map((d) => d.sentera_id)).toContain("dfaxv57_OD_SHORT1_CV_stag_dc0d87d_170907_235328");
  },
  // The example's warehouse_id is not a valid id (I-18): a clear not-found, nothing created.
  "02-001-inventory_sync": (a) => {
    expect(a.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(a.errors?.[0]?.message).toMatch(/warehouse_id/);
  },
  "03-001-inventory_sync_statuses": (a, n) => expectDocumented(n, a),
  "04-001-inventory_sync_status": (a, n) => {
    expectDocumented(n, a);
    expect((a.data!.inventory_sync_status as { data: { id: string } }).data.id).toBe("5d9624b054de070001fd3132");
  },
  // I-11: complexity was not selected, so it is not in the answer.
  "05-001-inventory_sync_items_status": (a, n) => expectDocumented(n, a, ["data.inventory_sync_items_status.complexity"]),
  "06-001-inventory_sync_abort": (a) => {
    expect(a.errors).toBeUndefined();
    expect(a.data!.inventory_sync_abort).toMatchObject({ request_id: expect.stringMatching(/^[0-9a-f]{24}$/), sync: { id: "5e4dac71b50fb5475c7b00d4", status: "aborted" } });
  },
  "15-002-delWinList": (a) => {
    expect(a.errors).toBeUndefined();
    expect((a.data!.deliveryWindows as unknown[]).length).toBeGreaterThan(0);
  },
  "16-002-delwin": (a) => {
    expect(a.errors).toBeUndefined();
    expect(a.data!.deliveryWindows).toEqual([expect.objectContaining({ id: 1 })]);
  },
  // Allocation rule 12 does not exist (I-28): a userError on its input path, nothing created.
  "17-002-createAtOnceDelWin": (a) => {
    expect(a.errors).toBeUndefined();
    expect(a.data!.createDeliveryWindow).toEqual({ userErrors: [{ message: "Allocation rule 12 does not exist", path: ["input", "allocationRule", "id"] }], deliveryWindow: null });
  },
  // I-26: websiteUrl was not selected, so it is not in the answer.
  "11-002-editBuyer": (a, n) => expectDocumented(n, a, ["data.updateBuyer.buyer.websiteUrl"]),
};

const names = readdirSync(EXAMPLES_DIR)
  .filter((f) => /^\d\d-.*\.graphql$/.test(f))
  .map((f) => f.replace(/\.graphql$/, ""))
  .sort();

describe("seed examples, verbatim and in order, on a fresh local host", () => {
  it("covers every example of the seeds", () => {
    expect(names).toHaveLength(38);
  });
  for (const name of names) {
    if (NEXT_STAGE.has(name)) {
      it.todo(`${name} (next stage: wholesale order operations and order item updates)`);
      continue;
    }
    it(name, async () => {
      const answer = await send(name);
      const check = CHECKS[name] ?? ((a: Answer, n: string) => expectDocumented(n, a));
      check(answer, name);
    });
  }
});
