/**
 * Buyers (a.k.a. Purchasers): the people of a B2B account who place orders in a wholesale store.
 * The billing address is stored normalised: country by ISO code, a known state name as its code
 * ("Alaska" → "AK", API-CONTRACT I-27).
 */
import type { Deps } from "../deps.ts";
import { wholesaleKeys } from "../db/keys.ts";
import { ConflictError } from "../errors.ts";
import { findCountry, normalizeStateOrProvince } from "../geo/countries.ts";
import { ADDRESS_FIELDS, type AddressRecord } from "../graphql/shared-types.ts";
import { Problems, isId } from "./problems.ts";
import { getRefs, idFor, refKey, type Market, type Store } from "./reference.ts";
import { getAccount } from "./accounts.ts";

export type BuyerStatus = "ACTIVE" | "INACTIVE";

export interface Buyer {
  id: number;
  orgId: number;
  accountId: number;
  storeId: number;
  status: BuyerStatus;
  receiveAutoEmails: boolean;
  websiteUrl: string | null;
  billingAddress: AddressRecord | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export type AddressInput = Partial<Record<(typeof ADDRESS_FIELDS)[number], string | null>> & { country?: { code?: string | null; id?: number | null } | null };

export interface CreateBuyerInput {
  id?: number;
  storeId: number;
  status: BuyerStatus;
  accountId: number;
  websiteUrl?: string | null;
  receiveAutoEmails?: boolean | null;
  billingAddress?: AddressInput | null;
}

export type UpdateBuyerInput = Partial<Omit<CreateBuyerInput, "id">>;

const MAX_FIELD = 255;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export const buyerOf = (item: Record<string, unknown>): Buyer => ({
  id: item.id as number,
  orgId: item.orgId as number,
  accountId: item.accountId as number,
  storeId: item.storeId as number,
  status: item.status as BuyerStatus,
  receiveAutoEmails: (item.receiveAutoEmails as boolean | undefined) ?? false,
  websiteUrl: (item.websiteUrl as string | null | undefined) ?? null,
  billingAddress: (item.billingAddress as AddressRecord | null | undefined) ?? null,
  createdAt: item.createdAt as string,
  updatedAt: item.updatedAt as string,
  version: item.version as number,
});

export async function getBuyers(deps: Deps, orgId: number, ids: number[]): Promise<Map<number, Buyer>> {
  const valid = [...new Set(ids.filter(isId))];
  if (!valid.length) return new Map();
  const items = await deps.db.batchGet(valid.map((id) => wholesaleKeys.buyer(orgId, id)));
  return new Map(items.map((i) => [i.id as number, buyerOf(i)]));
}

export async function listBuyers(
  deps: Deps,
  orgId: number,
  where: { id?: number | null; accountId?: number | null } = {},
  page: { limit: number; page: number } = { limit: 100, page: 1 },
): Promise<Buyer[]> {
  let all: Buyer[];
  if (where.id != null) all = [...(await getBuyers(deps, orgId, [where.id])).values()];
  else if (where.accountId != null) all = (await deps.db.queryAll({ index: "gsi1", pk: wholesaleKeys.buyersOfAccountPk(orgId, where.accountId) })).map(buyerOf);
  else all = (await deps.db.queryAll({ pk: wholesaleKeys.buyersPk(orgId) })).map(buyerOf);
  const matching = all.filter((b) => where.accountId == null || b.accountId === where.accountId);
  return matching.slice((page.page - 1) * page.limit, page.page * page.limit);
}

/** Merges an address patch into the stored one (given keys win; explicit null clears). */
function mergeAddress(problems: Problems, current: AddressRecord | null, input: AddressInput): AddressRecord {
  const out: AddressRecord = { ...(current ?? {}) };
  for (const field of ADDRESS_FIELDS) {
    if (!(field in input)) continue;
    const value = input[field];
    if (value != null && value.length > MAX_FIELD) problems.add(["input", "billingAddress", field], `${field} must be at most ${MAX_FIELD} characters`);
    out[field] = value ?? null;
  }
  if ("country" in input) {
    const ref = input.country;
    if (ref == null) out.countryCode = null;
    else {
      const country = findCountry(ref);
      if (!country) problems.add(["input", "billingAddress", "country", ref.code != null ? "code" : "id"], `Unknown country ${ref.code ?? ref.id ?? ""}`.trim());
      else out.countryCode = country.code;
    }
  }
  if (out.email != null && !EMAIL.test(out.email)) problems.add(["input", "billingAddress", "email"], `"${out.email}" is not an e-mail address`);
  out.stateOrProvince = normalizeStateOrProvince(out.countryCode, out.stateOrProvince);
  return out;
}

/** The store must be a wholesale store, and the one of the account's market. */
async function checkStoreAndAccount(deps: Deps, orgId: number, problems: Problems, storeId: number, accountId: number, storePath: boolean): Promise<void> {
  const [store, account] = await Promise.all([getRefs<Store>(deps, orgId, "store", [storeId]).then((m) => m.get(storeId)), getAccount(deps, orgId, accountId)]);
  if (!store) problems.add(["input", "store", "id"], `Store ${storeId} does not exist`);
  else if (store.type !== "WHOLESALE") problems.add(["input", "store", "id"], `Store ${storeId} is not a WHOLESALE store`);
  if (!account) problems.add(["input", "account", "id"], `Account ${accountId} does not exist`);
  if (store && account) {
    const market = (await getRefs<Market>(deps, orgId, "market", [account.marketId])).get(account.marketId);
    if (market && market.storeId !== store.id) {
      problems.add(storePath ? ["input", "store", "id"] : ["input", "account", "id"], `Account ${accountId} buys in store ${market.storeId}, not in store ${storeId}`);
    }
  }
}

function checkUrl(problems: Problems, value: string | null | undefined): void {
  if (value != null && value.length > MAX_FIELD) problems.add(["input", "websiteUrl"], `websiteUrl must be at most ${MAX_FIELD} characters`);
}

export async function createBuyer(deps: Deps, orgId: number, input: CreateBuyerInput): Promise<Buyer> {
  const problems = new Problems();
  if (input.id !== undefined && !isId(input.id)) problems.add(["input", "id"], "id must be a positive integer");
  await checkStoreAndAccount(deps, orgId, problems, input.storeId, input.accountId, true);
  checkUrl(problems, input.websiteUrl);
  const billingAddress = input.billingAddress ? mergeAddress(problems, null, input.billingAddress) : null;
  problems.throwIfAny();
  const now = deps.now().toISOString();
  const buyer: Buyer = {
    id: await idFor(deps, orgId, "buyer", input.id),
    orgId,
    accountId: input.accountId,
    storeId: input.storeId,
    status: input.status,
    receiveAutoEmails: input.receiveAutoEmails ?? false,
    websiteUrl: input.websiteUrl ?? null,
    billingAddress,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await write(deps, buyer, undefined);
  return buyer;
}

export async function updateBuyer(deps: Deps, orgId: number, id: number, input: UpdateBuyerInput): Promise<Buyer> {
  const problems = new Problems();
  const current = isId(id) ? (await getBuyers(deps, orgId, [id])).get(id) : undefined;
  if (!current) {
    problems.add(["id"], `Buyer ${id} does not exist`);
    problems.throwIfAny();
  }
  const next: Buyer = { ...current! };
  if (input.storeId != null) next.storeId = input.storeId;
  if (input.accountId != null) next.accountId = input.accountId;
  if (input.status != null) next.status = input.status;
  if (input.receiveAutoEmails != null) next.receiveAutoEmails = input.receiveAutoEmails;
  if (input.websiteUrl !== undefined) {
    checkUrl(problems, input.websiteUrl);
    next.websiteUrl = input.websiteUrl;
  }
  if (input.storeId != null || input.accountId != null) await checkStoreAndAccount(deps, orgId, problems, next.storeId, next.accountId, input.storeId != null);
  if (input.billingAddress !== undefined) next.billingAddress = input.billingAddress === null ? null : mergeAddress(problems, current!.billingAddress, input.billingAddress);
  problems.throwIfAny();
  next.updatedAt = deps.now().toISOString();
  next.version = current!.version + 1;
  await write(deps, next, current!.version);
  return next;
}

/** The buyer item, with its account (and store) re-checked in the same transaction. */
async function write(deps: Deps, buyer: Buyer, expectedVersion: number | undefined): Promise<void> {
  const item = { ...wholesaleKeys.buyer(buyer.orgId, buyer.id), ...wholesaleKeys.buyerOfAccount(buyer.orgId, buyer.accountId, buyer.id), type: "Buyer", ...buyer };
  const condition =
    expectedVersion === undefined
      ? { ConditionExpression: "attribute_not_exists(pk)" }
      : { ConditionExpression: "#v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":v": expectedVersion } };
  try {
    await deps.db.transact([
      { Put: { Item: item, ...condition } },
      { ConditionCheck: { Key: wholesaleKeys.account(buyer.orgId, buyer.accountId), ConditionExpression: "attribute_exists(pk)" } },
      { ConditionCheck: { Key: refKey("store", buyer.orgId, buyer.storeId), ConditionExpression: "attribute_exists(pk)" } },
    ]);
  } catch (error) {
    const failed = (error as { failedIndexes?: number[] }).failedIndexes ?? [];
    if (error instanceof ConflictError && failed.length && !failed.includes(0)) throw new ConflictError("The buyer's account or store was deleted meanwhile; retry");
    if (error instanceof ConflictError && expectedVersion === undefined) throw new ConflictError(`Buyer ${buyer.id} already exists`);
    throw error;
  }
}
