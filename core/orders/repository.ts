/**
 * Persistence of the order aggregate. Every change is ONE TransactWriteItems that
 *   - puts the order item on the condition that its version is still the one read (a lost race
 *     is a CONFLICT error, never a silent overwrite),
 *   - puts the history event of the new version,
 *   - puts the order's sync index entry (new content hash and status),
 *   - and adds/removes identifier guards, whose attribute_not_exists conditions make `number`,
 *     `accountOrderNumber` and `sentera_id` unique per organization in the write itself.
 */
import type { Deps } from "../deps.ts";
import type { TransactItem, Item } from "../db/client.ts";
import { keys, orderKeys } from "../db/keys.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { newUuid, senteraId as newSenteraId, hexToUuid } from "../ids.ts";
import type { Organization } from "../auth/organizations.ts";
import { contentHash } from "./hash.ts";
import { decodeEvent, decodeOrder, encodeEvent, encodeOrder, encodeSyncEntry, encodeTombstoneEntry, orderItemKey, uuidHex } from "./codec.ts";
import { HASH_HISTORY_LIMIT, type Order, type OrderEvent, type OrderEventType, type OrderTombstone } from "./model.ts";
import { newOrderLine, validateCreateOrder, type CreateOrderInput, type ValidCreateOrder } from "./validate.ts";

/** Who changes an order: a `user_<uuid>` reference (Zonos createdBy/updatedBy) or null. */
export type Actor = string | null;

/** Any identifier of an order (API-CONTRACT 6.4 "input resolution"). */
export interface OrderRef {
  /** 32-hex, `order_<uuid>` or a plain UUID. */
  id?: string | null;
  number?: number | null;
  accountOrderNumber?: string | null;
  senteraId?: string | null;
}

/** A 32-hex id, `order_<uuid>` or a UUID → the UUID; undefined when it is none of those. */
export function parseOrderId(id: string): string | undefined {
  const value = id.trim().toLowerCase();
  const bare = value.startsWith("order_") ? value.slice(6) : value;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(bare)) return bare;
  return hexToUuid(bare);
}

// ---------------------------------------------------------------------------------------------
// creation

interface GuardSpec {
  key: { pk: string; sk: string };
  label: string;
}

function guards(order: Order): GuardSpec[] {
  const list: GuardSpec[] = [
    { key: orderKeys.byNumber(order.orgId, order.number), label: `order number ${order.number}` },
    { key: orderKeys.bySenteraId(order.orgId, order.senteraId), label: `sentera_id ${order.senteraId}` },
  ];
  if (order.accountOrderNumber) list.push({ key: orderKeys.byAccountOrderNumber(order.orgId, order.accountOrderNumber), label: `accountOrderNumber ${order.accountOrderNumber}` });
  return list;
}

const guardItem = (g: GuardSpec, order: Order): Item => ({ ...g.key, type: "OrderGuard", orderUuid: order.uuid });

function createdEvent(order: Order): OrderEvent {
  return { version: order.version, type: "CREATED", message: null, at: order.createdAt, by: order.createdBy, contentHash: order.contentHash };
}

/** The items a new order consists of; the same shapes for the API path and the bulk-load path. */
export function newOrderItems(order: Order): { order: Item; guards: Array<{ item: Item; label: string }>; event: Item; syncEntry: Item } {
  return {
    order: encodeOrder(order),
    guards: guards(order).map((g) => ({ item: guardItem(g, order), label: g.label })),
    event: encodeEvent(order, createdEvent(order)),
    syncEntry: encodeSyncEntry(order),
  };
}

