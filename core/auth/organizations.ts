/**
 * Organizations are the tenants. They form a tree: each stores its materialized path
 * (`0000000007/0000000012/`), so "this organization and its descendants" is one begins_with
 * Query on gsi1, and "may A act on B" is a prefix test of their paths.
 */
import type { Deps } from "../deps.ts";
import { keys, tenant } from "../db/keys.ts";
import { ConflictError, NotFoundError } from "../db/errors.ts";
import { senteraId as newSenteraId } from "../ids.ts";

export interface Organization {
  id: number;
  name: string;
  senteraId: string;
  parentId: number | null;
  rootId: number;
  path: string;
  timeZone: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface CreateOrganizationInput {
  name: string;
  parentId?: number | null;
  senteraId?: string;
  timeZone?: string;
  /** Fixed id (demo data); otherwise the next global id. */
  id?: number;
}

const SENTERA_ID = /^[A-Za-z0-9_-]{8,100}$/;

function decode(item: Record<string, unknown>): Organization {
  return {
    id: item.id as number,
    name: item.name as string,
    senteraId: item.senteraId as string,
    parentId: (item.parentId as number | undefined) ?? null,
    rootId: item.rootId as number,
    path: item.path as string,
    timeZone: (item.timeZone as string | undefined) ?? "UTC",
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    version: item.version as number,
  };
}

export function validateOrganizationInput(input: CreateOrganizationInput): Array<{ field: string; message: string }> {
  const errors: Array<{ field: string; message: string }> = [];
  if (!input.name || input.name.trim().length === 0 || input.name.length > 200) errors.push({ field: "name", message: "name must be 1 to 200 characters" });
  if (input.senteraId !== undefined && !SENTERA_ID.test(input.senteraId)) errors.push({ field: "sentera_id", message: "sentera_id must be 8 to 100 letters, digits, '_' or '-'" });
  if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) errors.push({ field: "timeZone", message: `unknown time zone ${input.timeZone}` });
  return errors;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export async function createOrganization(deps: Deps, input: CreateOrganizationInput): Promise<Organization> {
  const parent = input.parentId != null ? await getOrganization(deps, input.parentId) : undefined;
  if (input.parentId != null && !parent) throw new NotFoundError(`organization ${input.parentId} does not exist`);
  const id = input.id ?? (await deps.db.nextGlobalId("Organization"));
  if (input.id !== undefined) await deps.db.raiseCounter(keys.globalCounter("Organization"), input.id);
  const now = deps.now().toISOString();
  const path = (parent?.path ?? "") + keys.orgPathSegment(id);
  const org: Organization = {
    id,
    name: input.name.trim(),
    senteraId: input.senteraId ?? newSenteraId("OR", input.name, deps.now()),
    parentId: parent?.id ?? null,
    rootId: parent?.rootId ?? id,
    path,
    timeZone: input.timeZone ?? parent?.timeZone ?? "UTC",
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await deps.db.transact(
    [
      {
        Put: {
          Item: { ...keys.org(id), ...keys.orgTree(org.rootId, path), type: "Organization", ...org },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      { Put: { Item: { ...keys.orgBySenteraId(org.senteraId), orgId: id }, ConditionExpression: "attribute_not_exists(pk)" } },
      // The parent must still exist when the child is written.
      ...(parent ? [{ ConditionCheck: { Key: keys.org(parent.id), ConditionExpression: "attribute_exists(pk)" } }] : []),
    ],
    `an organization with id ${id} or sentera_id ${org.senteraId} already exists`,
  );
  return org;
}

export async function getOrganization(deps: Deps, id: number): Promise<Organization | undefined> {
  const item = await deps.db.get(keys.org(id));
  return item ? decode(item) : undefined;
}

export async function getOrganizations(deps: Deps, ids: number[]): Promise<Organization[]> {
  const items = await deps.db.batchGet(ids.map((id) => keys.org(id)));
  return items.map(decode);
}

export async function getOrganizationBySenteraId(deps: Deps, senteraId: string): Promise<Organization | undefined> {
  const guard = await deps.db.get<{ orgId: number }>(keys.orgBySenteraId(senteraId));
  return guard ? getOrganization(deps, guard.orgId) : undefined;
}

/** The organization and all its descendants, in tree order. */
export async function organizationSubtree(deps: Deps, org: Organization): Promise<Organization[]> {
  const tree = keys.orgTree(org.rootId, org.path);
  const items = await deps.db.queryAll({ index: "gsi1", pk: tree.gsi1pk, skBeginsWith: tree.gsi1sk });
  return items.map(decode);
}

/** May an actor of organization `actor` act on `target`? Only on itself and its descendants. */
export const reaches = (actor: Pick<Organization, "path">, target: Pick<Organization, "path">) => target.path.startsWith(actor.path);

export { tenant, ConflictError };
