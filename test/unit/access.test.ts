import { describe, expect, it } from "vitest";
import { parse } from "graphql";
import { createSchema } from "graphql-yoga";
import { ACCESS_DIRECTIVES, analyzeOperation, buildAccessModel } from "../../core/graphql/access.ts";

const schema = createSchema({
  typeDefs: `${ACCESS_DIRECTIVES}
    type Query {
      buyers(limit: Int): [Buyer!]! @requires(perm: "Buyer:read")
      conn(first: Int): BuyerConnection!
    }
    type Mutation { createBuyer: Buyer @requires(perm: "Buyer:write") }
    type BuyerConnection { edges: [BuyerEdge!]! }
    type BuyerEdge { node: Buyer! }
    type Buyer @readAs(type: "Purchaser") {
      id: Int!
      account: Account!
      billingAddress: String @requires(perm: "Purchaser.billingAddress:read")
      tags: [String!]! @listCost(size: 3)
    }
    type Account @readAs(type: "Account") { id: Int! }
  `,
  resolvers: {},
});
const model = buildAccessModel(schema);
const analyze = (doc: string, variables?: Record<string, unknown>) => analyzeOperation(schema, model, parse(doc), undefined, variables);

describe("operation analysis", () => {
  it("lists the permissions an operation can use, in document order, following only reached fragments", () => {
    const result = analyze(`
      mutation { createBuyer { id account { id } ...addr } }
      fragment addr on Buyer { billingAddress }
      fragment unused on Account { id }
    `);
    expect(result.permissions).toEqual(["Buyer:write", "Purchaser:read", "Account:read", "Purchaser.billingAddress:read"]);
  });

  it("multiplies list costs by limit/first arguments, variables included, and by @listCost otherwise", () => {
    expect(analyze(`{ buyers(limit: 5) { id } }`).complexity).toBe(1 + 5 * 1);
    expect(analyze(`query($n: Int) { buyers(limit: $n) { id } }`, { n: 7 }).complexity).toBe(1 + 7 * 1);
    expect(analyze(`{ buyers { id tags } }`).complexity).toBe(1 + 10 * (1 + 1));
    expect(analyze(`{ buyers(limit: 1) { tags } }`).complexity).toBe(1 + 1 * 1);
    // Lists inside a connection are bounded by the connection's argument.
    expect(analyze(`{ conn(first: 3) { edges { node { id } } } }`).complexity).toBe(1 + 3 * (1 + 1 * (1 + 1)));
  });

  it("does not loop on recursive fragments", () => {
    const result = analyze(`{ buyers(limit: 1) { ...a } } fragment a on Buyer { id ...a }`);
    expect(result.complexity).toBe(2);
  });
});