/** Builds the stored order from validated input; ids come from the per-tenant counters. */
async function buildOrder(deps: Deps, org: Organization, input: ValidCreateOrder, actor: Actor, ids: { number: number; lineIds: number[] }): Promise<Order> {
  const now = deps.now().toISOString();
  const createdAt = input.createdAt ?? now;
  let nextLine = 0;
  const order: Order = {
    orgId: org.id,
    uuid: input.uuid ?? newUuid(),
    number: ids.number,
    senteraId: input.senteraId ?? newSenteraId("OD", `o${ids.number}`, new Date(createdAt)),
    accountOrderNumber: input.accountOrderNumber ?? null,
    channel: input.channel,
    status: input.status ?? "PENDING",
    isOnHold: input.isOnHold ?? false,
    isLocked: input.isLocked ?? false,
    isInternal: input.isInternal ?? false,
    currency: input.currency,
    timeZone: org.timeZone,
    orderDate: input.orderDate ?? createdAt,
    storeId: input.storeId ?? null,
    marketId: input.marketId ?? null,
    pricelistId: input.pricelistId ?? null,
    b2bAccountId: input.b2bAccountId ?? null,
    buyerId: input.buyerId ?? null,
    buyerInfo: input.buyerInfo,
    shippingAddress: input.shippingAddress,
    billingAddress: input.billingAddress,
    lines: input.lines.map((l) => newOrderLine(l, () => ids.lineIds[nextLine++]!)),
    discounts: input.discounts.map((d) => ({ value: d.value, date: d.date ?? createdAt, reason: d.reason })),
    createdAt,
    createdBy: input.createdBy ?? actor,
    updatedAt: createdAt,
    updatedBy: input.createdBy ?? actor,
    version: 1,
    contentHash: "",
    hashHistory: [...(input.legacyHashes ?? [])].slice(0, HASH_HISTORY_LIMIT),
  };
  order.contentHash = contentHash(order);
  return order;
}

/** Reserves numbers and line ids for a set of orders: fixed ones raise the counters, others are drawn. */
async function reserveIds(deps: Deps, orgId: number, inputs: ValidCreateOrder[]): Promise<Array<{ number: number; lineIds: number[] }>> {
  const fixedNumbers = inputs.map((i) => i.number).filter((n): n is number => n != null);
  const fixedLines = inputs.flatMap((i) => i.lines.map((l) => l.id)).filter((n): n is number => n != null);
  if (fixedNumbers.length) await deps.db.raiseCounter(keys.counter(orgId, "Order"), Math.max(...fixedNumbers));
  if (fixedLines.length) await deps.db.raiseCounter(keys.counter(orgId, "OrderLine"), Math.max(...fixedLines));
  const numbersNeeded = inputs.filter((i) => i.number == null).length;
  const linesNeeded = inputs.reduce((n, i) => n + i.lines.filter((l) => l.id == null).length, 0);
  let nextNumber = numbersNeeded ? await deps.db.nextId(orgId, "Order", numbersNeeded) : 0;
  let nextLine = linesNeeded ? await deps.db.nextId(orgId, "OrderLine", linesNeeded) : 0;
  return inputs.map((i) => ({
    number: i.number ?? nextNumber++,
    lineIds: i.lines.filter((l) => l.id == null).map(() => nextLine++),
  }));
}

export async function createOrder(deps: Deps, org: Organization, input: CreateOrderInput, actor: Actor): Promise<Order> {
  const valid = validateCreateOrder(input);
  const [ids] = await reserveIds(deps, org.id, [valid]);
  const order = await buildOrder(deps, org, valid, actor, ids!);
  const items = newOrderItems(order);
  const transact: TransactItem[] = [
    { Put: { Item: items.order, ConditionExpression: "attribute_not_exists(pk)" } },
    ...items.guards.map((g) => ({ Put: { Item: g.item, ConditionExpression: "attribute_not_exists(pk)" } })),
    { Put: { Item: items.event } },
    { Put: { Item: items.syncEntry } },
  ];
  try {
    await deps.db.transact(transact);
  } catch (error) {
    if (error instanceof ConflictError) {
      const failed = (error as ConflictError & { failedIndexes?: number[] }).failedIndexes ?? [];
      const labels = failed.map((i) => (i === 0 ? `order id ${order.uuid}` : items.guards[i - 1]?.label)).filter(Boolean);
      const path = failed.map((i) => (i === 0 ? "id" : ["number", "senteraId", "accountOrderNumber"][i - 1])).filter(Boolean) as string[];
      throw new ConflictError(`${labels.join(" and ") || "an identifier of this order"} already exists in this organization`, { path: path.slice(0, 1) });
    }
    throw error;
  }
  return order;
}

