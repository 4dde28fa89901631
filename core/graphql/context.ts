/**
 * What a resolver receives. The per-request state is created by the entry point (one object per
 * request, passed to yoga as server context) and filled by the host's plugins: the principal by
 * authentication, the cost by the analysis that runs before execution, and the permissions as
 * resolvers exercise them.
 */
import type { Deps } from "../deps.ts";
import type { Principal } from "../auth/api-keys.ts";
import type { Organization } from "../auth/organizations.ts";
import { ForbiddenError, DomainError } from "../errors.ts";
import { objectId } from "../ids.ts";

export interface RequestState {
  /** 24-hex id of this request (ShipHero `request_id`; also the x-request-id header). */
  requestId: string;
  principal: Principal | null;
  /** Cost of the executed operation, computed before execution. */
  complexity: number;
  /** Permissions exercised, in first-use order (extensions.permissionsUsed). */
  permissionsUsed: string[];
}

export interface ServerContext {
  deps: Deps;
  state: RequestState;
}

export type GraphQLContext = ServerContext;

export function newRequestState(deps: Deps): RequestState {
  return { requestId: objectId(deps.now()), principal: null, complexity: 0, permissionsUsed: [] };
}

/** Records a permission as used, after checking the key grants it. */
export function usePermission(ctx: GraphQLContext, permission: string): void {
  const { state } = ctx;
  const principal = state.principal;
  if (!principal || !principal.grants.allows(permission)) {
    throw new ForbiddenError(`Missing permission ${permission}`, { permission });
  }
  if (!state.permissionsUsed.includes(permission)) state.permissionsUsed.push(permission);
}

/** The caller's organization; the bootstrap key has none and may only manage organizations. */
export function callerOrg(ctx: GraphQLContext): Organization {
  const org = ctx.state.principal?.org;
  if (!org) throw new DomainError("FORBIDDEN", "This operation needs a key of an organization (the bootstrap key can only create organizations and keys)");
  return org;
}
