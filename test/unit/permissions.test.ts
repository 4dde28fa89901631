import { describe, expect, it } from "vitest";
import { Grants, isGrant, isPermission } from "../../core/auth/permissions.ts";

describe("permission grants", () => {
  it("matches exact permissions only, unless a wildcard says otherwise", () => {
    const grants = new Grants(["Order:read", "Account:write"]);
    expect(grants.allows("Order:read")).toBe(true);
    expect(grants.allows("Order:write")).toBe(false);
    // A type grant does not reveal guarded fields such as addresses.
    expect(grants.allows("Order.shippingAddress:read")).toBe(false);
    expect(grants.allows("Account:write")).toBe(true);
  });

  it("expands wildcards", () => {
    expect(new Grants(["*"]).allows("Order.isLocked:write")).toBe(true);
    const readOnly = new Grants(["*:read"]);
    expect(readOnly.allows("Purchaser.billingAddress:read")).toBe(true);
    expect(readOnly.allows("Buyer:write")).toBe(false);
    const orders = new Grants(["Order*:read"]);
    expect(orders.allows("Order.shippingAddress:read")).toBe(true);
    expect(orders.allows("OrderX:write")).toBe(false);
  });

  it("validates permission and grant strings", () => {
    expect(isPermission("Order.shippingAddress:read")).toBe(true);
    expect(isPermission("order:read")).toBe(false);
    expect(isPermission("Order:delete")).toBe(false);
    expect(isGrant("*")).toBe(true);
    expect(isGrant("*:read")).toBe(true);
    expect(isGrant("Order")).toBe(false);
    expect(isGrant("Order:read; drop")).toBe(false);
  });
});