/**
 * Bulk load (migrations, benchmarks, demo volume): the very items createOrder writes, sent with
 * BatchWriteItem (25 per request) instead of one transaction per order. Batch writes carry no
 * conditions, so uniqueness is checked only inside the batch: use it for identifiers known to be
 * new in the organization (e.g. a fresh organization, numbers assigned here).
 */
export async function bulkLoadOrders(deps: Deps, org: Organization, inputs: CreateOrderInput[], actor: Actor): Promise<Order[]> {
  const valid = inputs.map((input, i) => {
    try {
      return validateCreateOrder(input);
    } catch (error) {
      if (error instanceof ValidationError) throw new ValidationError(`orders[${i}]: ${error.message}`, { path: [String(i), ...((error.details.path as string[]) ?? [])] });
      throw error;
    }
  });
  const ids = await reserveIds(deps, org.id, valid);
  const orders = await Promise.all(valid.map((v, i) => buildOrder(deps, org, v, actor, ids[i]!)));
  const seen = new Set<string>();
  const items: Item[] = [];
  for (const order of orders) {
    const parts = newOrderItems(order);
    for (const g of parts.guards) {
      const id = `${g.item.pk}`;
      if (seen.has(id)) throw new ConflictError(`${g.label} appears twice in the batch`);
      seen.add(id);
    }
    items.push(parts.order, ...parts.guards.map((g) => g.item), parts.event, parts.syncEntry);
  }
  // Parallel streams of BatchWriteItem (each retries its unprocessed items).
  const streams = 8;
  const per = Math.ceil(items.length / streams / 25) * 25 || 25;
  const slices: Item[][] = [];
  for (let i = 0; i < items.length; i += per) slices.push(items.slice(i, i + per));
  await Promise.all(slices.map((slice) => deps.db.batchPut(slice)));
  return orders;
}

// ---------------------------------------------------------------------------------------------
// reads

export async function getOrder(deps: Deps, orgId: number, uuid: string, opts: { consistent?: boolean } = {}): Promise<Order | undefined> {
  const item = await deps.db.get(orderKeys.order(orgId, uuidHex(uuid)), opts);
  return item ? decodeOrder(item) : undefined;
}

/** Orders by UUID, in any order; missing ones are skipped. */
export async function getOrders(deps: Deps, orgId: number, uuids: string[]): Promise<Order[]> {
  const items = await deps.db.batchGet(uuids.map((u) => orderKeys.order(orgId, uuidHex(u))));
  return items.map(decodeOrder);
}

async function uuidFromGuard(deps: Deps, key: { pk: string; sk: string }, consistent: boolean): Promise<string | undefined> {
  const guard = await deps.db.get<{ orderUuid?: string; deleted?: boolean }>(key, { consistent });
  return guard && !guard.deleted ? guard.orderUuid : undefined;
}

/**
 * The order any of its identifiers names, in the caller's organization. When several are given
 * they must name the same order (API-CONTRACT I-61): otherwise CONFLICT.
 */
