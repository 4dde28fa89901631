/**
 * The demo dataset: created through the domain code, under the identifiers the seed examples use,
 * so every example can run verbatim against a fresh local host. Each area adds its part here.
 */
import type { Deps } from "../deps.ts";
import { createOrganization, getOrganization } from "../auth/organizations.ts";
import { createApiKey } from "../auth/api-keys.ts";
import { PERMISSION_SETS } from "../auth/permissions.ts";
import { DEMO_ORGS } from "./organizations.ts";
import { seedInventoryDemo } from "./inventory.ts";
import { seedOrdersDemo } from "./orders.ts";
import { seedWholesaleDemo } from "./wholesale.ts";

export interface DemoApiKey {
  organization: string;
  name: string;
  key: string;
  permissions: string[];
}

export interface DemoResult {
  alreadySeeded: boolean;
  apiKeys: DemoApiKey[];
}

export const DEFAULT_LOCAL_API_KEY = "local-admin-key-change-me";

/** Seeds an empty table. On a table that already has the demo organizations it does nothing. */
export async function seedDemo(deps: Deps, opts: { adminKey: string }): Promise<DemoResult> {
  if (await getOrganization(deps, DEMO_ORGS.example.id)) return { alreadySeeded: true, apiKeys: [] };
  const example = await createOrganization(deps, { ...DEMO_ORGS.example });
  const descendant = await createOrganization(deps, { ...DEMO_ORGS.descendant, parentId: example.id });
  const unrelated = await createOrganization(deps, { ...DEMO_ORGS.unrelated });

  const apiKeys: DemoApiKey[] = [];
  const key = async (org: typeof example, name: string, permissions: readonly string[], secret?: string) => {
    const created = await createApiKey(deps, { orgId: org.id, name, permissions: [...permissions], secret });
    apiKeys.push({ organization: org.name, name, key: created.secret, permissions: [...permissions] });
  };
  await key(example, "admin", PERMISSION_SETS.admin, opts.adminKey);
  await key(example, "read-only", PERMISSION_SETS.readOnly);
  await key(descendant, "admin", PERMISSION_SETS.admin);
  await key(unrelated, "admin", PERMISSION_SETS.admin);

  for (const seed of areaSeeds) await seed(deps, { example, descendant, unrelated });
  return { alreadySeeded: false, apiKeys };
}

type Org = Awaited<ReturnType<typeof createOrganization>>;
type AreaSeed = (deps: Deps, orgs: { example: Org; descendant: Org; unrelated: Org }) => Promise<void>;

/** Each area's demo data, in dependency order (catalog and stock before wholesale and orders). */
const areaSeeds: AreaSeed[] = [seedInventoryDemo, seedWholesaleDemo, seedOrdersDemo];
export type { AreaSeed };
