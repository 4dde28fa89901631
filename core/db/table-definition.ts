/**
 * The single table's physical shape. Keys are generic; what they hold is decided only by the
 * key builders in ./keys.ts. Shared by the cloud stack and the local host (stacks/definitions.ts).
 */
export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
}

export const TABLE = {
  partitionKey: "pk",
  sortKey: "sk",
  /** Expiring items (idempotency markers, request records) carry epoch seconds here. */
  ttlAttribute: "ttl",
  globalIndexes: [
    // gsi1: secondary lookups inside a tenant (by number, by SKU, by sentera_id, org subtree).
    { name: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
    // gsi2: sparse listings in a tenant (newest-first batch lists, "what is pending").
    { name: "gsi2", partitionKey: "gsi2pk", sortKey: "gsi2sk" },
  ] satisfies IndexDefinition[],
} as const;

export type IndexName = (typeof TABLE.globalIndexes)[number]["name"];
