/**
 * The wholesale rules end to end through GraphQL on DynamoDB Local: each failure's userErrors
 * (message and input path), that nothing is written on failure, permissions and tenancy.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { startGraphQLEnv, type GraphQLEnv } from "./support/graphql-env.ts";

let env: GraphQLEnv;
beforeAll(async () => {
  env = await startGraphQLEnv();
}, 60_000);

const admin = (q: string) => env.gql(env.keys.admin, q).then((r) => r.body);
const errorsOf = (body: { data?: Record<string, any> | null }, field: string) => body.data![field].userErrors as Array<{ message: string; path: string[] }>;

const ACCOUNT_FIELDS = "userErrors { message path } account { id name discountPercent deliveryWindowDiscounts { deliveryWindow { id } discountPercent } }";
const WINDOW_FIELDS = "userErrors { message path } deliveryWindow { id name status markets { id } deliveryWindowVariants { productVariant { id } limit { value } } }";
const countAccounts = async () => (await admin("{ accounts { id } }")).data!.accounts.length as number;
const windowIds = async () => ((await admin("{ deliveryWindows(limit: 100) { id } }")).data!.deliveryWindows as Array<{ id: number }>).map((w) => w.id);

describe("accounts", () => {
  it("rejects an unknown market and pricelist and a discount over 100, all at once, writing nothing", async () => {
    const before = await countAccounts();
    const body = await admin(`mutation { createAccount(input: { status: ACTIVE name: "X" market: { id: 99 } pricelist: { id: 98 }
      discounts: { generalDiscount: { discountPercent: 150 } } }) { ${ACCOUNT_FIELDS} } }`);
    expect(body.data!.createAccount.account).toBeNull();
    expect(errorsOf(body, "createAccount")).toEqual([
      { message: "Market 99 does not exist", path: ["input", "market", "id"] },
      { message: "Pricelist 98 does not exist", path: ["input", "pricelist", "id"] },
      { message: "discountPercent must be between 0 and 100 (got 150)", path: ["input", "discounts", "generalDiscount", "discountPercent"] },
    ]);
    expect(await countAccounts()).toBe(before);
  });

  it("rejects a pricelist of another store than the market's", async () => {
    const body = await admin(`mutation { createAccount(input: { status: ACTIVE name: "X" market: { id: 2 } pricelist: { id: 1 } }) { ${ACCOUNT_FIELDS} } }`);
    expect(errorsOf(body, "createAccount")).toEqual([{ message: "Pricelist 1 belongs to store 1, but market 2 belongs to store 2", path: ["input", "pricelist", "id"] }]);
  });

  it("adds and removes delivery-window discounts; an unknown window is a userError", async () => {
    const created = await admin(`mutation { createAccount(input: { status: INACTIVE name: "Discounts AB" market: { id: 12 } pricelist: { id: 21 }
      discounts: { addDeliveryWindowDiscounts: [{deliveryWindow: {id: 1} discountPercent: 12.3} {deliveryWindow: {id: 2} discountPercent: 23.4}] } }) { ${ACCOUNT_FIELDS} } }`);
    const account = created.data!.createAccount.account;
    expect(account.deliveryWindowDiscounts).toEqual([
      { deliveryWindow: { id: 1 }, discountPercent: 12.3 },
      { deliveryWindow: { id: 2 }, discountPercent: 23.4 },
    ]);
    const bad = await admin(`mutation { updateAccount(id: ${account.id} input: { discounts: { addDeliveryWindowDiscounts: [{deliveryWindow: {id: 999} discountPercent: 5}] removeDeliveryWindowDiscounts: [{id: 2}] } }) { ${ACCOUNT_FIELDS} } }`);
    expect(errorsOf(bad, "updateAccount")).toEqual([{ message: "Delivery window 999 does not exist", path: ["input", "discounts", "addDeliveryWindowDiscounts", "0", "deliveryWindow", "id"] }]);
    const unchanged = await admin(`{ accounts(where: {id: ${account.id}}) { deliveryWindowDiscounts { deliveryWindow { id } } } }`);
    expect(unchanged.data!.accounts[0].deliveryWindowDiscounts).toHaveLength(2);
    const ok = await admin(`mutation { updateAccount(id: ${account.id} input: { discounts: { removeDeliveryWindowDiscounts: [{id: 2}] } }) { ${ACCOUNT_FIELDS} } }`);
    expect(ok.data!.updateAccount.account.deliveryWindowDiscounts).toEqual([{ deliveryWindow: { id: 1 }, discountPercent: 12.3 }]);
  });

  it("updateAccount of an unknown id names the id argument", async () => {
    const body = await admin(`mutation { updateAccount(id: 4242 input: { status: ACTIVE }) { ${ACCOUNT_FIELDS} } }`);
    expect(errorsOf(body, "updateAccount")).toEqual([{ message: "Account 4242 does not exist", path: ["id"] }]);
  });
});

describe("buyers", () => {
  it("needs an existing account and a wholesale store; an unknown country is a userError", async () => {
    const body = await admin(`mutation { createBuyer(input: { store: { id: 1 } status: ACTIVE account: { id: 777 } billingAddress: { country: { code: "XX" } } }) { userErrors { message path } buyer { id } } }`);
    expect(body.data!.createBuyer.buyer).toBeNull();
    expect(errorsOf(body, "createBuyer")).toEqual([
      { message: "Store 1 is not a WHOLESALE store", path: ["input", "store", "id"] },
      { message: "Account 777 does not exist", path: ["input", "account", "id"] },
      { message: "Unknown country XX", path: ["input", "billingAddress", "country", "code"] },
    ]);
  });
});

describe("delivery windows", () => {
  it("rejects a market of another store, unknown market and rule, dates out of order, writing nothing", async () => {
    const store = await admin(`mutation { createStore(input: { name: "Second wholesale" type: WHOLESALE }) { userErrors { message } store { id } } }`);
    const storeId = store.data!.createStore.store.id;
    const market = await admin(`mutation { createMarket(input: { name: "Other" store: { id: ${storeId} } }) { userErrors { message } market { id } } }`);
    const otherMarket = market.data!.createMarket.market.id;
    const before = await windowIds();
    const body = await admin(`mutation { createDeliveryWindow(input: { name: "Bad" status: ACTIVE allocationRule: { id: 77 } markets: [{ id: 2 }, { id: ${otherMarket} }, { id: 55 }]
      preorder: { deliveryDateRange: { from: "2022-10-31", to: "2022-08-01" } salesDateRange: { from: "2022-02-30", to: "2022-03-01" } allocationOrder: FIFO } }) { ${WINDOW_FIELDS} } }`);
    expect(body.data!.createDeliveryWindow.deliveryWindow).toBeNull();
    expect(errorsOf(body, "createDeliveryWindow")).toEqual([
      { message: "Allocation rule 77 does not exist", path: ["input", "allocationRule", "id"] },
      { message: `Market ${otherMarket} belongs to store ${storeId}, but the other markets belong to store 2`, path: ["input", "markets", "1", "id"] },
      { message: "Market 55 does not exist", path: ["input", "markets", "2", "id"] },
      { message: "The range ends (2022-08-01) before it starts (2022-10-31)", path: ["input", "preorder", "deliveryDateRange", "to"] },
      { message: '"2022-02-30" is not a date (Y-m-d)', path: ["input", "preorder", "salesDateRange", "from"] },
    ]);
    expect(await windowIds()).toEqual(before);
  });

  it("needs exactly one of atOnce and preorder", async () => {
    const base = `name: "K" status: ACTIVE allocationRule: { id: 2 } markets: [{ id: 2 }]`;
    const neither = await admin(`mutation { createDeliveryWindow(input: { ${base} }) { ${WINDOW_FIELDS} } }`);
    expect(errorsOf(neither, "createDeliveryWindow")).toEqual([{ message: "Give exactly one of atOnce or preorder: it decides the kind of delivery window", path: ["input", "atOnce"] }]);
    const both = await admin(`mutation { createDeliveryWindow(input: { ${base} atOnce: { daysFromNow: 3 }
      preorder: { deliveryDateRange: { from: "2022-08-01", to: "2022-08-02" } salesDateRange: { from: "2022-08-01", to: "2022-08-02" } allocationOrder: FIFO } }) { ${WINDOW_FIELDS} } }`);
    expect(errorsOf(both, "createDeliveryWindow")).toEqual([{ message: "Give either atOnce or preorder, not both", path: ["input", "preorder"] }]);
  });

  it("sets at most 100 variants per call, only existing ones, and keeps the window unchanged on failure", async () => {
    const created = await admin(`mutation { createDeliveryWindow(input: { name: "Variants" status: ACTIVE allocationRule: { id: 2 } markets: [{ id: 2 }] atOnce: { daysFromNow: 7 } }) { ${WINDOW_FIELDS} } }`);
    const id = created.data!.createDeliveryWindow.deliveryWindow.id;
    const many = Array.from({ length: 101 }, () => "{ productVariant: { id: 1844 } type: STOCK }").join(" ");
    const tooMany = await admin(`mutation { setDeliveryWindowVariants(input: { deliveryWindow: { id: ${id} } variants: [${many}] }) { ${WINDOW_FIELDS} } }`);
    expect(errorsOf(tooMany, "setDeliveryWindowVariants")).toEqual([{ message: "At most 100 variants can be set in one call (got 101)", path: ["input", "variants"] }]);
    const unknown = await admin(`mutation { setDeliveryWindowVariants(input: { deliveryWindow: { id: ${id} } variants: [{ productVariant: { id: 1845 } type: STOCK } { productVariant: { id: 99999 } type: STOCK }] }) { ${WINDOW_FIELDS} } }`);
    expect(errorsOf(unknown, "setDeliveryWindowVariants")).toEqual([{ message: "Product variant 99999 does not exist", path: ["input", "variants", "1", "productVariant", "id"] }]);
    const state = await admin(`{ deliveryWindows(where: {id: ${id}}) { deliveryWindowVariants { productVariant { id } } } }`);
    expect(state.data!.deliveryWindows[0].deliveryWindowVariants).toEqual([]);
    const ok = await admin(`mutation { setDeliveryWindowVariants(input: { deliveryWindow: { id: ${id} } variants: [{ productVariant: { id: 1845 } type: STOCK limit: { value: 5, type: HIGH, on: ProductVariant } }] }) { ${WINDOW_FIELDS} } }`);
    expect(ok.data!.setDeliveryWindowVariants.deliveryWindow.deliveryWindowVariants).toEqual([{ productVariant: { id: 1845 }, limit: { value: 5 } }]);
    const notIn = await admin(`mutation { unsetDeliveryWindowVariants(input: { deliveryWindow: { id: ${id} } productVariants: [{ id: 1844 }] }) { ${WINDOW_FIELDS} } }`);
    expect(errorsOf(notIn, "unsetDeliveryWindowVariants")).toEqual([{ message: `Product variant 1844 is not in delivery window ${id}`, path: ["input", "productVariants", "0", "id"] }]);
  });

  it("a cancelled window is terminal; an unknown window names the id", async () => {
    const created = await admin(`mutation { createDeliveryWindow(input: { name: "To cancel" status: ACTIVE allocationRule: { id: 3 } markets: [{ id: 12 }] atOnce: {} }) { ${WINDOW_FIELDS} } }`);
    const id = created.data!.createDeliveryWindow.deliveryWindow.id;
    await admin(`mutation { updateDeliveryWindow(id: ${id} input: { status: CANCELLED }) { userErrors { message } } }`);
    const again = await admin(`mutation { updateDeliveryWindow(id: ${id} input: { status: ACTIVE }) { ${WINDOW_FIELDS} } }`);
    expect(errorsOf(again, "updateDeliveryWindow")).toEqual([{ message: `Delivery window ${id} is cancelled; a cancelled delivery window cannot be changed`, path: ["id"] }]);
    const unknown = await admin(`mutation { updateDeliveryWindow(id: 98765 input: { name: "x" }) { ${WINDOW_FIELDS} } }`);
    expect(errorsOf(unknown, "updateDeliveryWindow")).toEqual([{ message: "Delivery window 98765 does not exist", path: ["id"] }]);
  });
});

describe("permissions", () => {
  it("a read-only key cannot create or update a delivery window and is told the missing permission", async () => {
    const before = await windowIds();
    for (const q of [
      `mutation { createDeliveryWindow(input: { name: "RO" status: ACTIVE allocationRule: { id: 2 } markets: [{ id: 2 }] atOnce: {} }) { userErrors { message } deliveryWindow { id } } }`,
      `mutation { updateDeliveryWindow(id: 1 input: { name: "RO" }) { userErrors { message } deliveryWindow { id } } }`,
    ]) {
      const { body } = await env.gql(env.keys.readOnly, q);
      expect(body.data ?? null).toBeNull();
      expect(body.errors![0]!.message).toBe("Missing permission DeliveryWindow:write");
      expect(body.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    }
    expect(await windowIds()).toEqual(before);
    const names = await admin("{ deliveryWindows(where: {id: 1}) { name } }");
    expect(names.data!.deliveryWindows[0].name).toBe("Demo AtOnce");
  });

  it("permissionsUsed lists only what was exercised", async () => {
    const { body } = await env.gql(env.keys.readOnly, "{ stores { id } markets(where: {storeId: 999}) { id store { id } } }");
    expect(body.extensions!.permissionsUsed).toEqual(["Store:read"]);
  });
});

describe("tenancy", () => {
  it("another organization sees none of 3801's accounts, buyers, markets or delivery windows", async () => {
    const { body } = await env.gql(env.keys.unrelated, "{ accounts { id } buyers { id } markets { id } deliveryWindows { id } stores { id } allocationRules { id } products(where: {id: 342}) { id } }");
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ accounts: [], buyers: [], markets: [], deliveryWindows: [], stores: [], allocationRules: [], products: [] });
    const child = await env.gql(env.keys.descendant, "{ accounts { id } deliveryWindows { id } }");
    expect(child.body.data).toEqual({ accounts: [], deliveryWindows: [] });
  });

  it("cannot change them either: unknown ids, and 3801's records stay as they were", async () => {
    const u = (q: string) => env.gql(env.keys.unrelated, q).then((r) => r.body);
    expect(errorsOf(await u(`mutation { updateAccount(id: 1 input: { name: "Hijacked" }) { userErrors { message path } account { id } } }`), "updateAccount")).toEqual([
      { message: "Account 1 does not exist", path: ["id"] },
    ]);
    expect(errorsOf(await u(`mutation { updateBuyer(id: 1256 input: { websiteUrl: "x" }) { userErrors { message path } buyer { id } } }`), "updateBuyer")).toEqual([
      { message: "Buyer 1256 does not exist", path: ["id"] },
    ]);
    expect(errorsOf(await u(`mutation { updateDeliveryWindow(id: 1 input: { status: CANCELLED }) { userErrors { message path } deliveryWindow { id } } }`), "updateDeliveryWindow")).toEqual([
      { message: "Delivery window 1 does not exist", path: ["id"] },
    ]);
    expect(errorsOf(await u(`mutation { setDeliveryWindowVariants(input: { deliveryWindow: { id: 1 } variants: [{ productVariant: { id: 1844 } type: STOCK }] }) { userErrors { message path } deliveryWindow { id } } }`), "setDeliveryWindowVariants")).toEqual([
      { message: "Delivery window 1 does not exist", path: ["input", "deliveryWindow", "id"] },
      { message: "Product variant 1844 does not exist", path: ["input", "variants", "0", "productVariant", "id"] },
    ]);
    const own = await admin("{ accounts(where: {id: 1}) { name } buyers(where: {id: 1256}) { websiteUrl } deliveryWindows(where: {id: 1}) { status } }");
    expect(own.data).toEqual({ accounts: [{ name: "Nordic Sports AB" }], buyers: [{ websiteUrl: null }], deliveryWindows: [{ status: "ACTIVE" }] });
  });

  it("ids are per tenant: the other organization's own setup gets its own ids", async () => {
    const u = (q: string) => env.gql(env.keys.unrelated, q).then((r) => r.body);
    const store = await u(`mutation { createStore(input: { name: "NY Wholesale" type: WHOLESALE }) { store { id } } }`);
    expect(store.data!.createStore.store.id).toBe(1);
    const markets = await admin("{ markets { id } }");
    expect(markets.data!.markets.map((m: { id: number }) => m.id)).toContain(1);
    expect((await u("{ markets { id } stores { name } }")).data).toEqual({ markets: [], stores: [{ name: "NY Wholesale" }] });
  });
});