export async function findOrder(deps: Deps, orgId: number, ref: OrderRef, opts: { consistent?: boolean } = {}): Promise<Order | undefined> {
  const consistent = opts.consistent ?? false;
  const candidates: Array<Promise<string | undefined>> = [];
  if (ref.id != null) {
    const uuid = parseOrderId(ref.id);
    if (!uuid) throw new ValidationError(`"${ref.id}" is not an order id (32 hex characters or order_<uuid>)`, { path: ["id"] });
    candidates.push(Promise.resolve(uuid));
  }
  if (ref.number != null) candidates.push(uuidFromGuard(deps, orderKeys.byNumber(orgId, ref.number), consistent));
  if (ref.accountOrderNumber != null) candidates.push(uuidFromGuard(deps, orderKeys.byAccountOrderNumber(orgId, ref.accountOrderNumber), consistent));
  if (ref.senteraId != null) candidates.push(uuidFromGuard(deps, orderKeys.bySenteraId(orgId, ref.senteraId), consistent));
  if (candidates.length === 0) throw new ValidationError("give an order id or number", { path: [] });
  const uuids = await Promise.all(candidates);
  if (uuids.some((u) => u === undefined)) return undefined;
  if (new Set(uuids).size > 1) throw new ConflictError("the given order identifiers name different orders");
  return getOrder(deps, orgId, uuids[0]!, { consistent });
}

export async function requireOrder(deps: Deps, orgId: number, ref: OrderRef, opts: { consistent?: boolean } = {}): Promise<Order> {
  const order = await findOrder(deps, orgId, ref, opts);
  if (!order) throw new NotFoundError(`order ${describeRef(ref)} not found`);
  return order;
}

export const describeRef = (ref: OrderRef) =>
  ref.number != null ? String(ref.number) : ref.id != null ? ref.id : ref.accountOrderNumber != null ? ref.accountOrderNumber : (ref.senteraId ?? "");

export interface OrderListFilter {
  status?: Order["status"] | null;
  channel?: Order["channel"] | null;
  /** On-hold orders are left out unless asked for (API-CONTRACT H3). */
  isOnHold?: boolean | null;
}

/** Orders of an organization by number (gsi1), filtered, one page of `limit` (page is 1-based). */
export async function listOrders(deps: Deps, orgId: number, filter: OrderListFilter, opts: { limit: number; page: number; descending?: boolean }): Promise<Order[]> {
  const want = opts.limit * opts.page;
  const names: Record<string, string> = { "#hold": "isOnHold" };
  const values: Record<string, unknown> = { ":hold": filter.isOnHold ?? false };
  const clauses = ["#hold = :hold"];
  if (filter.status) {
    names["#st"] = "status";
    values[":st"] = filter.status;
    clauses.push("#st = :st");
  }
  if (filter.channel) {
    names["#ch"] = "channel";
    values[":ch"] = filter.channel;
    clauses.push("#ch = :ch");
  }
  const items = await deps.db.queryAll({
    index: "gsi1",
    pk: orderKeys.listByNumberPk(orgId),
    forward: !opts.descending,
    limit: want,
    filter: { expression: clauses.join(" AND "), names, values },
  });
  return items.slice((opts.page - 1) * opts.limit, want).map(decodeOrder);
}

export async function listOrderEvents(deps: Deps, order: Pick<Order, "orgId" | "uuid">): Promise<OrderEvent[]> {
  const items = await deps.db.queryAll({ pk: orderKeys.orderPk(order.orgId, uuidHex(order.uuid)), skBeginsWith: "EVENT#" });
  return items.map(decodeEvent);
}

// ---------------------------------------------------------------------------------------------
// change

/** What a command did to the draft: the history entry, and guard changes it needs. */
export interface OrderChange {
  type: OrderEventType;
  message?: string | null;
  /** Extra transaction items (e.g. a guard for a new accountOrderNumber). */
  extra?: TransactItem[];
}

/**
 * Applies a command to an order: reads it (strongly consistent), lets `apply` change a copy and
 * describe the change (or return null for "nothing to do"), then commits the new version with
 * its event, hash and sync entry in one transaction conditioned on the version that was read.
 */
