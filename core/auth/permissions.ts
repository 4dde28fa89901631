/**
 * Permission strings `<Type>[.<field>]:<read|write>` (API-CONTRACT 1.1). A key's grants may use `*`
 * as a wildcard: `*` grants everything, `*:read` every read, `Order*:read` `Order:read` and every
 * `Order.<field>:read`. A type grant does not imply its field grants (fields such as addresses are
 * guarded separately on purpose), unless the grant's wildcard says so.
 */
const PERMISSION = /^[A-Z][A-Za-z]*(\.[a-z][A-Za-z]*)?:(read|write)$/;
const GRANT = /^[A-Za-z.*]+(:(read|write|\*))?$|^\*$/;

export const isPermission = (value: string) => PERMISSION.test(value);
export const isGrant = (value: string) => GRANT.test(value) && (value === "*" || value.includes(":"));

export class Grants {
  private readonly exact = new Set<string>();
  private readonly patterns: RegExp[] = [];
  private readonly cache = new Map<string, boolean>();

  constructor(readonly list: readonly string[]) {
    for (const grant of list) {
      if (grant.includes("*")) {
        const source = grant.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
        this.patterns.push(new RegExp(`^${source}$`));
      } else {
        this.exact.add(grant);
      }
    }
  }

  allows(permission: string): boolean {
    let allowed = this.cache.get(permission);
    if (allowed === undefined) {
      allowed = this.exact.has(permission) || this.patterns.some((p) => p.test(permission));
      this.cache.set(permission, allowed);
    }
    return allowed;
  }
}

/** Named permission sets the admin API and the demo data hand out. */
export const PERMISSION_SETS = {
  admin: ["*"],
  readOnly: ["*:read"],
} as const;
