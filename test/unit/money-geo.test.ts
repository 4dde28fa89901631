import { describe, expect, it } from "vitest";
import { formatMoney } from "../../core/graphql/shared-types.ts";
import { findCountry, normalizeStateOrProvince } from "../../core/geo/countries.ts";

describe("money and geography", () => {
  it("formats money as seed 002 does", () => {
    expect(formatMoney(1500, "SEK")).toBe("1 500.00 SEK");
    expect(formatMoney(1234567.5, "USD")).toBe("1 234 567.50 USD");
    expect(formatMoney(-30, "SEK")).toBe("-30.00 SEK");
    expect(formatMoney(1500, "JPY")).toBe("1 500 JPY");
  });

  it("knows Sweden as country 6 and normalises US state names to codes", () => {
    expect(findCountry({ code: "se" })).toEqual({ id: 6, code: "SE", name: "Sweden" });
    expect(findCountry({ id: 6 })?.name).toBe("Sweden");
    expect(normalizeStateOrProvince("US", "Alaska")).toBe("AK");
    expect(normalizeStateOrProvince("US", "ak")).toBe("AK");
    expect(normalizeStateOrProvince("US", "Atlantis")).toBe("Atlantis");
    expect(normalizeStateOrProvince("SE", "Stockholm")).toBe("Stockholm");
  });
});
