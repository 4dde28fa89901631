/**
 * Inventory sync batches: one item per batch in its own partition (with its chunks' row statuses
 * and its rows' ledger entries beside it), listed newest first through gsi2 (per organization) and gsi1 (per
 * warehouse). A batch belongs to the organization that owns its warehouse; a parent organization
 * sees (and may abort) the batches of its descendants, as a 3PL sees its customers' uploads.
 *
 * Lifecycle: pending → processing → success | error | aborted (API-CONTRACT 4.4).
 */
import type { Deps } from "../deps.ts";
import { inventoryKeys } from "../db/keys.ts";
import { isConditionFailure } from "../db/errors.ts";
import { ConflictError, DomainError, NotFoundError } from "../errors.ts";
import { objectId } from "../ids.ts";
import { organizationSubtree, type Organization } from "../auth/organizations.ts";
import { chunkCounts } from "./row-status.ts";

export type BatchStatus = "pending" | "processing" | "success" | "error" | "aborted";
export const TERMINAL: readonly BatchStatus[] = ["success", "error", "aborted"];

export interface Batch {
  id: string;
  orgId: number;
  warehouseId: number;
  userId: number | null;
  customerAccountId: number | null;
  url: string;
  /** "url" (inventory_sync) or "s3" (a file dropped into the bucket). */
  source: "url" | "s3";
  /** Bucket key of the file once it is in the bucket. */
  objectKey: string | null;
  status: BatchStatus;
  error: string | null;
  abortReason: string | null;
  totalCount: number;
  successCount: number;
  errorCount: number;
  finishedCount: number;
  /** True once the whole file was read and every chunk was queued. */
  parsed: boolean;
  createdAt: string;
  updatedAt: string;
}

