/** Small GraphQL readers shared by the inventory tests. */
import type { InventoryEnv } from "./inventory-env.ts";
import { toGlobalId } from "../../core/ids.ts";
import { dropKey } from "../../core/inventory/drop.ts";

export const dropKeyFor = (orgId: number, warehouseId: number, name: string) => dropKey(orgId, warehouseId, name);

export async function batchStatus(env: InventoryEnv, id: string, key = env.keys.admin): Promise<any> {
  const res = await env.gql(key, `{ inventory_sync_status(id: "${id}") { data { id url user_id account_id warehouse_id customer_account_id total_count status error created_at updated_at success_count error_count finished_count abort_reason } } }`);
  if (res.errors) throw new Error(res.errors[0]!.message);
  return res.data!.inventory_sync_status.data;
}

export async function rowsOf(env: InventoryEnv, id: string, key = env.keys.admin): Promise<any[]> {
  const out: any[] = [];
  let after: string | null = null;
  for (;;) {
    const res = await env.gql(key, `query($id: String!, $after: String) { inventory_sync_items_status(id: $id) { data(first: 300, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id row sku quantity action reason location status error } } } } }`, { id, after });
    if (res.errors) throw new Error(res.errors[0]!.message);
    const data = res.data!.inventory_sync_items_status.data;
    out.push(...data.edges.map((e: any) => e.node));
    if (!data.pageInfo.hasNextPage) return out;
    after = data.pageInfo.endCursor;
  }
}

export async function stockOf(env: InventoryEnv, warehouseId: number, sku: string, key = env.keys.admin): Promise<number | null> {
  const res = await env.gql(key, `{ warehouse(id: "${toGlobalId("Warehouse", warehouseId)}") { stock(sku: "${sku}") { on_hand } } }`);
  if (res.errors) throw new Error(res.errors[0]!.message);
  return res.data!.warehouse?.stock?.on_hand ?? null;
}
