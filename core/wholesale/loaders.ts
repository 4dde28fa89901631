/**
 * Per-request batching (DataLoader-like): every lookup by id made while one GraphQL request
 * resolves a level of its result is gathered and served by one BatchGetItem (or one catalog call),
 * and each id is read at most once per request. Loaders are keyed by the request's state object,
 * so they live exactly as long as the request.
 */
import type { Deps } from "../deps.ts";
import type { RequestState } from "../graphql/context.ts";
import { getProducts, getVariants, variantsOfProducts, type Product, type ProductVariant } from "../catalog/products.ts";
import { getRefs, type AllocationRule, type Campaign, type Market, type Pricelist, type Store } from "./reference.ts";
import { getAccounts, type Account } from "./accounts.ts";
import { getBuyers, type Buyer } from "./buyers.ts";
import { getDeliveryWindows, type DeliveryWindow } from "./delivery-windows.ts";

export class Batcher<V> {
  private readonly cache = new Map<number, Promise<V | undefined>>();
  private queue: Array<{ id: number; resolve: (v: V | undefined) => void; reject: (e: unknown) => void }> = [];

  constructor(private readonly fetch: (ids: number[]) => Promise<Map<number, V>>) {}

  load(id: number): Promise<V | undefined> {
    let pending = this.cache.get(id);
    if (!pending) {
      pending = new Promise<V | undefined>((resolve, reject) => {
        if (this.queue.length === 0) {
          // Run after the current resolver pass (its sibling resolvers queue their ids first).
          void Promise.resolve().then(() => process.nextTick(() => void this.flush()));
        }
        this.queue.push({ id, resolve, reject });
      });
      this.cache.set(id, pending);
    }
    return pending;
  }

  async loadMany(ids: number[]): Promise<V[]> {
    const values = await Promise.all(ids.map((id) => this.load(id)));
    return values.filter((v): v is Awaited<V> => v !== undefined) as V[];
  }

  /** Seeds the cache with a value already read (e.g. a mutation's result). */
  prime(id: number, value: V): void {
    this.cache.set(id, Promise.resolve(value));
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    try {
      const found = await this.fetch([...new Set(batch.map((b) => b.id))]);
      for (const b of batch) b.resolve(found.get(b.id));
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }
}

export interface WholesaleLoaders {
  stores: Batcher<Store>;
  markets: Batcher<Market>;
  pricelists: Batcher<Pricelist>;
  allocationRules: Batcher<AllocationRule>;
  campaigns: Batcher<Campaign>;
  accounts: Batcher<Account>;
  buyers: Batcher<Buyer>;
  deliveryWindows: Batcher<DeliveryWindow>;
  products: Batcher<Product>;
  variants: Batcher<ProductVariant>;
  variantsOfProduct: Batcher<ProductVariant[]>;
}

const byRequest = new WeakMap<RequestState, WholesaleLoaders>();

export function loaders(ctx: { deps: Deps; state: RequestState }, orgId: number): WholesaleLoaders {
  let found = byRequest.get(ctx.state);
  if (!found) {
    const { deps } = ctx;
    const byId = <T extends { id: number }>(list: T[]) => new Map(list.map((x) => [x.id, x]));
    found = {
      stores: new Batcher((ids) => getRefs<Store>(deps, orgId, "store", ids)),
      markets: new Batcher((ids) => getRefs<Market>(deps, orgId, "market", ids)),
      pricelists: new Batcher((ids) => getRefs<Pricelist>(deps, orgId, "pricelist", ids)),
      allocationRules: new Batcher((ids) => getRefs<AllocationRule>(deps, orgId, "allocationRule", ids)),
      campaigns: new Batcher((ids) => getRefs<Campaign>(deps, orgId, "campaign", ids)),
      accounts: new Batcher((ids) => getAccounts(deps, orgId, ids)),
      buyers: new Batcher((ids) => getBuyers(deps, orgId, ids)),
      deliveryWindows: new Batcher((ids) => getDeliveryWindows(deps, orgId, ids)),
      products: new Batcher(async (ids) => byId(await getProducts(deps, orgId, ids))),
      variants: new Batcher(async (ids) => byId(await getVariants(deps, orgId, ids))),
      variantsOfProduct: new Batcher((ids) => variantsOfProducts(deps, orgId, ids)),
    };
    byRequest.set(ctx.state, found);
  }
  return found;
}
