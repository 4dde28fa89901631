/** Order inputs and a sync client for the orders/sync tests and the benchmark. */
import type { CreateOrderInput } from "../../core/orders/validate.ts";

export function sampleOrder(i: number, extra: Partial<CreateOrderInput> = {}): CreateOrderInput {
  return {
    channel: i % 2 === 0 ? "WHOLESALE" : "DIRECT_TO_CONSUMER",
    currency: "SEK",
    accountOrderNumber: `BULK-${i}`,
    lines: [
      { productName: `Product ${i % 97}`, sku: `SKU-${i % 97}`, quantity: 1 + (i % 5), unitPrice: 100 + (i % 13), taxPercent: 25, currency: "SEK" },
      { productName: "Socks", sku: "SOCKS-1", quantity: 2, unitPrice: 49, taxPercent: 25, currency: "SEK" },
    ],
    shippingAddress: { firstName: "Test", lastName: `Buyer ${i}`, address1: "Street 1", city: "Stockholm", zipCode: "11111", countryCode: "SE" },
    ...extra,
  };
}

export interface SyncPage {
  remaining_count: number;
  upserted: Array<{ sentera_id: string; content_hash: string; status?: string }>;
  deleted: Array<{ sentera_id: string; content_hash: string }>;
  failed?: Array<{ sentera_id: string | null; content_hash: string | null; message: string }> | null;
}

export const SYNC_QUERY = /* GraphQL */ `
  query Sync($org: ID!, $hashes: [String!]!, $desc: Boolean) {
    sync_orders(organization_sentera_id: $org, content_hashes: $hashes, include_descendant_organizations: $desc) {
      remaining_count
      upserted { sentera_id content_hash ... on Order { status } }
      deleted { sentera_id content_hash }
      failed { sentera_id content_hash message }
    }
  }
`;

/**
 * The client side of the protocol (API-CONTRACT 4.5): a map sentera_id → hash; upserts replace,
 * deletions remove; repeat while something remains.
 */
export class SyncClient {
  readonly held = new Map<string, string>();
  calls = 0;
  constructor(private readonly call: (hashes: string[]) => Promise<SyncPage>) {}

  async round(): Promise<SyncPage> {
    this.calls++;
    const page = await this.call([...this.held.values()]);
    for (const u of page.upserted) this.held.set(u.sentera_id, u.content_hash);
    for (const d of page.deleted) this.held.delete(d.sentera_id);
    return page;
  }

  /** Rounds until remaining_count is 0; returns every page. */
  async converge(maxRounds = 100): Promise<SyncPage[]> {
    const pages: SyncPage[] = [];
    for (let i = 0; i < maxRounds; i++) {
      const page = await this.round();
      pages.push(page);
      if (page.remaining_count === 0) return pages;
    }
    throw new Error("sync did not converge");
  }
}
