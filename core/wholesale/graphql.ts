/**
 * The wholesale (B2B) slice of the schema, Centra style (seed 002, API-CONTRACT section C):
 * stores, markets, pricelists, allocation rules, campaigns, accounts, buyers, products and delivery
 * windows. Permissions are declared here with @readAs/@requires and placed so that
 * extensions.permissionsUsed comes out as the seed documents it (see docs/wholesale.md).
 */
import type { GraphQLModule } from "../graphql/module.ts";
import { callerOrg, type GraphQLContext } from "../graphql/context.ts";
import { UserErrors, ValidationError } from "../errors.ts";
import { ordersModule } from "../orders/graphql.ts";
import { getProducts, searchProducts, type Product, type ProductVariant } from "../catalog/products.ts";
import {
  createAllocationRule,
  createCampaign,
  createMarket,
  createPricelist,
  createStore,
  listMarkets,
  listRefs,
  listStores,
  type AllocationRule,
  type Campaign,
  type Market,
  type Pricelist,
  type Store,
  type StoreType,
} from "./reference.ts";
import { createAccount, listAccounts, updateAccount, type Account, type AccountDiscountsInput, type AccountStatus } from "./accounts.ts";
import { createBuyer, listBuyers, updateBuyer, type AddressInput, type Buyer, type BuyerStatus } from "./buyers.ts";
import {
  createDeliveryWindow,
  listDeliveryWindows,
  setDeliveryWindowVariants,
  unsetDeliveryWindowVariants,
  updateDeliveryWindow,
  windowVariants,
  type DeliveryWindow,
  type DeliveryWindowInput,
  type DeliveryWindowStatus,
  type WindowVariant,
} from "./delivery-windows.ts";
import { loaders } from "./loaders.ts";
import { localMidnight } from "./dates.ts";
import { findCurrency } from "../geo/countries.ts";

