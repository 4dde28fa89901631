/**
 * API keys: random secrets shown once, stored only as SHA-256 hashes. A key belongs to one
 * organization, acts as one user (its `User:<n>` id), and carries permission grants.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Deps } from "../deps.ts";
import { keys } from "../db/keys.ts";
import { objectId } from "../ids.ts";
import { Grants, isGrant } from "./permissions.ts";
import { getOrganization, type Organization } from "./organizations.ts";

export interface ApiKeyRecord {
  keyId: string;
  orgId: number;
  userId: number;
  name: string;
  permissions: string[];
  createdAt: string;
  revokedAt?: string;
}

export interface Principal {
  keyId: string;
  userId: number;
  /** null for the deployment's bootstrap key, which reaches every organization. */
  org: Organization | null;
  grants: Grants;
}

export const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");
export const newSecret = () => `cok_${randomBytes(32).toString("base64url")}`;

export function validateApiKeyInput(input: { name: string; permissions: string[]; secret?: string }): Array<{ field: string; message: string }> {
  const errors: Array<{ field: string; message: string }> = [];
  if (!input.name || input.name.length > 200) errors.push({ field: "name", message: "name must be 1 to 200 characters" });
  if (input.permissions.length === 0) errors.push({ field: "permissions", message: "at least one permission is required" });
  input.permissions.forEach((p, i) => {
    if (!isGrant(p)) errors.push({ field: `permissions.${i}`, message: `"${p}" is not a permission (<Type>[.<field>]:<read|write>, '*' as a wildcard)` });
  });
  if (input.secret !== undefined && (input.secret.length < 16 || input.secret.length > 200)) errors.push({ field: "secret", message: "a chosen secret must be 16 to 200 characters" });
  return errors;
}

/** Creates a key; returns the record and the secret (the only time it is available). */
export async function createApiKey(
  deps: Deps,
  input: { orgId: number; name: string; permissions: string[]; secret?: string },
): Promise<{ record: ApiKeyRecord; secret: string }> {
  const secret = input.secret ?? newSecret();
  const userId = await deps.db.nextId(input.orgId, "User");
  const record: ApiKeyRecord = {
    keyId: objectId(deps.now()),
    orgId: input.orgId,
    userId,
    name: input.name,
    permissions: [...new Set(input.permissions)],
    createdAt: deps.now().toISOString(),
  };
  const hash = hashSecret(secret);
  await deps.db.transact(
    [
      { Put: { Item: { ...keys.apiKey(hash), type: "ApiKey", ...record }, ConditionExpression: "attribute_not_exists(pk)" } },
      { Put: { Item: { ...keys.orgApiKey(input.orgId, record.keyId), type: "ApiKeyRef", hash, ...record } } },
      { ConditionCheck: { Key: keys.org(input.orgId), ConditionExpression: "attribute_exists(pk)" } },
    ],
    "that secret is already in use, or the organization does not exist",
  );
  return { record, secret };
}

export async function listApiKeys(deps: Deps, orgId: number): Promise<ApiKeyRecord[]> {
  const items = await deps.db.queryAll({ pk: keys.orgApiKey(orgId, "").pk });
  return items as unknown as ApiKeyRecord[];
}

export async function revokeApiKey(deps: Deps, orgId: number, keyId: string): Promise<ApiKeyRecord | undefined> {
  const ref = await deps.db.get<ApiKeyRecord & { hash: string }>(keys.orgApiKey(orgId, keyId));
  if (!ref) return undefined;
  const revokedAt = deps.now().toISOString();
  await deps.db.transact([
    { Update: { Key: keys.apiKey(ref.hash), UpdateExpression: "SET revokedAt = :t", ExpressionAttributeValues: { ":t": revokedAt } } },
    { Update: { Key: keys.orgApiKey(orgId, keyId), UpdateExpression: "SET revokedAt = :t", ExpressionAttributeValues: { ":t": revokedAt } } },
  ]);
  cache.clear();
  return { ...ref, revokedAt };
}

// Keys are looked up on every request; a short per-process cache keeps that to memory. A
// revocation therefore takes effect within CACHE_MS on other warm processes.
const CACHE_MS = 30_000;
const cache = new Map<string, { at: number; principal: Principal | null }>();

export async function authenticate(deps: Deps, secret: string | undefined): Promise<Principal | null> {
  if (!secret || secret.length > 500) return null;
  const hash = hashSecret(secret);
  const hit = cache.get(hash);
  const now = Date.now();
  if (hit && now - hit.at < CACHE_MS) return hit.principal;
  const principal = await lookup(deps, secret, hash);
  if (cache.size > 10_000) cache.clear();
  cache.set(hash, { at: now, principal });
  return principal;
}

async function lookup(deps: Deps, secret: string, hash: string): Promise<Principal | null> {
  const record = await deps.db.get<ApiKeyRecord>(keys.apiKey(hash));
  if (record && !record.revokedAt) {
    const org = await getOrganization(deps, record.orgId);
    if (!org) return null;
    return { keyId: record.keyId, userId: record.userId, org, grants: new Grants(record.permissions) };
  }
  const bootstrap = deps.config.adminApiKey;
  if (!record && bootstrap && bootstrap.length === secret.length && timingSafeEqual(Buffer.from(bootstrap), Buffer.from(secret))) {
    // The deployment's first key (an SST secret): it can only create organizations and keys.
    return { keyId: "bootstrap", userId: 0, org: null, grants: new Grants(["Organization:*", "ApiKey:*"]) };
  }
  return null;
}

export function clearAuthCache(): void {
  cache.clear();
}