export async function updateOrder(
  deps: Deps,
  orgId: number,
  ref: OrderRef,
  apply: (draft: Order, current: Order) => OrderChange | null,
  actor: Actor,
  opts: { expectedVersion?: number } = {},
): Promise<Order> {
  const current = await requireOrder(deps, orgId, ref, { consistent: true });
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== current.version) {
    throw new ConflictError(`order ${current.number} is at version ${current.version}, not ${opts.expectedVersion}; read it again`, { version: current.version });
  }
  const draft: Order = structuredClone(current);
  const change = apply(draft, current);
  if (!change) return current;
  return commit(deps, current, draft, change, actor);
}

async function commit(deps: Deps, current: Order, draft: Order, change: OrderChange, actor: Actor): Promise<Order> {
  const now = deps.now().toISOString();
  draft.version = current.version + 1;
  draft.updatedAt = now;
  draft.updatedBy = actor;
  draft.hashHistory = [current.contentHash, ...current.hashHistory.filter((h) => h !== current.contentHash)].slice(0, HASH_HISTORY_LIMIT);
  draft.contentHash = contentHash(draft);
  const event: OrderEvent = { version: draft.version, type: change.type, message: change.message ?? null, at: now, by: actor, contentHash: draft.contentHash };
  await deps.db.transact(
    [
      { Put: { Item: encodeOrder(draft), ConditionExpression: "#v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":v": current.version } } },
      { Put: { Item: encodeEvent(draft, event), ConditionExpression: "attribute_not_exists(pk)" } },
      { Put: { Item: encodeSyncEntry(draft) } },
      ...(change.extra ?? []),
    ],
    `order ${current.number} was changed by someone else at the same time (version ${current.version} is no longer current); read it again and retry`,
  );
  return draft;
}

// ---------------------------------------------------------------------------------------------
// deletion

/**
 * Deletes an order, leaving a tombstone in the sync index (sentera_id, last hash, earlier hashes,
 * time) so sync_orders can tell clients that hold it. number and sentera_id stay reserved (their
 * guards are marked deleted); the merchant's accountOrderNumber is released for reuse.
 */
export async function deleteOrder(deps: Deps, orgId: number, ref: OrderRef, actor: Actor, opts: { expectedVersion?: number } = {}): Promise<OrderTombstone> {
  const order = await requireOrder(deps, orgId, ref, { consistent: true });
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== order.version) {
    throw new ConflictError(`order ${order.number} is at version ${order.version}, not ${opts.expectedVersion}; read it again`, { version: order.version });
  }
  const now = deps.now().toISOString();
  const tombstone: OrderTombstone = {
    orgId,
    senteraId: order.senteraId,
    contentHash: order.contentHash,
    hashHistory: order.hashHistory.slice(0, HASH_HISTORY_LIMIT),
    deletedAt: now,
  };
  const markDeleted = (key: { pk: string; sk: string }): TransactItem => ({
    Update: {
      Key: key,
      UpdateExpression: "SET deleted = :t",
      ConditionExpression: "orderUuid = :u",
      ExpressionAttributeValues: { ":t": true, ":u": order.uuid },
    },
  });
  await deps.db.transact(
    [
      { Delete: { Key: orderItemKey(order), ConditionExpression: "#v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":v": order.version } } },
      { Put: { Item: encodeEvent(order, { version: order.version + 1, type: "DELETED", message: null, at: now, by: actor, contentHash: order.contentHash }), ConditionExpression: "attribute_not_exists(pk)" } },
      { Put: { Item: encodeTombstoneEntry(tombstone) } },
      markDeleted(orderKeys.byNumber(orgId, order.number)),
      markDeleted(orderKeys.bySenteraId(orgId, order.senteraId)),
      ...(order.accountOrderNumber
        ? [{ Delete: { Key: orderKeys.byAccountOrderNumber(orgId, order.accountOrderNumber), ConditionExpression: "orderUuid = :u", ExpressionAttributeValues: { ":u": order.uuid } } }]
        : []),
    ],
    `order ${order.number} was changed by someone else at the same time; read it again and retry`,
  );
  return tombstone;
}
