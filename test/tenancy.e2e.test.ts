/**
 * The foundation as a client meets it, over HTTP on the real local host (`npm start`):
 * authentication, tenant reach (an organization and its descendants, never a sibling), permissions,
 * cost and size limits, the seeds' unused fragments, extensions, GraphiQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalHostProcess, type LocalHostProcess } from "./support/local-host.ts";

let host: LocalHostProcess;
let admin: string;
let readOnly: string;
let unrelated: string;

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, any> }>; extensions?: Record<string, any> };
}

async function gql(key: string | null, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(host.endpoints.graphql, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer["body"] };
}

const code = (a: Answer) => a.body.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  host = await startLocalHostProcess();
  const keys = host.endpoints.apiKeys;
  admin = keys.find((k) => k.organization === "Sentera Demo" && k.permissions.includes("*"))!.key;
  readOnly = keys.find((k) => k.organization === "Sentera Demo" && k.permissions.includes("*:read"))!.key;
  unrelated = keys.find((k) => k.organization === "Unrelated Retail")!.key;
}, 120_000);
afterAll(async () => {
  await host?.stop();
});

describe("authentication", () => {
  it("answers 401 with a GraphQL error, and the extensions, without a key or with a wrong one", async () => {
    for (const key of [null, "not-a-key-of-this-deployment"]) {
      const answer = await gql(key, "{ viewer { keyId } }");
      expect(answer.status).toBe(401);
      expect(code(answer)).toBe("UNAUTHENTICATED");
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.extensions).toEqual({ complexity: 0, permissionsUsed: [], appVersion: expect.any(String) });
    }
  });

  it("gives every authenticated answer complexity, permissionsUsed, appVersion and a request id", async () => {
    const answer = await gql(admin, "{ organizations { name } }");
    expect(answer.status).toBe(200);
    expect(answer.body.extensions).toEqual({ complexity: expect.any(Number), permissionsUsed: ["Organization:read"], appVersion: expect.stringMatching(/^v\d+\.\d+\.\d+/) });
    expect(answer.body.extensions!.complexity).toBeGreaterThan(0);
    expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f]{24}$/);
  });

  it("stops answering for a revoked key", async () => {
    const created = await gql(admin, `mutation { createApiKey(input: { name: "short-lived", permissions: ["Organization:read"] }) { userErrors { message } apiKey { id } secret } }`);
    const { apiKey, secret } = created.body.data!.createApiKey;
    expect((await gql(secret, "{ viewer { keyId } }")).status).toBe(200);
    const revoked = await gql(admin, `mutation($id: ID!) { revokeApiKey(id: $id) { userErrors { message } apiKey { revokedAt } } }`, { id: apiKey.id });
    expect(revoked.body.data!.revokeApiKey.apiKey.revokedAt).toEqual(expect.any(String));
    expect((await gql(secret, "{ viewer { keyId } }")).status).toBe(401);
  });
});

describe("tenant reach: an organization and its descendants, never a sibling", () => {
  let siblingA: { id: string; sentera_id: string; key: string };
  let siblingB: { id: string; sentera_id: string; key: string };

  beforeAll(async () => {
    const make = async (name: string) => {
      const org = await gql(admin, `mutation($name: String!) { createOrganization(input: { name: $name }) { userErrors { message } organization { id sentera_id parent { name } } } }`, { name });
      const organization = org.body.data!.createOrganization.organization;
      expect(organization.parent).toEqual({ name: "Sentera Demo" });
      const key = await gql(admin, `mutation($org: ID!) { createApiKey(input: { organizationId: $org, name: "admin", permissions: ["*"] }) { userErrors { message } secret } }`, { org: organization.id });
      return { id: organization.id as string, sentera_id: organization.sentera_id as string, key: key.body.data!.createApiKey.secret as string };
    };
    siblingA = await make("Sibling A");
    siblingB = await make("Sibling B");
  });

  it("lists only the caller's subtree", async () => {
    const fromA = await gql(siblingA.key, "{ organizations { name } }");
    expect(fromA.body.data!.organizations).toEqual([{ name: "Sibling A" }]);
    const fromParent = await gql(admin, "{ organizations { name } }");
    expect(fromParent.body.data!.organizations.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(["Sentera Demo", "Acme Field Services", "Sibling A", "Sibling B"]));
    const fromUnrelated = await gql(unrelated, "{ organizations { name } }");
    expect(fromUnrelated.body.data!.organizations).toEqual([{ name: "Unrelated Retail" }]);
  });

  it("cannot read a sibling, an ancestor's other branch or an unrelated organization", async () => {
    for (const query of [`{ organization(id: "${siblingB.id}") { name } }`, `{ organization(sentera_id: "${siblingB.sentera_id}") { name } }`]) {
      const answer = await gql(siblingA.key, query);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data!.organization).toBeNull();
    }
    const parent = await gql(siblingA.key, `{ organization(sentera_id: "ezpt0wj_OR_8brhbkSentera_CV_deve_877281e47_210503_085333") { name } }`);
    expect(parent.body.data!.organization).toBeNull();
  });

  it("cannot write into a sibling: no keys, no child organizations", async () => {
    const key = await gql(siblingA.key, `mutation($org: ID!) { createApiKey(input: { organizationId: $org, name: "x", permissions: ["*"] }) { secret } }`, { org: siblingB.id });
    expect(code(key)).toBe("NOT_FOUND");
    expect(key.body.data?.createApiKey ?? null).toBeNull();
    const child = await gql(siblingA.key, `mutation($org: ID!) { createOrganization(input: { name: "intruder", parentId: $org }) { organization { id } } }`, { org: siblingB.id });
    expect(code(child)).toBe("NOT_FOUND");
    const subtreeOfB = await gql(siblingB.key, "{ organizations { name } }");
    expect(subtreeOfB.body.data!.organizations).toEqual([{ name: "Sibling B" }]);
  });

  it("cannot sync a sibling's orders, while the parent can sync a descendant's", async () => {
    const fromSibling = await gql(siblingA.key, `{ sync_orders(organization_sentera_id: "${siblingB.sentera_id}", content_hashes: []) { remaining_count } }`);
    expect(code(fromSibling)).toBe("FORBIDDEN");
    const fromParent = await gql(admin, `{ sync_orders(organization_sentera_id: "${siblingB.sentera_id}", content_hashes: []) { remaining_count upserted { sentera_id } } }`);
    expect(fromParent.body.errors).toBeUndefined();
    expect(fromParent.body.data!.sync_orders).toEqual({ remaining_count: 0, upserted: [] });
  });

  it("does not see another tenant's orders", async () => {
    const own = await gql(admin, "{ orders(where: { number: 3957 }) { number } }");
    expect(own.body.data!.orders).toEqual([{ number: 3957 }]);
    const other = await gql(unrelated, "{ orders(where: { number: 3957 }) { number } }");
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data!.orders).toEqual([]);
  });
});

describe("permissions", () => {
  it("refuses a missing permission before anything runs, naming it", async () => {
    const answer = await gql(readOnly, `mutation { createOrganization(input: { name: "nope" }) { organization { id } } }`);
    expect(code(answer)).toBe("FORBIDDEN");
    expect(answer.body.errors![0]!.message).toBe("Missing permission Organization:write");
    expect(answer.body.data ?? null).toBeNull();
    const list = await gql(admin, "{ organizations { name } }");
    expect(list.body.data!.organizations.map((o: { name: string }) => o.name)).not.toContain("nope");
  });

  it("does not let a key hand out permissions it does not hold", async () => {
    const limited = await gql(admin, `mutation { createApiKey(input: { name: "key-admin", permissions: ["ApiKey:write", "Organization:read"] }) { secret } }`);
    const secret = limited.body.data!.createApiKey.secret;
    const escalation = await gql(secret, `mutation { createApiKey(input: { name: "root", permissions: ["*", "Organization:read"] }) { userErrors { message path } secret } }`);
    expect(escalation.body.data!.createApiKey).toEqual({
      userErrors: [{ message: "cannot grant *: the calling key does not hold it", path: ["input", "permissions", "0"] }],
      secret: null,
    });
  });

  it("validates grants", async () => {
    const answer = await gql(admin, `mutation { createApiKey(input: { name: "bad", permissions: ["Order:delete"] }) { userErrors { message path } secret } }`);
    expect(answer.body.data!.createApiKey.userErrors[0].path).toEqual(["input", "permissions", "0"]);
    expect(answer.body.data!.createApiKey.secret).toBeNull();
  });
});

describe("limits: an expensive, deep or huge request is refused and the server stays up", () => {
  it("rejects a query over the cost maximum before any resolver runs (the mutation writes nothing)", async () => {
    const nested = "children { ".repeat(5) + "name" + " }".repeat(5);
    const answer = await gql(admin, `mutation { createOrganization(input: { name: "too-expensive" }) { organization { ${nested} } } }`);
    expect(code(answer)).toBe("QUERY_TOO_COMPLEX");
    expect(answer.body.extensions!.complexity).toBeGreaterThan(5000);
    const list = await gql(admin, "{ organizations { name } }");
    expect(list.body.data!.organizations.map((o: { name: string }) => o.name)).not.toContain("too-expensive");
  });

  it("rejects deep nesting, alias floods and token floods, then still answers", async () => {
    const deep = await gql(admin, `{ organizations { ${"children { ".repeat(40)}name${" }".repeat(40)} } }`);
    expect(deep.body.errors?.[0]?.message).toMatch(/depth/i);
    const aliases = await gql(admin, `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: viewer { keyId }`).join(" ")} }`);
    expect(aliases.body.errors?.[0]?.message).toMatch(/alias/i);
    const tokens = await gql(admin, `{ viewer { ${"keyId ".repeat(300_000)} } }`);
    expect(tokens.body.errors?.[0]?.message).toMatch(/token/i);
    const health = await fetch(host.endpoints.health);
    expect(health.status).toBe(200);
    expect((await gql(admin, "{ viewer { keyId } }")).body.data!.viewer.keyId).toEqual(expect.any(String));
  });

  it("accepts the seeds' trailing unused fragments and rejects real validation errors with a code", async () => {
    const ok = await gql(admin, `query { viewer { keyId } } fragment unused on Organization { name }`);
    expect(ok.body.errors).toBeUndefined();
    const bad = await gql(admin, `query { viewer { nope } }`);
    expect(code(bad)).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("never shows a stack trace", async () => {
    const bad = await gql(admin, `{ organization(id: "%%%") { name } }`);
    expect(code(bad)).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.ts:\d+|stack/i);
  });
});

it("serves GraphiQL to a browser on the local host", async () => {
  const page = await fetch(host.endpoints.graphql, { headers: { accept: "text/html" } });
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/graphiql/i);
});
