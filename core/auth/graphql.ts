/**
 * Organizations and API keys over GraphQL: enough to bootstrap a deployment (the bootstrap key
 * creates a root organization and its first admin key) and to manage a tenant's subtree.
 */
import type { GraphQLModule } from "../graphql/module.ts";
import { callerOrg, type GraphQLContext } from "../graphql/context.ts";
import { fromGlobalId, toGlobalId } from "../ids.ts";
import { DomainError, NotFoundError, type UserError } from "../errors.ts";
import {
  createOrganization,
  getOrganization,
  getOrganizationBySenteraId,
  organizationSubtree,
  reaches,
  validateOrganizationInput,
  type Organization,
} from "./organizations.ts";
import { createApiKey, listApiKeys, revokeApiKey, validateApiKeyInput, type ApiKeyRecord } from "./api-keys.ts";

const typeDefs = /* GraphQL */ `
  "A tenant. Organizations form a tree; a key reaches its organization and its descendants."
  type Organization @readAs(type: "Organization") {
    "Global id, base64 of Account:<n> (the account_id of inventory sync)."
    id: ID!
    databaseId: Int!
    sentera_id: ID!
    name: String!
    timeZone: String!
    parent: Organization
    children: [Organization!]!
    createdAt: String!
  }

  type ApiKey @readAs(type: "ApiKey") {
    id: ID!
    name: String!
    permissions: [String!]!
    "Global id of the user the key acts as (base64 of User:<n>)."
    user_id: ID!
    organization: Organization!
    createdAt: String!
    revokedAt: String
  }

  "The calling key."
  type Viewer {
    keyId: ID!
    user_id: ID!
    organization: Organization
    permissions: [String!]!
  }

  input OrganizationCreateInput {
    name: String!
    "Global id of the parent; defaults to the caller's organization (the bootstrap key creates roots)."
    parentId: ID
    sentera_id: ID
    timeZone: String
  }

  type OrganizationPayload {
    userErrors: [UserError!]!
    organization: Organization
  }

  input ApiKeyCreateInput {
    "Global id of the organization; defaults to the caller's."
    organizationId: ID
    name: String!
    "Permission grants: <Type>[.<field>]:<read|write>, with * as a wildcard."
    permissions: [String!]!
  }

  type ApiKeyPayload {
    userErrors: [UserError!]!
    apiKey: ApiKey
    "The key's secret: returned once, at creation, and never stored."
    secret: String
  }

  extend type Query {
    viewer: Viewer!
    "The caller's organization and its descendants."
    organizations: [Organization!]! @requires(perm: "Organization:read") @listCost(size: 50)
    organization(id: ID, sentera_id: ID): Organization @requires(perm: "Organization:read")
    apiKeys(organizationId: ID): [ApiKey!]! @requires(perm: "ApiKey:read")
  }

  extend type Mutation {
    createOrganization(input: OrganizationCreateInput!): OrganizationPayload! @requires(perm: "Organization:write")
    createApiKey(input: ApiKeyCreateInput!): ApiKeyPayload! @requires(perm: "ApiKey:write")
    revokeApiKey(id: ID!, organizationId: ID): ApiKeyPayload! @requires(perm: "ApiKey:write")
  }
`;

const inputErrors = (errors: Array<{ field: string; message: string }>): UserError[] =>
  errors.map((e) => ({ message: e.message, path: ["input", ...e.field.split(".")] }));

/** Resolves an optional organization argument to one the caller may act on. */
async function reachableOrg(ctx: GraphQLContext, globalId: string | null | undefined, argument: string): Promise<Organization> {
  const principal = ctx.state.principal!;
  if (globalId == null) return callerOrg(ctx);
  const org = await getOrganization(ctx.deps, fromGlobalId("Account", globalId, argument));
  if (!org || (principal.org && !reaches(principal.org, org))) throw new NotFoundError(`organization ${globalId} not found`, { argument });
  return org;
}

const apiKeyView = (record: ApiKeyRecord) => ({ ...record, __typename: "ApiKey" });

