/**
 * Every key of the single table is built here and nowhere else. Tenant data lives under
 * partition keys that start with `T#<organizationId>`, so no Query can cross tenants by accident.
 * The only global partitions are the entry points that must be found before the tenant is known:
 * API keys (by hash), organizations by sentera_id, and the global organization counter.
 * docs/data-model.md lists every access pattern.
 */
const pad = (n: number, width = 10) => String(n).padStart(width, "0");

/** Partition-key prefix of everything an organization owns. */
export const tenant = (orgId: number) => `T#${orgId}`;

export const keys = {
  // --- global entry points -------------------------------------------------------------
  /** API key, found by the SHA-256 of the presented secret. */
  apiKey: (secretHash: string) => ({ pk: `APIKEY#${secretHash}`, sk: "KEY" }),
  /** Uniqueness guard and lookup of an organization by its sentera_id. */
  orgBySenteraId: (senteraId: string) => ({ pk: `SENTERA_ORG#${senteraId}`, sk: "ORG" }),
  /** Counter of organization ids (organizations are numbered globally: `Account:<n>`). */
  globalCounter: (name: string) => ({ pk: "GLOBAL#COUNTERS", sk: name }),

  // --- organizations (tenants) ---------------------------------------------------------
  org: (orgId: number) => ({ pk: tenant(orgId), sk: "ORG" }),
  /** gsi1: an organization's subtree is a begins_with on its materialized path. */
  orgTree: (rootId: number, path: string) => ({ gsi1pk: `ORGTREE#${rootId}`, gsi1sk: path }),
  /** Materialized path segment: fixed width so lexical order = tree order. */
  orgPathSegment: (orgId: number) => `${pad(orgId)}/`,
  /** API keys of an organization, for listing and revoking (the key item itself is global). */
  orgApiKey: (orgId: number, keyId: string) => ({ pk: `${tenant(orgId)}#APIKEYS`, sk: keyId }),

  // --- per-tenant integer id counters ---------------------------------------------------
  counter: (orgId: number, entity: string) => ({ pk: `${tenant(orgId)}#COUNTERS`, sk: entity }),

  // --- uniqueness guards (written in the same transaction as the entity) ---------------
  unique: (orgId: number, kind: string, value: string) => ({ pk: `${tenant(orgId)}#UNIQUE#${kind}#${value}`, sk: "U" }),
};

export type TableKey = { pk: string; sk: string };
export { pad };
