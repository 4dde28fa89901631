/**
 * Bootstrapping a fresh deployment with the AdminApiKey secret, in-process through the Lambda's
 * HTTP adapter against the emulators (no demo data: the table is empty, as after `sst deploy`).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { testEnv, type TestEnv } from "./support/emulators.ts";

let env: TestEnv;
let call: (key: string | null, query: string, variables?: Record<string, unknown>) => Promise<{ status: number; body: any }>;

beforeAll(async () => {
  env = await testEnv({ adminKey: "bootstrap-secret-of-this-deployment" });
  const { createGraphQLServer } = await import("../core/graphql/server.ts");
  const { handleHttpEvent } = await import("../core/graphql/http.ts");
  const server = createGraphQLServer(env.deps);
  call = async (key, query, variables) => {
    const event = {
      version: "2.0",
      rawPath: "/graphql",
      rawQueryString: "",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      requestContext: { http: { method: "POST", path: "/graphql" } },
      body: JSON.stringify({ query, variables }),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const result = await handleHttpEvent(server, env.deps, event);
    return { status: result.statusCode ?? 200, body: JSON.parse(result.body ?? "{}") };
  };
});

describe("bootstrap key (the AdminApiKey secret)", () => {
  it("creates a root organization and its first admin key, which then works on its own", async () => {
    const org = await call(env.adminKey, `mutation { createOrganization(input: { name: "Merchant One", timeZone: "Europe/Stockholm" }) { userErrors { message } organization { id name parent { id } timeZone } } }`);
    expect(org.body.data.createOrganization.userErrors).toEqual([]);
    const organization = org.body.data.createOrganization.organization;
    expect(organization).toMatchObject({ name: "Merchant One", parent: null, timeZone: "Europe/Stockholm" });

    const key = await call(env.adminKey, `mutation($org: ID!) { createApiKey(input: { organizationId: $org, name: "first admin", permissions: ["*"] }) { userErrors { message } apiKey { permissions organization { name } } secret } }`, { org: organization.id });
    const created = key.body.data.createApiKey;
    expect(created.apiKey).toEqual({ permissions: ["*"], organization: { name: "Merchant One" } });
    expect(created.secret).toMatch(/^cok_[A-Za-z0-9_-]{43}$/);

    const viewer = await call(created.secret, "{ viewer { organization { name } permissions } organizations { name } }");
    expect(viewer.body.data).toEqual({ viewer: { organization: { name: "Merchant One" }, permissions: ["*"] }, organizations: [{ name: "Merchant One" }] });
  });

  it("can do nothing but manage organizations and keys", async () => {
    const orders = await call(env.adminKey, "{ orders(where: { number: 1 }) { number } }");
    expect(orders.body.errors[0].extensions.code).toBe("FORBIDDEN");
    expect(orders.body.errors[0].message).toMatch(/Order:read/);
  });

  it("is stored nowhere: a stored key of the same value would take precedence, and a wrong one is refused", async () => {
    expect((await call("bootstrap-secret-of-this-deploymenX", "{ viewer { keyId } }")).status).toBe(401);
    expect((await call(env.adminKey, "{ viewer { keyId } }")).body.data.viewer.keyId).toBe("bootstrap");
  });

  it("validates organization input with userErrors", async () => {
    const bad = await call(env.adminKey, `mutation { createOrganization(input: { name: "X", timeZone: "Mars/Olympus", sentera_id: "bad id!" }) { userErrors { message path } organization { id } } }`);
    expect(bad.body.data.createOrganization).toEqual({
      userErrors: [
        { message: "sentera_id must be 8 to 100 letters, digits, '_' or '-'", path: ["input", "sentera_id"] },
        { message: "unknown time zone Mars/Olympus", path: ["input", "timeZone"] },
      ],
      organization: null,
    });
  });
});
