/**
 * sync_orders (seed 000, API-CONTRACT A1 / 4.5): stateless content-hash sync.
 *
 * The server reads only the compact sync index of the organization(s): one ~85-byte entry per
 * order (sentera_id, current hash, status code) or tombstone (plus its earlier hashes), spread
 * over 8 shard partitions that are read in parallel. With the client's hashes in a Set it computes
 * the out-of-sync set = live orders whose hash the client lacks ∪ tombstones for which the client
 * holds the last or any earlier hash; sorts it by (sentera_id, organization) for a stable order;
 * returns the first 2,000 and counts the rest exactly. Only the returned live orders are read in
 * full. A client that keeps calling with its updated hash set converges; nothing is kept per client.
 */
import type { Deps } from "../deps.ts";
import { orderKeys } from "../db/keys.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";
import { getOrganizationBySenteraId, organizationSubtree, reaches, type Organization } from "../auth/organizations.ts";
import { decodeOrder, OrderDecodeError } from "../orders/codec.ts";
import type { Order } from "../orders/model.ts";
import { pool } from "../pool.ts";

export const SYNC_BATCH_SIZE = 2000;
/** Parallel index reads (shards × organizations). */
const READ_CONCURRENCY = 32;

export interface SyncOrdersArgs {
  organizationSenteraId: string;
  contentHashes: readonly string[];
  includeDescendants?: boolean;
}

export interface DeletedSyncItem {
  kind: "deleted";
  senteraId: string;
  contentHash: string;
  orgId: number;
}

export interface SyncFailure {
  senteraId: string | null;
  contentHash: string | null;
  message: string;
}

export interface SyncOrdersResult {
  upserted: Order[];
  deleted: DeletedSyncItem[];
  failed: SyncFailure[];
  remainingCount: number;
}

interface Entry {
  orgId: number;
  senteraId: string;
  hash: string;
  deleted: boolean;
}

/** The organization to sync: must exist (NOT_FOUND) and be the caller's or a descendant (FORBIDDEN). */
export async function resolveSyncOrganization(deps: Deps, caller: Organization, senteraId: string): Promise<Organization> {
  const org = await getOrganizationBySenteraId(deps, senteraId);
  if (!org) throw new NotFoundError(`organization ${senteraId} not found`, { argument: "organization_sentera_id" });
  if (!reaches(caller, org)) {
    // No detail about the other tenant: only that the caller may not sync it.
    throw new ForbiddenError("organization_sentera_id is neither your organization nor one of its descendants", { argument: "organization_sentera_id" });
  }
  return org;
}

/** Every index entry that is out of sync with the client's hashes. */
async function outOfSyncEntries(deps: Deps, orgIds: number[], held: ReadonlySet<string>): Promise<Entry[]> {
  const tasks = orgIds.flatMap((orgId) =>
    Array.from({ length: orderKeys.syncShards }, (_, shard) => async () => {
      const found: Entry[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await deps.db.query<{ sk: string; h?: string; d?: number; hh?: string }>({
          pk: orderKeys.syncShardPk(orgId, shard),
          attributes: ["h", "d", "hh"],
          startKey,
        });
        for (const item of page.items) {
          const hash = item.h ?? "";
          if (item.d) {
            if (held.has(hash) || heldAnyPacked(item.hh, held)) found.push({ orgId, senteraId: item.sk, hash, deleted: true });
          } else if (!held.has(hash)) {
            found.push({ orgId, senteraId: item.sk, hash, deleted: false });
          }
        }
        startKey = page.lastKey;
      } while (startKey);
      return found;
    }),
  );
  return (await pool(tasks, READ_CONCURRENCY)).flat();
}

/** Earlier hashes of a tombstone are packed as one string of 16-character hashes. */
function heldAnyPacked(packed: string | undefined, held: ReadonlySet<string>): boolean {
  if (!packed) return false;
  for (let i = 0; i + 16 <= packed.length; i += 16) if (held.has(packed.slice(i, i + 16))) return true;
  return false;
}