const typeDefs = /* GraphQL */ `
  enum StoreType {
    WHOLESALE
    DIRECT_TO_CONSUMER
  }

  type Store @readAs(type: "Store") {
    id: Int!
    name: String!
    type: StoreType!
  }

  type Market @readAs(type: "Market") {
    id: Int!
    name: String!
    store: Store!
  }

  type Pricelist @readAs(type: "Pricelist") {
    id: Int!
    name: String!
    store: Store
    currency: Currency!
  }

  "Stock for an order is taken from the rule's warehouses, in this order."
  type AllocationRule @readAs(type: "AllocationRule") {
    id: Int!
    name: String!
    warehouseIds: [Int!]!
  }

  type Campaign @readAs(type: "Campaign") {
    id: Int!
    name: String!
  }

  type Product @readAs(type: "Product") {
    id: Int!
    name: String!
    variants: [ProductVariant!]!
  }

  type ProductVariant @readAs(type: "ProductVariant") {
    id: Int!
    name: String!
    product: Product!
  }

  input StoreFilter {
    id: Int
    type: StoreType
  }
  input MarketFilter {
    id: Int
    storeId: Int
  }
  input PricelistFilter {
    id: Int
    storeId: Int
  }
  input StringMatch {
    equals: String
    contains: String
  }
  input ProductFilter {
    id: Int
    name: StringMatch
  }
  input DeliveryWindowFilter {
    id: Int
    status: DeliveryWindowStatus
  }
  input AccountFilter {
    id: Int
    status: AccountStatus
  }
  input BuyerFilter {
    id: Int
    accountId: Int
  }

  input StoreInput {
    id: Int!
  }
  input MarketInput {
    id: Int!
  }
  input PricelistInput {
    id: Int!
  }
  input AccountInput {
    id: Int!
  }
  input AllocationRuleInput {
    id: Int!
  }
  input CampaignInput {
    id: Int!
  }
  input DeliveryWindowInput {
    id: Int!
  }
  input ProductVariantInput {
    id: Int!
  }
  input WarehouseRefInput {
    id: Int!
  }

  # ---- setup (reference data) ----
  input StoreCreateInput {
    name: String!
    type: StoreType!
  }
  input MarketCreateInput {
    name: String!
    store: StoreInput!
  }
  input PricelistCreateInput {
    name: String!
    store: StoreInput!
    currencyIsoCode: String!
  }
  input AllocationRuleCreateInput {
    name: String!
    "Warehouses in allocation order."
    warehouses: [WarehouseRefInput!]!
  }
  input CampaignCreateInput {
    name: String!
  }
  type StorePayload {
    userErrors: [UserError!]!
    store: Store
  }
  type MarketPayload {
    userErrors: [UserError!]!
    market: Market
  }
  type PricelistPayload {
    userErrors: [UserError!]!
    pricelist: Pricelist
  }
  type AllocationRulePayload {
    userErrors: [UserError!]!
    allocationRule: AllocationRule
  }
  type CampaignPayload {
    userErrors: [UserError!]!
    campaign: Campaign
  }

  # ---- accounts and buyers ----
  enum AccountStatus {
    ACTIVE
    INACTIVE
  }
  enum BuyerStatus {
    ACTIVE
    INACTIVE
  }

  type Account @readAs(type: "Account") {
    id: Int!
    name: String!
    status: AccountStatus!
    discountPercent: Float!
    isDiscountVisible: Boolean!
    deliveryWindowDiscounts: [AccountDeliveryWindowDiscount!]!
    market: Market
    pricelist: Pricelist
  }

  type AccountDeliveryWindowDiscount {
    deliveryWindow: DeliveryWindow!
    discountPercent: Float!
  }

  type Buyer @readAs(type: "Purchaser") {
    id: Int!
    status: BuyerStatus!
    account: Account! @requires(perm: "Account:read")
    store: Store!
    receiveAutoEmails: Boolean!
    websiteUrl: String
    billingAddress: Address @requires(perm: "Purchaser.billingAddress:read")
    "The buyer's contact e-mail: the billing address's (API-CONTRACT I-56)."
    email: String @requires(perm: "Purchaser.billingAddress:read")
  }

  input AccountGeneralDiscountInput {
    discountPercent: Float!
    isVisible: Boolean
  }
  input AccountDeliveryWindowDiscountInput {
    deliveryWindow: DeliveryWindowInput!
    discountPercent: Float!
  }
  input AccountDiscountsInput {
    generalDiscount: AccountGeneralDiscountInput
    addDeliveryWindowDiscounts: [AccountDeliveryWindowDiscountInput!]
    "Delivery-window references ({id: <deliveryWindow id>}) whose discount is removed."
    removeDeliveryWindowDiscounts: [DeliveryWindowInput!]
  }
  input AccountCreateInput {
    status: AccountStatus!
    name: String!
    market: MarketInput!
    pricelist: PricelistInput!
    discounts: AccountDiscountsInput
  }
  input AccountUpdateInput {
    status: AccountStatus
    name: String
    market: MarketInput
    pricelist: PricelistInput
    discounts: AccountDiscountsInput
  }
  input BuyerCreateInput {
    store: StoreInput!
    status: BuyerStatus!
    account: AccountInput!
    websiteUrl: String
    receiveAutoEmails: Boolean
    billingAddress: AddressInput
  }
  input BuyerUpdateInput {
    store: StoreInput
    status: BuyerStatus
    account: AccountInput
    websiteUrl: String
    receiveAutoEmails: Boolean
    billingAddress: AddressInput
  }
  type AccountPayload {
    userErrors: [UserError!]!
    account: Account
  }
  type BuyerPayload {
    userErrors: [UserError!]!
    buyer: Buyer
  }

  # ---- delivery windows ----
  enum DeliveryWindowStatus {
    ACTIVE
    INACTIVE
    CANCELLED
  }
  enum DeliveryWindowVariantType {
    STOCK
  }
  enum AllocationOrder {
    FIFO
  }
  enum DeliveryWindowVariantLimitType {
    HIGH
  }
  enum DeliveryWindowVariantLimitOn {
    ProductVariant
  }

  interface DeliveryWindow @readAs(type: "DeliveryWindow") {
    id: Int!
    name: String!
    status: DeliveryWindowStatus!
    markets: [Market!]! @requires(perm: "Market:read")
    campaigns: [Campaign!]! @requires(perm: "Campaign:read")
    allocationRule: AllocationRule @requires(perm: "AllocationRule:read")
    defaultVariantDeliveryType: DeliveryWindowVariantType!
    deliveryDatesVisible: Boolean!
    deliveryWindowVariants: [DeliveryWindowVariant!]!
    selectableByBuyers: Boolean!
    selectedByDefault: Boolean!
  }

  type AtOnceDeliveryWindow implements DeliveryWindow {
    id: Int!
    name: String!
    status: DeliveryWindowStatus!
    markets: [Market!]!
    campaigns: [Campaign!]!
    allocationRule: AllocationRule
    defaultVariantDeliveryType: DeliveryWindowVariantType!
    deliveryDatesVisible: Boolean!
    deliveryWindowVariants: [DeliveryWindowVariant!]!
    selectableByBuyers: Boolean!
    selectedByDefault: Boolean!
    "Days until the window opens; 0 (opens immediately) reads as null, as in the seed."
    daysFromNow: Int
    selectableDate: Boolean!
  }

  type PreorderDeliveryWindow implements DeliveryWindow {
    id: Int!
    name: String!
    status: DeliveryWindowStatus!
    markets: [Market!]!
    campaigns: [Campaign!]!
    allocationRule: AllocationRule
    defaultVariantDeliveryType: DeliveryWindowVariantType!
    deliveryDatesVisible: Boolean!
    deliveryWindowVariants: [DeliveryWindowVariant!]!
    selectableByBuyers: Boolean!
    selectedByDefault: Boolean!
    allocationOrder: AllocationOrder!
    deliveryStartDate: DateTime!
    deliveryEndDate: DateTime!
    salesStartDate: DateTime!
    salesEndDate: DateTime!
  }

  type DeliveryWindowVariant {
    limit: DeliveryWindowVariantLimit
    type: DeliveryWindowVariantType!
    product: Product!
    "Which variant the row is (API-CONTRACT I-37)."
    productVariant: ProductVariant!
  }

  type DeliveryWindowVariantLimit {
    value: Int!
    on: DeliveryWindowVariantLimitOn!
    type: DeliveryWindowVariantLimitType!
  }

  input AtOnceDeliveryWindowInput {
    daysFromNow: Int
    selectableDate: Boolean
  }
  input DateRangeInput {
    from: Date!
    to: Date!
  }
  input PreorderDeliveryWindowInput {
    deliveryDateRange: DateRangeInput!
    salesDateRange: DateRangeInput!
    allocationOrder: AllocationOrder!
  }
  "Exactly one of atOnce / preorder decides the concrete type."
  input DeliveryWindowCreateInput {
    name: String!
    status: DeliveryWindowStatus!
    deliveryDatesVisible: Boolean
    selectableByBuyers: Boolean
    selectedByDefault: Boolean
    defaultVariantDeliveryType: DeliveryWindowVariantType
    allocationRule: AllocationRuleInput!
    markets: [MarketInput!]!
    campaigns: [CampaignInput!]
    atOnce: AtOnceDeliveryWindowInput
    preorder: PreorderDeliveryWindowInput
  }
  input DeliveryWindowUpdateInput {
    name: String
    status: DeliveryWindowStatus
    deliveryDatesVisible: Boolean
    selectableByBuyers: Boolean
    selectedByDefault: Boolean
    defaultVariantDeliveryType: DeliveryWindowVariantType
    allocationRule: AllocationRuleInput
    "Replaces the whole market set."
    markets: [MarketInput!]
    campaigns: [CampaignInput!]
    atOnce: AtOnceDeliveryWindowInput
    preorder: PreorderDeliveryWindowInput
  }
  input DeliveryWindowVariantLimitInput {
    value: Int!
    type: DeliveryWindowVariantLimitType!
    on: DeliveryWindowVariantLimitOn!
  }
  input DeliveryWindowVariantInput {
    productVariant: ProductVariantInput!
    type: DeliveryWindowVariantType!
    limit: DeliveryWindowVariantLimitInput
  }
  "variants: 1 to 100 per call"
  input DeliveryWindowVariantsSetInput {
    deliveryWindow: DeliveryWindowInput!
    variants: [DeliveryWindowVariantInput!]!
  }
  input DeliveryWindowVariantsUnsetInput {
    deliveryWindow: DeliveryWindowInput!
    productVariants: [ProductVariantInput!]!
  }
  type DeliveryWindowPayload {
    userErrors: [UserError!]!
    deliveryWindow: DeliveryWindow
  }

  extend type Query {
    stores(where: StoreFilter, limit: Int, page: Int): [Store!]! @listCost(size: 20)
    markets(where: MarketFilter, limit: Int, page: Int): [Market!]! @listCost(size: 20)
    pricelists(where: PricelistFilter, limit: Int, page: Int): [Pricelist!]! @listCost(size: 20)
    allocationRules(limit: Int, page: Int): [AllocationRule!]! @listCost(size: 20)
    campaigns(limit: Int, page: Int): [Campaign!]! @listCost(size: 20)
    accounts(where: AccountFilter, limit: Int, page: Int): [Account!]! @listCost(size: 50)
    buyers(where: BuyerFilter, limit: Int, page: Int): [Buyer!]! @listCost(size: 50)
    "Delivery windows in id order; limit defaults to 20 (at most 500), page is 1-based."
    deliveryWindows(where: DeliveryWindowFilter, limit: Int, page: Int): [DeliveryWindow!]! @listCost(size: 20)
    "Products in id order; limit defaults to 100 (at most 1000), page is 1-based."
    products(where: ProductFilter, limit: Int, page: Int): [Product!]! @listCost(size: 100)
  }

  extend type Mutation {
    createStore(input: StoreCreateInput!): StorePayload! @requires(perm: "Store:write")
    createMarket(input: MarketCreateInput!): MarketPayload! @requires(perm: "Market:write")
    createPricelist(input: PricelistCreateInput!): PricelistPayload! @requires(perm: "Pricelist:write")
    createAllocationRule(input: AllocationRuleCreateInput!): AllocationRulePayload! @requires(perm: "AllocationRule:write")
    createCampaign(input: CampaignCreateInput!): CampaignPayload! @requires(perm: "Campaign:write")
    createAccount(input: AccountCreateInput!): AccountPayload! @requires(perm: "Account:write")
    updateAccount(id: Int!, input: AccountUpdateInput!): AccountPayload! @requires(perm: "Account:write")
    createBuyer(input: BuyerCreateInput!): BuyerPayload! @requires(perm: "Buyer:write")
    updateBuyer(id: Int!, input: BuyerUpdateInput!): BuyerPayload! @requires(perm: "Buyer:write")
    createDeliveryWindow(input: DeliveryWindowCreateInput!): DeliveryWindowPayload! @requires(perm: "DeliveryWindow:write")
    updateDeliveryWindow(id: Int!, input: DeliveryWindowUpdateInput!): DeliveryWindowPayload! @requires(perm: "DeliveryWindow:write")
    setDeliveryWindowVariants(input: DeliveryWindowVariantsSetInput!): DeliveryWindowPayload! @requires(perm: "DeliveryWindow:write")
    unsetDeliveryWindowVariants(input: DeliveryWindowVariantsUnsetInput!): DeliveryWindowPayload! @requires(perm: "DeliveryWindow:write")
  }
`;

