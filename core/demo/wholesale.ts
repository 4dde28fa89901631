/**
 * Demo data of the wholesale area (see core/demo/index.ts), under the ids seed 002 uses, so its
 * examples run verbatim in order on a fresh local host. The examples create account 5, buyer 1257
 * and delivery windows 3 and 4 themselves: the demo holds account 1, buyer 1256 and delivery
 * windows 1 and 2, and raises the counters so those creations get exactly the documented ids.
 */
import type { AreaSeed } from "./index.ts";
import type { Deps } from "../deps.ts";
import { keys } from "../db/keys.ts";
import { createProduct, getProducts } from "../catalog/products.ts";
import { listWarehouses } from "../catalog/warehouses.ts";
import { createAllocationRule, createMarket, createPricelist, createStore } from "../wholesale/reference.ts";
import { createAccount } from "../wholesale/accounts.ts";
import { createBuyer } from "../wholesale/buyers.ts";
import { createDeliveryWindow, setDeliveryWindowVariants } from "../wholesale/delivery-windows.ts";

/** Ids the seed examples refer to or create. */
export const WHOLESALE_DEMO = {
  wholesaleStore: 2,
  retailStore: 1,
  markets: { retail: 1, a: 2, vip: 12 },
  pricelist: 21,
  allocationRules: { b2bDefault: 2, another: 3, retailDefault: 28 },
  product: 342,
  variants: [1844, 1845],
  demoAccount: 1,
  demoBuyer: 1256,
  demoWindows: [1, 2],
  /** Created by the examples 07, 09, 17, 18 (counters are raised to one below these). */
  exampleAccount: 5,
  exampleBuyer: 1257,
  /** Window 3 is the demo's (see above); example 18 creates window 4. */
  exampleWindows: [3, 4],
} as const;

async function ensureBasketball(deps: Deps, orgId: number): Promise<void> {
  // The inventory demo may already hold the catalog; product 342 is created once.
  if ((await getProducts(deps, orgId, [WHOLESALE_DEMO.product])).length) return;
  await createProduct(deps, orgId, {
    id: WHOLESALE_DEMO.product,
    name: "Basketball",
    variants: [
      { id: 1844, name: "Outdoor hobby ball" },
      { id: 1845, name: "Official game ball" },
    ],
  });
}

export const seedWholesaleDemo: AreaSeed = async (deps, { example }) => {
  const org = example.id;
  const D = WHOLESALE_DEMO;
  await createStore(deps, org, { id: D.retailStore, name: "Retail", type: "DIRECT_TO_CONSUMER" });
  await createStore(deps, org, { id: D.wholesaleStore, name: "Wholesale", type: "WHOLESALE" });
  await createMarket(deps, org, { id: D.markets.retail, storeId: D.retailStore, name: "Retail" });
  await createMarket(deps, org, { id: D.markets.a, storeId: D.wholesaleStore, name: "A" });
  await createMarket(deps, org, { id: D.markets.vip, storeId: D.wholesaleStore, name: "VIP" });
  await createPricelist(deps, org, { id: 1, storeId: D.retailStore, name: "Retail SEK", currency: "SEK" });
  await createPricelist(deps, org, { id: D.pricelist, storeId: D.wholesaleStore, name: "Wholesale SEK", currency: "SEK" });
  const warehouses = (await listWarehouses(deps, org)).map((w) => w.id);
  await createAllocationRule(deps, org, { id: D.allocationRules.b2bDefault, name: "B2B default", warehouseIds: warehouses });
  await createAllocationRule(deps, org, { id: D.allocationRules.another, name: "Another AR", warehouseIds: [...warehouses].reverse() });
  await createAllocationRule(deps, org, { id: D.allocationRules.retailDefault, name: "Retail default", warehouseIds: warehouses.slice(0, 1) });
  await ensureBasketball(deps, org);

  await createDeliveryWindow(deps, org, {
    id: 1,
    name: "Demo AtOnce",
    status: "ACTIVE",
    allocationRuleId: D.allocationRules.b2bDefault,
    marketIds: [D.markets.a],
    atOnce: { daysFromNow: 0, selectableDate: false },
  });
  await setDeliveryWindowVariants(deps, org, 1, [{ variantId: 1844, type: "STOCK", limit: null }]);
  await createDeliveryWindow(deps, org, {
    id: 2,
    name: "Demo Preorder SS23",
    status: "INACTIVE",
    allocationRuleId: D.allocationRules.another,
    marketIds: [D.markets.a, D.markets.vip],
    preorder: { deliveryDateRange: { from: "2023-02-01", to: "2023-04-30" }, salesDateRange: { from: "2022-09-01", to: "2022-12-15" }, allocationOrder: "FIFO" },
  });

  // What example 17 creates once its allocation rule and markets are corrected (I-28, I-30).
  await createDeliveryWindow(deps, org, {
    id: D.exampleWindows[0],
    name: "First AtOnce DelWin",
    status: "ACTIVE",
    deliveryDatesVisible: true,
    selectableByBuyers: true,
    selectedByDefault: false,
    defaultVariantDeliveryType: "STOCK",
    allocationRuleId: D.allocationRules.b2bDefault,
    marketIds: [D.markets.a, D.markets.vip],
    atOnce: { daysFromNow: 0, selectableDate: true },
  });

  await createAccount(deps, org, {
    id: D.demoAccount,
    status: "ACTIVE",
    name: "Nordic Sports AB",
    marketId: D.markets.a,
    pricelistId: D.pricelist,
    discounts: { generalDiscount: { discountPercent: 5, isVisible: false }, addDeliveryWindowDiscounts: [{ deliveryWindowId: 2, discountPercent: 7.5 }] },
  });
  await createBuyer(deps, org, {
    id: D.demoBuyer,
    storeId: D.wholesaleStore,
    status: "ACTIVE",
    accountId: D.demoAccount,
    receiveAutoEmails: false,
    billingAddress: { firstName: "Anna", lastName: "Berg", address1: "Sveavägen 1", city: "Stockholm", zipCode: "11157", country: { code: "SE" }, email: "anna.berg@example.com" },
  });

  // The examples' own creations get the documented ids (07 → account 5, 09 → buyer 1257,
  // 18 → delivery window 4).
  await deps.db.raiseCounter(keys.counter(org, "account"), D.exampleAccount - 1);
  await deps.db.raiseCounter(keys.counter(org, "buyer"), D.exampleBuyer - 1);
  await deps.db.raiseCounter(keys.counter(org, "deliveryWindow"), D.exampleWindows[1] - 1);
};
