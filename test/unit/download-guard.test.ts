/** The address rule of URL downloads, where the socket connects (core/inventory/fetch.ts). */
import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import { addressAllowed, guardedLookup } from "../../core/inventory/download.ts";

const lookupWith = (local: boolean, answers: LookupAddress[][]) => {
  let call = 0;
  const lookup = guardedLookup(local, (_host, callback) => callback(null, answers[Math.min(call++, answers.length - 1)]!));
  return (options: { family?: number; all?: boolean }) =>
    new Promise<{ error: (Error & { code?: string }) | null; address: unknown; family?: number }>((resolve) =>
      lookup("files.example.com", options, (error, address, family) => resolve({ error, address, family })),
    );
};

describe("download address rule", () => {
  it("refuses private, loopback, link-local, CGNAT and multicast addresses in the cloud", () => {
    for (const ip of ["10.1.2.3", "127.0.0.1", "169.254.169.254", "172.16.0.1", "192.168.1.1", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1"]) {
      expect(addressAllowed(ip, false), ip).toBe(false);
    }
    for (const ip of ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "172.32.0.1"]) expect(addressAllowed(ip, false), ip).toBe(true);
  });

  it("allows loopback, and only loopback, on the local host", () => {
    expect(addressAllowed("127.0.0.1", true)).toBe(true);
    expect(addressAllowed("::1", true)).toBe(true);
    expect(addressAllowed("10.0.0.1", true)).toBe(false);
    expect(addressAllowed("169.254.169.254", true)).toBe(false);
  });

  it("refuses a host when any of its addresses is refused, before any connection", async () => {
    const got = await lookupWith(false, [[{ address: "93.184.216.34", family: 4 }, { address: "169.254.169.254", family: 4 }]])({ all: true });
    expect(got.error?.message).toBe("download refused: files.example.com resolves to a private, loopback or link-local address");
  });

  it("hands the connector exactly the addresses it checked, per family and form", async () => {
    const answers = [{ address: "93.184.216.34", family: 4 }, { address: "2606:4700::1111", family: 6 }];
    expect(await lookupWith(false, [answers])({ all: true })).toMatchObject({ error: null, address: answers });
    expect(await lookupWith(false, [answers])({ family: 6 })).toMatchObject({ error: null, address: "2606:4700::1111", family: 6 });
    expect(await lookupWith(false, [answers])({})).toMatchObject({ error: null, address: "93.184.216.34", family: 4 });
  });

  it("checks every lookup: a name that turns private on its next answer (rebinding) is refused then", async () => {
    const lookup = lookupWith(false, [[{ address: "93.184.216.34", family: 4 }], [{ address: "127.0.0.1", family: 4 }]]);
    expect((await lookup({})).error).toBeNull();
    expect((await lookup({})).error?.code).toBe("EREFUSED_ADDRESS");
  });
});