/** `... on WholesaleOrder { account { name } buyer { email } }` (seed 002 orderConnection). */
export const wholesaleOrderTypeDefs = /* GraphQL */ `
  extend type WholesaleOrder {
    account: Account
    buyer: Buyer
  }
`;

type Ctx = GraphQLContext;
type Ref = { id: number };
type Args<T> = T;

const orgOf = (ctx: Ctx) => callerOrg(ctx);
const load = (ctx: Ctx) => loaders(ctx, orgOf(ctx).id);

/** limit/page (1-based) with a default and a ceiling; bad values are a clear BAD_USER_INPUT. */
function paging(args: { limit?: number | null; page?: number | null }, def: number, max: number): { limit: number; page: number } {
  const limit = args.limit ?? def;
  const page = args.page ?? 1;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new ValidationError(`limit must be between 1 and ${max}`, { argument: "limit" });
  if (!Number.isInteger(page) || page < 1 || page > 100_000) throw new ValidationError("page must be 1 or more", { argument: "page" });
  return { limit, page };
}
const slicePage = <T>(list: T[], p: { limit: number; page: number }) => list.slice((p.page - 1) * p.limit, p.page * p.limit);

/** Centra payload: the entity and no userErrors, or null and the userErrors (nothing written). */
async function payload<K extends string, T>(field: K, run: () => Promise<T>): Promise<{ userErrors: Array<{ message: string; path: string[] }> } & Record<K, T | null>> {
  try {
    const value = await run();
    return { userErrors: [], [field]: value } as never;
  } catch (error) {
    if (error instanceof UserErrors) return { userErrors: error.errors, [field]: null } as never;
    throw error;
  }
}

