import { describe, expect, it } from "vitest";
import { fromGlobalId, hexToUuid, objectId, senteraId, toGlobalId, uuidToHex } from "../../core/ids.ts";

describe("identifier formats", () => {
  it("renders and reads base64 global ids as seed 001 shows them", () => {
    expect(toGlobalId("Warehouse", 4350)).toBe("V2FyZWhvdXNlOjQzNTA=");
    expect(toGlobalId("Account", 3801)).toBe("QWNjb3VudDozODAx");
    expect(fromGlobalId("Warehouse", "V2FyZWhvdXNlOjY1NDU=", "warehouse_id")).toBe(6545);
  });

  it("rejects the seed's corrupt ids and ids of another type with a clear error", () => {
    for (const bad of ["V2FyZdfhens73hsA=", "V2FyZWh3eXNlOjQzNTA=", "iWNjb3VudDozODA1", "", "not base64!"]) {
      expect(() => fromGlobalId("Warehouse", bad, "warehouse_id")).toThrow(/warehouse_id is not a valid Warehouse id/);
    }
    expect(() => fromGlobalId("Warehouse", "QWNjb3VudDozODAx", "warehouse_id")).toThrow(/not a valid Warehouse id/);
  });

  it("makes 24-hex object ids whose prefix is the creation time, unique in a burst", () => {
    const at = new Date("2019-10-07T16:39:23Z");
    const id = objectId(at);
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(id.slice(0, 8)).toBe("5d9b6a3b");
    const burst = new Set(Array.from({ length: 10_000 }, () => objectId(at)));
    expect(burst.size).toBe(10_000);
  });

  it("converts uuids to Centra's 32-hex ids and back", () => {
    const uuid = "4f52ec0e-3467-11ed-b878-0242ac120002";
    expect(uuidToHex(uuid)).toBe("4f52ec0e346711edb8780242ac120002");
    expect(hexToUuid(uuidToHex(uuid))).toBe(uuid);
    expect(hexToUuid("xyz")).toBeUndefined();
  });

  it("generates sentera ids of the documented shape", () => {
    expect(senteraId("OD", "Acme", new Date("2021-05-03T08:53:36Z"), "stag")).toMatch(/^[a-z0-9]{7}_OD_Acme_CV_stag_[0-9a-f]{9}_210503_085336$/);
  });
});
