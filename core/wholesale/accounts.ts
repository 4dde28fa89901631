/**
 * B2B accounts (GraphQL `Account`): a customer company buying in one market at one pricelist, with
 * a general discount (and whether buyers see it) and per-delivery-window discounts. The discounts
 * live on the account item, so an account and its discounts change in one conditional write.
 */
import type { Deps } from "../deps.ts";
import { wholesaleKeys, type TableKey } from "../db/keys.ts";
import type { TransactItem } from "../db/client.ts";
import { ConflictError } from "../errors.ts";
import { Problems, checkName, checkPercent, isId, type PathPart } from "./problems.ts";
import { getRefs, idFor, refKey, type Market, type Pricelist, type Store } from "./reference.ts";

export type AccountStatus = "ACTIVE" | "INACTIVE";

export interface Account {
  id: number;
  orgId: number;
  name: string;
  status: AccountStatus;
  marketId: number;
  pricelistId: number;
  discountPercent: number;
  isDiscountVisible: boolean;
  /** Delivery-window id (as a string key) → discount percent. */
  deliveryWindowDiscounts: Record<string, number>;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface AccountDiscountsInput {
  generalDiscount?: { discountPercent: number; isVisible?: boolean | null } | null;
  addDeliveryWindowDiscounts?: Array<{ deliveryWindowId: number; discountPercent: number }> | null;
  removeDeliveryWindowDiscounts?: number[] | null;
}

export interface CreateAccountInput {
  id?: number;
  status: AccountStatus;
  name: string;
  marketId: number;
  pricelistId: number;
  discounts?: AccountDiscountsInput | null;
}

export interface UpdateAccountInput {
  status?: AccountStatus | null;
  name?: string | null;
  marketId?: number | null;
  pricelistId?: number | null;
  discounts?: AccountDiscountsInput | null;
}

/** Most per-delivery-window discounts changed in one call (keeps the write one transaction). */
export const MAX_DISCOUNT_CHANGES = 90;

export const accountOf = (item: Record<string, unknown>): Account => ({
  id: item.id as number,
  orgId: item.orgId as number,
  name: item.name as string,
  status: item.status as AccountStatus,
  marketId: item.marketId as number,
  pricelistId: item.pricelistId as number,
  discountPercent: (item.discountPercent as number | undefined) ?? 0,
  isDiscountVisible: (item.isDiscountVisible as boolean | undefined) ?? false,
  deliveryWindowDiscounts: (item.deliveryWindowDiscounts as Record<string, number> | undefined) ?? {},
  createdAt: item.createdAt as string,
  updatedAt: item.updatedAt as string,
  version: item.version as number,
});

export async function getAccounts(deps: Deps, orgId: number, ids: number[]): Promise<Map<number, Account>> {
  const valid = [...new Set(ids.filter(isId))];
  if (!valid.length) return new Map();
  const items = await deps.db.batchGet(valid.map((id) => wholesaleKeys.account(orgId, id)));
  return new Map(items.map((i) => [i.id as number, accountOf(i)]));
}

export async function getAccount(deps: Deps, orgId: number, id: number): Promise<Account | undefined> {
  if (!isId(id)) return undefined;
  const item = await deps.db.get(wholesaleKeys.account(orgId, id), { consistent: true });
  return item ? accountOf(item) : undefined;
}

export async function listAccounts(
  deps: Deps,
  orgId: number,
  where: { id?: number | null; status?: AccountStatus | null } = {},
  page: { limit: number; page: number } = { limit: 100, page: 1 },
): Promise<Account[]> {
  const all = where.id != null ? [...(await getAccounts(deps, orgId, [where.id])).values()] : (await deps.db.queryAll({ pk: wholesaleKeys.accountsPk(orgId) })).map(accountOf);
  const matching = all.filter((a) => where.status == null || a.status === where.status);
  return matching.slice((page.page - 1) * page.limit, page.page * page.limit);
}

/**
 * Market and pricelist must exist, belong to one store, and that store must sell wholesale
 * (an account is a B2B customer). Returns the keys to re-check inside the write.
 */
async function checkMarketAndPricelist(
  deps: Deps,
  orgId: number,
  problems: Problems,
  marketId: number,
  pricelistId: number,
  marketChanged: boolean,
  pricelistChanged: boolean,
): Promise<TableKey[]> {
  const [market, pricelist] = await Promise.all([
    getRefs<Market>(deps, orgId, "market", [marketId]).then((m) => m.get(marketId)),
    getRefs<Pricelist>(deps, orgId, "pricelist", [pricelistId]).then((m) => m.get(pricelistId)),
  ]);
  if (!market) problems.add(["input", "market", "id"], `Market ${marketId} does not exist`);
  if (!pricelist) problems.add(["input", "pricelist", "id"], `Pricelist ${pricelistId} does not exist`);
  if (market && pricelist && market.storeId !== pricelist.storeId) {
    const path = pricelistChanged || !marketChanged ? ["input", "pricelist", "id"] : ["input", "market", "id"];
    problems.add(path, `Pricelist ${pricelistId} belongs to store ${pricelist.storeId}, but market ${marketId} belongs to store ${market.storeId}`);
  }
  if (market) {
    const store = (await getRefs<Store>(deps, orgId, "store", [market.storeId])).get(market.storeId);
    if (store && store.type !== "WHOLESALE") problems.add(["input", "market", "id"], `Market ${marketId} belongs to store ${store.id}, which is not a WHOLESALE store`);
  }
  return [refKey("market", orgId, marketId), refKey("pricelist", orgId, pricelistId)];
}

/** Applies the discount changes to `target`; returns the delivery windows that must exist. */
async function applyDiscounts(
  deps: Deps,
  orgId: number,
  problems: Problems,
  discounts: AccountDiscountsInput,
  target: Pick<Account, "discountPercent" | "isDiscountVisible" | "deliveryWindowDiscounts">,
  allowRemove: boolean,
): Promise<TableKey[]> {
  const base: PathPart[] = ["input", "discounts"];
  if (discounts.generalDiscount) {
    checkPercent(problems, [...base, "generalDiscount", "discountPercent"], discounts.generalDiscount.discountPercent);
    target.discountPercent = discounts.generalDiscount.discountPercent;
    if (discounts.generalDiscount.isVisible != null) target.isDiscountVisible = discounts.generalDiscount.isVisible;
  }
  const add = discounts.addDeliveryWindowDiscounts ?? [];
  const remove = discounts.removeDeliveryWindowDiscounts ?? [];
  if (add.length + remove.length > MAX_DISCOUNT_CHANGES) problems.add(base, `At most ${MAX_DISCOUNT_CHANGES} delivery-window discounts can be added or removed in one call`);
  const windowIds = [...new Set([...add.map((a) => a.deliveryWindowId), ...remove].filter(isId))];
  const existing = new Set(
    windowIds.length ? (await deps.db.batchGet(windowIds.map((id) => wholesaleKeys.delwin(orgId, id)), { attributes: ["id"] })).map((i) => i.id as number) : [],
  );
  const seen = new Set<number>();
  add.forEach((entry, i) => {
    const path = [...base, "addDeliveryWindowDiscounts", i];
    checkPercent(problems, [...path, "discountPercent"], entry.discountPercent);
    if (!existing.has(entry.deliveryWindowId)) problems.add([...path, "deliveryWindow", "id"], `Delivery window ${entry.deliveryWindowId} does not exist`);
    else if (seen.has(entry.deliveryWindowId)) problems.add([...path, "deliveryWindow", "id"], `Delivery window ${entry.deliveryWindowId} is listed twice`);
    seen.add(entry.deliveryWindowId);
    target.deliveryWindowDiscounts[String(entry.deliveryWindowId)] = entry.discountPercent;
  });
  if (remove.length && !allowRemove) problems.add([...base, "removeDeliveryWindowDiscounts"], "A new account has no discounts to remove");
  remove.forEach((id, i) => {
    const path = [...base, "removeDeliveryWindowDiscounts", i, "id"];
    if (seen.has(id)) problems.add(path, `Delivery window ${id} is both added and removed`);
    else if (!(String(id) in target.deliveryWindowDiscounts)) problems.add(path, `The account has no discount for delivery window ${id}`);
    delete target.deliveryWindowDiscounts[String(id)];
  });
  // Only windows that get (or keep) a discount must still exist when the write happens.
  return add.filter((a) => existing.has(a.deliveryWindowId)).map((a) => wholesaleKeys.delwin(orgId, a.deliveryWindowId));
}

function guards(keysToCheck: TableKey[]): TransactItem[] {
  const unique = [...new Map(keysToCheck.map((k) => [`${k.pk}|${k.sk}`, k])).values()];
  return unique.map((Key) => ({ ConditionCheck: { Key, ConditionExpression: "attribute_exists(pk)" } }));
}

export async function createAccount(deps: Deps, orgId: number, input: CreateAccountInput): Promise<Account> {
  const problems = new Problems();
  if (input.id !== undefined && !isId(input.id)) problems.add(["input", "id"], "id must be a positive integer");
  const name = checkName(problems, ["input", "name"], input.name, true)!;
  if (input.status !== "ACTIVE" && input.status !== "INACTIVE") problems.add(["input", "status"], "status must be ACTIVE or INACTIVE");
  const refs = await checkMarketAndPricelist(deps, orgId, problems, input.marketId, input.pricelistId, true, true);
  const draft = { discountPercent: 0, isDiscountVisible: false, deliveryWindowDiscounts: {} as Record<string, number> };
  const windows = input.discounts ? await applyDiscounts(deps, orgId, problems, input.discounts, draft, false) : [];
  problems.throwIfAny();

  const now = deps.now().toISOString();
  const account: Account = {
    id: await idFor(deps, orgId, "account", input.id),
    orgId,
    name,
    status: input.status,
    marketId: input.marketId,
    pricelistId: input.pricelistId,
    ...draft,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await write(deps, account, [...refs, ...windows], undefined);
  return account;
}

export async function updateAccount(deps: Deps, orgId: number, id: number, input: UpdateAccountInput): Promise<Account> {
  const current = await getAccount(deps, orgId, id);
  const problems = new Problems();
  if (!current) {
    problems.add(["id"], `Account ${id} does not exist`);
    problems.throwIfAny();
  }
  const next: Account = { ...current!, deliveryWindowDiscounts: { ...current!.deliveryWindowDiscounts } };
  if (input.name != null) next.name = checkName(problems, ["input", "name"], input.name, true)!;
  if (input.status != null) next.status = input.status;
  if (input.marketId != null) next.marketId = input.marketId;
  if (input.pricelistId != null) next.pricelistId = input.pricelistId;
  const refs =
    input.marketId != null || input.pricelistId != null
      ? await checkMarketAndPricelist(deps, orgId, problems, next.marketId, next.pricelistId, input.marketId != null, input.pricelistId != null)
      : [];
  const windows = input.discounts ? await applyDiscounts(deps, orgId, problems, input.discounts, next, true) : [];
  problems.throwIfAny();
  next.updatedAt = deps.now().toISOString();
  next.version = current!.version + 1;
  await write(deps, next, [...refs, ...windows], current!.version);
  return next;
}

/** One transaction: the account item (new, or unchanged since read) and its references. */
async function write(deps: Deps, account: Account, mustExist: TableKey[], expectedVersion: number | undefined): Promise<void> {
  const put: TransactItem =
    expectedVersion === undefined
      ? { Put: { Item: { ...wholesaleKeys.account(account.orgId, account.id), type: "Account", ...account }, ConditionExpression: "attribute_not_exists(pk)" } }
      : {
          Put: {
            Item: { ...wholesaleKeys.account(account.orgId, account.id), type: "Account", ...account },
            ConditionExpression: "#v = :v",
            ExpressionAttributeNames: { "#v": "version" },
            ExpressionAttributeValues: { ":v": expectedVersion },
          },
        };
  try {
    await deps.db.transact([put, ...guards(mustExist)]);
  } catch (error) {
    const failed = (error as { failedIndexes?: number[] }).failedIndexes ?? [];
    if (error instanceof ConflictError && failed.length && !failed.includes(0)) {
      throw new ConflictError("A market, pricelist or delivery window referenced by the account was deleted meanwhile; retry");
    }
    if (error instanceof ConflictError && expectedVersion === undefined) throw new ConflictError(`Account ${account.id} already exists`);
    throw error;
  }
}