const ids = (refs: Ref[] | null | undefined) => (refs == null ? null : refs.map((r) => r.id));

function windowInput(input: Record<string, unknown>): DeliveryWindowInput {
  const i = input as {
    allocationRule?: Ref | null;
    markets?: Ref[] | null;
    campaigns?: Ref[] | null;
  } & DeliveryWindowInput;
  return {
    name: i.name,
    status: i.status,
    deliveryDatesVisible: i.deliveryDatesVisible,
    selectableByBuyers: i.selectableByBuyers,
    selectedByDefault: i.selectedByDefault,
    defaultVariantDeliveryType: i.defaultVariantDeliveryType,
    allocationRuleId: i.allocationRule?.id ?? null,
    marketIds: ids(i.markets),
    campaignIds: ids(i.campaigns),
    atOnce: i.atOnce,
    preorder: i.preorder,
  };
}

function discountsInput(d: Record<string, unknown> | null | undefined): AccountDiscountsInput | null {
  if (!d) return null;
  const add = d.addDeliveryWindowDiscounts as Array<{ deliveryWindow: Ref; discountPercent: number }> | null | undefined;
  const remove = d.removeDeliveryWindowDiscounts as Ref[] | null | undefined;
  return {
    generalDiscount: d.generalDiscount as AccountDiscountsInput["generalDiscount"],
    addDeliveryWindowDiscounts: add?.map((a) => ({ deliveryWindowId: a.deliveryWindow.id, discountPercent: a.discountPercent })) ?? null,
    removeDeliveryWindowDiscounts: remove?.map((r) => r.id) ?? null,
  };
}