export const tenancyModule: GraphQLModule = {
  name: "tenancy",
  typeDefs,
  resolvers: {
    Organization: {
      id: (org: Organization) => toGlobalId("Account", org.id),
      databaseId: (org: Organization) => org.id,
      sentera_id: (org: Organization) => org.senteraId,
      parent: async (org: Organization, _: unknown, ctx: GraphQLContext) => {
        if (org.parentId == null) return null;
        const parent = await getOrganization(ctx.deps, org.parentId);
        const actor = ctx.state.principal?.org;
        // Ancestors above the caller's own organization are not the caller's to see.
        return parent && (!actor || reaches(actor, parent)) ? parent : null;
      },
      children: async (org: Organization, _: unknown, ctx: GraphQLContext) =>
        (await organizationSubtree(ctx.deps, org)).filter((o) => o.parentId === org.id),
    },
    ApiKey: {
      id: (k: ApiKeyRecord) => k.keyId,
      user_id: (k: ApiKeyRecord) => toGlobalId("User", k.userId),
      organization: async (k: ApiKeyRecord, _: unknown, ctx: GraphQLContext) => getOrganization(ctx.deps, k.orgId),
    },
    Viewer: {
      user_id: (v: { userId: number }) => toGlobalId("User", v.userId),
    },
    Query: {
      viewer: (_: unknown, __: unknown, ctx: GraphQLContext) => {
        const p = ctx.state.principal!;
        return { keyId: p.keyId, userId: p.userId, organization: p.org, permissions: p.grants.list };
      },
      organizations: async (_: unknown, __: unknown, ctx: GraphQLContext) => organizationSubtree(ctx.deps, callerOrg(ctx)),
      organization: async (_: unknown, args: { id?: string | null; sentera_id?: string | null }, ctx: GraphQLContext) => {
        if ((args.id == null) === (args.sentera_id == null)) throw new DomainError("BAD_USER_INPUT", "Give exactly one of id or sentera_id");
        const org = args.id != null ? await getOrganization(ctx.deps, fromGlobalId("Account", args.id, "id")) : await getOrganizationBySenteraId(ctx.deps, args.sentera_id!);
        const actor = ctx.state.principal?.org;
        return org && (!actor || reaches(actor, org)) ? org : null;
      },
      apiKeys: async (_: unknown, args: { organizationId?: string | null }, ctx: GraphQLContext) => {
        const org = await reachableOrg(ctx, args.organizationId, "organizationId");
        return (await listApiKeys(ctx.deps, org.id)).map(apiKeyView);
      },
    },
    Mutation: {
      createOrganization: async (_: unknown, { input }: { input: { name: string; parentId?: string | null; sentera_id?: string | null; timeZone?: string | null } }, ctx: GraphQLContext) => {
        const errors = inputErrors(validateOrganizationInput({ name: input.name, senteraId: input.sentera_id ?? undefined, timeZone: input.timeZone ?? undefined }));
        if (errors.length) return { userErrors: errors, organization: null };
        const principal = ctx.state.principal!;
        let parentId: number | null = null;
        if (input.parentId != null) parentId = (await reachableOrg(ctx, input.parentId, "input.parentId")).id;
        else if (principal.org) parentId = principal.org.id;
        if (input.sentera_id && (await getOrganizationBySenteraId(ctx.deps, input.sentera_id))) {
          return { userErrors: [{ message: `sentera_id ${input.sentera_id} is already in use`, path: ["input", "sentera_id"] }], organization: null };
        }
        const organization = await createOrganization(ctx.deps, { name: input.name, parentId, senteraId: input.sentera_id ?? undefined, timeZone: input.timeZone ?? undefined });
        return { userErrors: [], organization };
      },
      createApiKey: async (_: unknown, { input }: { input: { organizationId?: string | null; name: string; permissions: string[] } }, ctx: GraphQLContext) => {
        const errors = inputErrors(validateApiKeyInput({ name: input.name, permissions: input.permissions }));
        if (errors.length) return { userErrors: errors, apiKey: null, secret: null };
        const principal = ctx.state.principal!;
        const org = await reachableOrg(ctx, input.organizationId, "input.organizationId");
        // A key can hand out only what it holds itself (the bootstrap key hands out anything).
        if (principal.org) {
          const beyond = input.permissions.map((p, i) => ({ p, i })).filter(({ p }) => !principal.grants.allows(p));
          if (beyond.length) {
            return {
              userErrors: beyond.map(({ p, i }) => ({ message: `cannot grant ${p}: the calling key does not hold it`, path: ["input", "permissions", String(i)] })),
              apiKey: null,
              secret: null,
            };
          }
        }
        const { record, secret } = await createApiKey(ctx.deps, { orgId: org.id, name: input.name, permissions: input.permissions });
        return { userErrors: [], apiKey: apiKeyView(record), secret };
      },
      revokeApiKey: async (_: unknown, args: { id: string; organizationId?: string | null }, ctx: GraphQLContext) => {
        const org = await reachableOrg(ctx, args.organizationId, "organizationId");
        const record = await revokeApiKey(ctx.deps, org.id, args.id);
        if (!record) return { userErrors: [{ message: `API key ${args.id} not found`, path: ["id"] }], apiKey: null, secret: null };
        return { userErrors: [], apiKey: apiKeyView(record), secret: null };
      },
    },
  },
};