/** BatchGetItem in parallel chunks of 100 (Db.batchGet walks its chunks one after another). */
async function batchGetParallel<T>(deps: Deps, keyList: Array<{ pk: string; sk: string }>): Promise<T[]> {
  const chunks: Array<Array<{ pk: string; sk: string }>> = [];
  for (let i = 0; i < keyList.length; i += 100) chunks.push(keyList.slice(i, i + 100));
  return (await pool(chunks.map((c) => () => deps.db.batchGet<T>(c)), READ_CONCURRENCY)).flat();
}

const byStableOrder = (a: Entry, b: Entry) => (a.senteraId < b.senteraId ? -1 : a.senteraId > b.senteraId ? 1 : a.orgId - b.orgId);

/** Reads the returned live orders in full: sentera_id guard → uuid → order item. */
async function loadOrders(deps: Deps, entries: Entry[]): Promise<Map<string, Order | SyncFailure>> {
  const result = new Map<string, Order | SyncFailure>();
  if (entries.length === 0) return result;
  const keyOf = (orgId: number, senteraId: string) => `${orgId}\u0000${senteraId}`;
  const guards = await batchGetParallel<{ pk: string; orderUuid?: string }>(deps, entries.map((e) => orderKeys.bySenteraId(e.orgId, e.senteraId)));
  const uuidByGuard = new Map(guards.map((g) => [g.pk, g.orderUuid]));
  const wanted: Array<{ entry: Entry; uuid: string }> = [];
  for (const entry of entries) {
    const uuid = uuidByGuard.get(orderKeys.bySenteraId(entry.orgId, entry.senteraId).pk);
    if (uuid) wanted.push({ entry, uuid });
  }
  const items = await batchGetParallel<Record<string, unknown>>(deps, wanted.map((w) => orderKeys.order(w.entry.orgId, w.uuid.replaceAll("-", ""))));
  const itemByPk = new Map(items.map((i) => [i.pk as string, i]));
  for (const { entry, uuid } of wanted) {
    const item = itemByPk.get(orderKeys.order(entry.orgId, uuid.replaceAll("-", "")).pk);
    if (!item) continue; // deleted meanwhile: the next call reports its tombstone
    try {
      result.set(keyOf(entry.orgId, entry.senteraId), decodeOrder(item));
    } catch (error) {
      const message = error instanceof OrderDecodeError ? error.message : "the order could not be read";
      result.set(keyOf(entry.orgId, entry.senteraId), { senteraId: entry.senteraId, contentHash: entry.hash || null, message });
    }
  }
  return result;
}

export async function syncOrders(deps: Deps, caller: Organization, args: SyncOrdersArgs, opts: { batchSize?: number } = {}): Promise<SyncOrdersResult> {
  const batchSize = opts.batchSize ?? SYNC_BATCH_SIZE;
  const org = await resolveSyncOrganization(deps, caller, args.organizationSenteraId);
  const orgs = args.includeDescendants ? await organizationSubtree(deps, org) : [org];
  // Garbage and duplicates are harmless: they simply never match (a Set keeps this linear).
  const held = new Set(args.contentHashes);
  const pending = (await outOfSyncEntries(deps, orgs.map((o) => o.id), held)).sort(byStableOrder);
  const batch = pending.slice(0, batchSize);
  const loaded = await loadOrders(deps, batch.filter((e) => !e.deleted));
  const result: SyncOrdersResult = { upserted: [], deleted: [], failed: [], remainingCount: pending.length - batch.length };
  for (const entry of batch) {
    if (entry.deleted) {
      result.deleted.push({ kind: "deleted", senteraId: entry.senteraId, contentHash: entry.hash, orgId: entry.orgId });
      continue;
    }
    const order = loaded.get(`${entry.orgId}\u0000${entry.senteraId}`);
    if (!order) continue;
    if ("message" in order) result.failed.push(order);
    else if (!held.has(order.contentHash)) result.upserted.push(order);
  }
  return result;
}