const tz = (ctx: Ctx) => orgOf(ctx).timeZone;

const windowFields = {
  markets: (w: DeliveryWindow, _: unknown, ctx: Ctx) => load(ctx).markets.loadMany(w.marketIds),
  campaigns: (w: DeliveryWindow, _: unknown, ctx: Ctx) => load(ctx).campaigns.loadMany(w.campaignIds),
  allocationRule: async (w: DeliveryWindow, _: unknown, ctx: Ctx) => (await load(ctx).allocationRules.load(w.allocationRuleId)) ?? null,
  deliveryWindowVariants: (w: DeliveryWindow) => windowVariants(w),
};

const resolvers = {
  Query: {
    stores: async (_: unknown, args: Args<{ where?: { id?: number | null; type?: StoreType | null } | null; limit?: number; page?: number }>, ctx: Ctx) =>
      slicePage(await listStores(ctx.deps, orgOf(ctx).id, args.where ?? {}), paging(args, 100, 1000)),
    markets: async (_: unknown, args: Args<{ where?: { id?: number | null; storeId?: number | null } | null; limit?: number; page?: number }>, ctx: Ctx) =>
      slicePage(await listMarkets(ctx.deps, orgOf(ctx).id, args.where ?? {}), paging(args, 100, 1000)),
    pricelists: async (_: unknown, args: Args<{ where?: { id?: number | null; storeId?: number | null } | null; limit?: number; page?: number }>, ctx: Ctx) => {
      const all = await listRefs<Pricelist>(ctx.deps, orgOf(ctx).id, "pricelist");
      const w = args.where ?? {};
      return slicePage(all.filter((p) => (w.id == null || p.id === w.id) && (w.storeId == null || p.storeId === w.storeId)), paging(args, 100, 1000));
    },
    allocationRules: async (_: unknown, args: Args<{ limit?: number; page?: number }>, ctx: Ctx) =>
      slicePage(await listRefs<AllocationRule>(ctx.deps, orgOf(ctx).id, "allocationRule"), paging(args, 100, 1000)),
    campaigns: async (_: unknown, args: Args<{ limit?: number; page?: number }>, ctx: Ctx) =>
      slicePage(await listRefs<Campaign>(ctx.deps, orgOf(ctx).id, "campaign"), paging(args, 100, 1000)),
    accounts: (_: unknown, args: Args<{ where?: { id?: number | null; status?: AccountStatus | null } | null; limit?: number; page?: number }>, ctx: Ctx) =>
      listAccounts(ctx.deps, orgOf(ctx).id, args.where ?? {}, paging(args, 100, 1000)),
    buyers: (_: unknown, args: Args<{ where?: { id?: number | null; accountId?: number | null } | null; limit?: number; page?: number }>, ctx: Ctx) =>
      listBuyers(ctx.deps, orgOf(ctx).id, args.where ?? {}, paging(args, 100, 1000)),
    deliveryWindows: async (_: unknown, args: Args<{ where?: { id?: number | null; status?: DeliveryWindowStatus | null } | null; limit?: number; page?: number }>, ctx: Ctx) => {
      const list = await listDeliveryWindows(ctx.deps, orgOf(ctx).id, args.where ?? {}, paging(args, 20, 500));
      for (const w of list) load(ctx).deliveryWindows.prime(w.id, w);
      return list;
    },
    products: async (_: unknown, args: Args<{ where?: { id?: number | null; name?: { equals?: string | null; contains?: string | null } | null } | null; limit?: number; page?: number }>, ctx: Ctx) => {
      const p = paging(args, 100, 1000);
      const orgId = orgOf(ctx).id;
      const where = args.where ?? {};
      const name = where.name ?? {};
      let list: Product[];
      if (where.id != null) {
        list = (await getProducts(ctx.deps, orgId, [where.id])).filter(
          (x) => (name.equals == null || x.name === name.equals) && (name.contains == null || x.name.toLocaleLowerCase().includes(name.contains.toLocaleLowerCase())),
        );
        list = slicePage(list, p);
      } else {
        list = await searchProducts(ctx.deps, orgId, { nameContains: name.contains ?? undefined, nameEquals: name.equals ?? undefined, limit: p.limit, offset: (p.page - 1) * p.limit });
      }
      for (const x of list) load(ctx).products.prime(x.id, x);
      return list;
    },
  },

  Mutation: {
    createStore: (_: unknown, { input }: { input: { name: string; type: StoreType } }, ctx: Ctx) => payload("store", () => createStore(ctx.deps, orgOf(ctx).id, input)),
    createMarket: (_: unknown, { input }: { input: { name: string; store: Ref } }, ctx: Ctx) =>
      payload("market", () => createMarket(ctx.deps, orgOf(ctx).id, { name: input.name, storeId: input.store.id })),
    createPricelist: (_: unknown, { input }: { input: { name: string; store: Ref; currencyIsoCode: string } }, ctx: Ctx) =>
      payload("pricelist", () => createPricelist(ctx.deps, orgOf(ctx).id, { name: input.name, storeId: input.store.id, currency: input.currencyIsoCode })),
    createAllocationRule: (_: unknown, { input }: { input: { name: string; warehouses: Ref[] } }, ctx: Ctx) =>
      payload("allocationRule", () => createAllocationRule(ctx.deps, orgOf(ctx).id, { name: input.name, warehouseIds: input.warehouses.map((w) => w.id) })),
    createCampaign: (_: unknown, { input }: { input: { name: string } }, ctx: Ctx) => payload("campaign", () => createCampaign(ctx.deps, orgOf(ctx).id, input)),

    createAccount: (_: unknown, { input }: { input: { status: AccountStatus; name: string; market: Ref; pricelist: Ref; discounts?: Record<string, unknown> | null } }, ctx: Ctx) =>
      payload("account", () =>
        createAccount(ctx.deps, orgOf(ctx).id, {
          status: input.status,
          name: input.name,
          marketId: input.market.id,
          pricelistId: input.pricelist.id,
          discounts: discountsInput(input.discounts),
        }),
      ),
    updateAccount: (
      _: unknown,
      { id, input }: { id: number; input: { status?: AccountStatus | null; name?: string | null; market?: Ref | null; pricelist?: Ref | null; discounts?: Record<string, unknown> | null } },
      ctx: Ctx,
    ) =>
      payload("account", () =>
        updateAccount(ctx.deps, orgOf(ctx).id, id, {
          status: input.status,
          name: input.name,
          marketId: input.market?.id ?? null,
          pricelistId: input.pricelist?.id ?? null,
          discounts: discountsInput(input.discounts),
        }),
      ),
    createBuyer: (
      _: unknown,
      { input }: { input: { store: Ref; status: BuyerStatus; account: Ref; websiteUrl?: string | null; receiveAutoEmails?: boolean | null; billingAddress?: AddressInput | null } },
      ctx: Ctx,
    ) =>
      payload("buyer", () =>
        createBuyer(ctx.deps, orgOf(ctx).id, {
          storeId: input.store.id,
          status: input.status,
          accountId: input.account.id,
          websiteUrl: input.websiteUrl,
          receiveAutoEmails: input.receiveAutoEmails,
          billingAddress: input.billingAddress,
        }),
      ),
    updateBuyer: (
      _: unknown,
      { id, input }: { id: number; input: { store?: Ref | null; status?: BuyerStatus | null; account?: Ref | null; websiteUrl?: string | null; receiveAutoEmails?: boolean | null; billingAddress?: AddressInput | null } },
      ctx: Ctx,
    ) =>
      payload("buyer", () =>
        updateBuyer(ctx.deps, orgOf(ctx).id, id, {
          storeId: input.store?.id,
          accountId: input.account?.id,
          status: input.status ?? undefined,
          receiveAutoEmails: input.receiveAutoEmails,
          ...("websiteUrl" in input ? { websiteUrl: input.websiteUrl } : {}),
          ...("billingAddress" in input ? { billingAddress: input.billingAddress } : {}),
        }),
      ),

    createDeliveryWindow: (_: unknown, { input }: { input: Record<string, unknown> }, ctx: Ctx) =>
      payload("deliveryWindow", () => createDeliveryWindow(ctx.deps, orgOf(ctx).id, windowInput(input))),
    updateDeliveryWindow: (_: unknown, { id, input }: { id: number; input: Record<string, unknown> }, ctx: Ctx) =>
      payload("deliveryWindow", () => updateDeliveryWindow(ctx.deps, orgOf(ctx).id, id, windowInput(input))),
    setDeliveryWindowVariants: (
      _: unknown,
      { input }: { input: { deliveryWindow: Ref; variants: Array<{ productVariant: Ref; type: "STOCK"; limit?: { value: number; type: "HIGH"; on: "ProductVariant" } | null }> } },
      ctx: Ctx,
    ) =>
      payload("deliveryWindow", () =>
        setDeliveryWindowVariants(
          ctx.deps,
          orgOf(ctx).id,
          input.deliveryWindow.id,
          input.variants.map((v) => ({ variantId: v.productVariant.id, type: v.type, limit: v.limit })),
        ),
      ),
    unsetDeliveryWindowVariants: (_: unknown, { input }: { input: { deliveryWindow: Ref; productVariants: Ref[] } }, ctx: Ctx) =>
      payload("deliveryWindow", () => unsetDeliveryWindowVariants(ctx.deps, orgOf(ctx).id, input.deliveryWindow.id, input.productVariants.map((v) => v.id))),
  },

  Market: {
    store: (m: Market, _: unknown, ctx: Ctx) => load(ctx).stores.load(m.storeId),
  },
  Pricelist: {
    store: async (p: Pricelist, _: unknown, ctx: Ctx) => (await load(ctx).stores.load(p.storeId)) ?? null,
    currency: (p: Pricelist) => findCurrency(p.currency) ?? { id: 0, code: p.currency },
  },
  Product: {
    variants: async (p: Product, _: unknown, ctx: Ctx) => (await load(ctx).variantsOfProduct.load(p.id)) ?? [],
  },
  ProductVariant: {
    product: (v: ProductVariant, _: unknown, ctx: Ctx) => load(ctx).products.load(v.productId),
  },
  Account: {
    deliveryWindowDiscounts: (a: Account) =>
      Object.entries(a.deliveryWindowDiscounts)
        .map(([id, discountPercent]) => ({ deliveryWindowId: Number(id), discountPercent }))
        .sort((x, y) => x.deliveryWindowId - y.deliveryWindowId),
    market: async (a: Account, _: unknown, ctx: Ctx) => (await load(ctx).markets.load(a.marketId)) ?? null,
    pricelist: async (a: Account, _: unknown, ctx: Ctx) => (await load(ctx).pricelists.load(a.pricelistId)) ?? null,
  },
  AccountDeliveryWindowDiscount: {
    deliveryWindow: (d: { deliveryWindowId: number }, _: unknown, ctx: Ctx) => load(ctx).deliveryWindows.load(d.deliveryWindowId),
  },
  Buyer: {
    account: (b: Buyer, _: unknown, ctx: Ctx) => load(ctx).accounts.load(b.accountId),
    store: (b: Buyer, _: unknown, ctx: Ctx) => load(ctx).stores.load(b.storeId),
    email: (b: Buyer) => b.billingAddress?.email ?? null,
  },
  DeliveryWindow: {
    __resolveType: (w: DeliveryWindow) => (w.kind === "AT_ONCE" ? "AtOnceDeliveryWindow" : "PreorderDeliveryWindow"),
  },
  AtOnceDeliveryWindow: {
    ...windowFields,
    daysFromNow: (w: DeliveryWindow) => w.atOnce?.daysFromNow ?? null,
    selectableDate: (w: DeliveryWindow) => w.atOnce?.selectableDate ?? false,
  },
  PreorderDeliveryWindow: {
    ...windowFields,
    allocationOrder: (w: DeliveryWindow) => w.preorder!.allocationOrder,
    deliveryStartDate: (w: DeliveryWindow, _: unknown, ctx: Ctx) => localMidnight(w.preorder!.deliveryDateRange.from, tz(ctx)),
    deliveryEndDate: (w: DeliveryWindow, _: unknown, ctx: Ctx) => localMidnight(w.preorder!.deliveryDateRange.to, tz(ctx)),
    salesStartDate: (w: DeliveryWindow, _: unknown, ctx: Ctx) => localMidnight(w.preorder!.salesDateRange.from, tz(ctx)),
    salesEndDate: (w: DeliveryWindow, _: unknown, ctx: Ctx) => localMidnight(w.preorder!.salesDateRange.to, tz(ctx)),
  },
  DeliveryWindowVariant: {
    product: (v: WindowVariant, _: unknown, ctx: Ctx) => load(ctx).products.load(v.productId),
    productVariant: (v: WindowVariant, _: unknown, ctx: Ctx) => load(ctx).variants.load(v.variantId),
  },
};

/** Source fields the orders area puts on a WholesaleOrder for the extension below. */
export interface WholesaleOrderRefs {
  b2bAccountId?: number | null;
  buyerId?: number | null;
}

const wholesaleOrderResolvers = {
  WholesaleOrder: {
    account: async (o: WholesaleOrderRefs, _: unknown, ctx: Ctx) => (o.b2bAccountId ? ((await load(ctx).accounts.load(o.b2bAccountId)) ?? null) : null),
    buyer: async (o: WholesaleOrderRefs, _: unknown, ctx: Ctx) => (o.buyerId ? ((await load(ctx).buyers.load(o.buyerId)) ?? null) : null),
  },
};

/** The WholesaleOrder extension is added once the orders module defines the type. */
const hasWholesaleOrder = /\btype\s+WholesaleOrder\b/.test(ordersModule.typeDefs);

export const wholesaleModule: GraphQLModule = {
  name: "wholesale",
  typeDefs: typeDefs + (hasWholesaleOrder ? wholesaleOrderTypeDefs : ""),
  resolvers: { ...resolvers, ...(hasWholesaleOrder ? wholesaleOrderResolvers : {}) },
};