export function batchOf(item: Record<string, unknown>): Batch {
  return {
    id: item.id as string,
    orgId: item.orgId as number,
    warehouseId: item.warehouseId as number,
    userId: (item.userId as number | null | undefined) ?? null,
    customerAccountId: (item.customerAccountId as number | null | undefined) ?? null,
    url: item.url as string,
    source: item.source as "url" | "s3",
    objectKey: (item.objectKey as string | null | undefined) ?? null,
    status: item.status as BatchStatus,
    error: (item.error as string | null | undefined) ?? null,
    abortReason: (item.abortReason as string | null | undefined) ?? null,
    totalCount: (item.totalCount as number | undefined) ?? 0,
    successCount: (item.successCount as number | undefined) ?? 0,
    errorCount: (item.errorCount as number | undefined) ?? 0,
    finishedCount: (item.finishedCount as number | undefined) ?? 0,
    parsed: item.parsed === true,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

/** created_at of a batch = the time embedded in its ObjectId (API-CONTRACT 1.5), to the second. */
export function idTime(id: string): string {
  return new Date(parseInt(id.slice(0, 8), 16) * 1000).toISOString();
}

export interface NewBatch {
  id?: string;
  /** Defaults to the time embedded in the id; ms precision keeps batches of one second in order. */
  createdAt?: string;
  orgId: number;
  warehouseId: number;
  userId: number | null;
  customerAccountId?: number | null;
  url: string;
  source: "url" | "s3";
  objectKey?: string | null;
  /** Demo data: a finished batch as documented. */
  fixed?: Partial<Pick<Batch, "status" | "error" | "totalCount" | "successCount" | "errorCount" | "finishedCount" | "parsed" | "updatedAt">>;
}

/** Writes a new batch; `created: false` when a batch with this id already exists (a redelivered drop). */
export async function createBatch(deps: Deps, input: NewBatch): Promise<{ batch: Batch; created: boolean }> {
  const now = deps.now();
  const id = input.id ?? objectId(now);
  const createdAt = input.createdAt ?? (input.id ? idTime(id) : now.toISOString());
  const batch: Batch = {
    id,
    orgId: input.orgId,
    warehouseId: input.warehouseId,
    userId: input.userId,
    customerAccountId: input.customerAccountId ?? null,
    url: input.url,
    source: input.source,
    objectKey: input.objectKey ?? null,
    status: "pending",
    error: null,
    abortReason: null,
    totalCount: 0,
    successCount: 0,
    errorCount: 0,
    finishedCount: 0,
    parsed: false,
    createdAt,
    updatedAt: createdAt,
    ...input.fixed,
  };
  try {
    await deps.db.put(
      {
        ...inventoryKeys.batch(batch.orgId, id),
        ...inventoryKeys.batchList(batch.orgId, createdAt, id),
        ...inventoryKeys.batchByWarehouse(batch.orgId, batch.warehouseId, createdAt, id),
        type: "InventorySyncBatch",
        ...batch,
      },
      { condition: "attribute_not_exists(pk)" },
    );
    return { batch, created: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const existing = await getBatch(deps, batch.orgId, id);
    if (!existing) throw error;
    return { batch: existing, created: false };
  }
}

export async function getBatch(deps: Deps, orgId: number, id: string): Promise<Batch | undefined> {
  if (!/^[0-9a-f]{24}$/.test(id)) return undefined;
  const item = await deps.db.get(inventoryKeys.batch(orgId, id), { consistent: true });
  return item ? batchOf(item) : undefined;
}

/**
 * A batch the caller may see: its own organization's or a descendant's. Ids are checked as
 * opaque strings (I-16): anything that is not one of ours is simply not found.
 */
export async function findBatchForCaller(deps: Deps, caller: Organization, id: string): Promise<Batch> {
  const notFound = () => new NotFoundError(`inventory sync ${id} not found`, { id });
  if (!/^[0-9a-f]{24}$/.test(id)) throw notFound();
  const own = await getBatch(deps, caller.id, id);
  if (own) return own;
  const subtree = (await organizationSubtree(deps, caller)).filter((o) => o.id !== caller.id);
  if (!subtree.length) throw notFound();
  const items = await deps.db.batchGet(subtree.map((o) => inventoryKeys.batch(o.id, id)), { consistent: true });
  if (!items.length) throw notFound();
  return batchOf(items[0]!);
}

export interface BatchListFilter {
  warehouse?: { orgId: number; warehouseId: number };
  status?: string;
  /** Only this organization's batches (customer_account_id filter). */
  orgIds?: number[];
}

/**
 * Newest first across the caller's subtree: each organization's list is read from its gsi2
 * partition (or the warehouse's gsi1 partition) and merged; the cursor is the sort key of the
 * last edge (`<created_at>#<id>`), valid in every partition of the merge.
 */
export async function listBatches(
  deps: Deps,
  caller: Organization,
  filter: BatchListFilter,
  page: { first: number; after?: string },
): Promise<{ batches: Batch[]; hasNextPage: boolean }> {
  const orgs = filter.orgIds ?? (await organizationSubtree(deps, caller)).map((o) => o.id);
  const sources = filter.warehouse
    ? [{ index: "gsi1" as const, pk: inventoryKeys.batchByWarehousePk(filter.warehouse.orgId, filter.warehouse.warehouseId) }]
    : orgs.map((orgId) => ({ index: "gsi2" as const, pk: inventoryKeys.batchListPk(orgId) }));
  const want = page.first + 1;
  const lists = await Promise.all(
    sources.map(async (source) => {
      const out: Batch[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const res = await deps.db.query({
          ...source,
          forward: false,
          limit: want,
          startKey,
          ...(page.after ? { skLessThan: page.after } : {}),
          ...(filter.status ? { filter: { expression: "#st = :st", names: { "#st": "status" }, values: { ":st": filter.status } } } : {}),
        });
        out.push(...res.items.map(batchOf));
        startKey = res.lastKey;
      } while (startKey && out.length < want);
      return out;
    }),
  );
  const merged = lists.flat().sort((a, b) => sortKey(b).localeCompare(sortKey(a)));
  return { batches: merged.slice(0, page.first), hasNextPage: merged.length > page.first };
}

export const sortKey = (b: Pick<Batch, "createdAt" | "id">) => `${b.createdAt}#${b.id}`;

/**
 * Stops a pending or processing batch: rows already applied stay applied, chunks not yet run
 * see the status and skip their rows. Aborting a finished batch is a FAILED_PRECONDITION error.
 */
export async function abortBatch(deps: Deps, batch: Batch, reason: string | null): Promise<Batch> {
  const now = deps.now().toISOString();
  const text = reason?.trim() ? reason.trim().slice(0, 500) : null;
  try {
    const item = await deps.db.update(inventoryKeys.batch(batch.orgId, batch.id), "SET #s = :aborted, abortReason = :r, #e = :e, updatedAt = :now", {
      condition: "#s IN (:pending, :processing)",
      names: { "#s": "status", "#e": "error" },
      values: { ":aborted": "aborted", ":r": text, ":e": text ? `aborted: ${text}` : "aborted", ":now": now, ":pending": "pending", ":processing": "processing" },
    });
    return batchOf(item);
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const current = await getBatch(deps, batch.orgId, batch.id);
    throw new DomainError("FAILED_PRECONDITION", `inventory sync ${batch.id} is already finished (status ${current?.status ?? batch.status}) and cannot be aborted`, {
      status: current?.status,
    });
  }
}

/** pending → processing (a redelivered file event may find it processing already). */
export async function markProcessing(deps: Deps, batch: Batch, objectKey: string): Promise<boolean> {
  try {
    await deps.db.update(inventoryKeys.batch(batch.orgId, batch.id), "SET #s = :processing, objectKey = :k, updatedAt = :now", {
      condition: "#s IN (:pending, :processing)",
      names: { "#s": "status" },
      values: { ":processing": "processing", ":pending": "pending", ":k": objectKey, ":now": deps.now().toISOString() },
    });
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Ends a batch in error (download failure, bad header, unreadable file) unless it is already finished. */
export async function failBatch(deps: Deps, orgId: number, batchId: string, message: string): Promise<void> {
  try {
    await deps.db.update(inventoryKeys.batch(orgId, batchId), "SET #s = :error, #e = :msg, updatedAt = :now", {
      condition: "#s IN (:pending, :processing)",
      names: { "#s": "status", "#e": "error" },
      values: { ":error": "error", ":msg": message.slice(0, 1000), ":now": deps.now().toISOString(), ":pending": "pending", ":processing": "processing" },
    });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/**
 * Records progress of the file reader; `final` marks the file completely read. Returns the batch
 * after the update, or undefined when the batch was aborted/finished meanwhile (stop reading).
 */
export async function recordParsed(deps: Deps, orgId: number, batchId: string, totalCount: number, final: boolean): Promise<Batch | undefined> {
  try {
    const item = await deps.db.update(inventoryKeys.batch(orgId, batchId), `SET totalCount = :n, updatedAt = :now${final ? ", parsed = :t" : ""}`, {
      condition: "#s = :processing",
      names: { "#s": "status" },
      values: { ":n": totalCount, ":now": deps.now().toISOString(), ":processing": "processing", ...(final ? { ":t": true } : {}) },
    });
    return batchOf(item);
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/**
 * Counts a chunk: its status item (row-status.ts chunkStatusItem, which must not exist yet) and
 * the batch's counters in one transaction, so a chunk is counted at most once and its rows appear
 * with the counts. False when the chunk was already counted.
 */
export async function countChunk(deps: Deps, orgId: number, batchId: string, chunkItem: Record<string, unknown>): Promise<boolean> {
  const counts = chunkCounts(chunkItem);
  const now = deps.now().toISOString();
  try {
    await deps.db.transact([
      { Put: { Item: chunkItem, ConditionExpression: "attribute_not_exists(pk)" } },
      {
        Update: {
          Key: inventoryKeys.batch(orgId, batchId),
          UpdateExpression: "ADD successCount :s, errorCount :e, finishedCount :f SET updatedAt = :now",
          ExpressionAttributeValues: { ":s": counts.success, ":e": counts.error, ":f": counts.success + counts.error, ":now": now },
        },
      },
    ]);
    return true;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
}

/**
 * Ends a processing batch whose file is read and whose rows are all finished. Called by both the
 * file reader and the chunk handler (whichever sees the last count); the status condition lets
 * exactly one of them write the final status.
 */
export async function finishIfComplete(deps: Deps, orgId: number, batchId: string): Promise<Batch | undefined> {
  const batch = await getBatch(deps, orgId, batchId);
  if (!batch || batch.status !== "processing" || !batch.parsed || batch.finishedCount < batch.totalCount) return batch;
  const status: BatchStatus = batch.errorCount > 0 || batch.totalCount === 0 ? "error" : "success";
  const error = batch.totalCount === 0 ? "the file has a header but no data rows" : batch.errorCount > 0 ? `error in ${batch.errorCount} out of ${batch.totalCount} rows` : null;
  try {
    const item = await deps.db.update(inventoryKeys.batch(orgId, batchId), "SET #s = :status, #e = :error, updatedAt = :now", {
      condition: "#s = :processing",
      names: { "#s": "status", "#e": "error" },
      values: { ":status": status, ":error": error, ":now": deps.now().toISOString(), ":processing": "processing" },
    });
    return batchOf(item);
  } catch (error) {
    if (isConditionFailure(error)) return getBatch(deps, orgId, batchId);
    throw error;
  }
}
