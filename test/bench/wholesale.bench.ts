/**
 * Wholesale benchmark: p50/p99 latency and DynamoDB requests of the seed's `delWinList` and
 * `findProduct` queries (verbatim example files), with 1,000 delivery windows and 10,000 products
 * in the tenant. Latency is measured over HTTP against the local host (started in this process,
 * on a fresh data folder with the demo data); the DynamoDB requests of one execution are counted
 * on the same code path in-process (the host's own clients are not observable from outside).
 * Run: BENCH=wholesale npm run bench
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { exampleRequest } from "../support/wholesale-examples.ts";
import { createProduct } from "../../core/catalog/products.ts";
import { createDeliveryWindow, setDeliveryWindowVariants } from "../../core/wholesale/delivery-windows.ts";

const ORG = 3801;
const PRODUCTS = Number(process.env.WHOLESALE_BENCH_PRODUCTS ?? 10_000);
const WINDOWS = Number(process.env.WHOLESALE_BENCH_WINDOWS ?? 1_000);
const RUNS = Number(process.env.WHOLESALE_BENCH_RUNS ?? 200);

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "wholesale-bench-"));
  const adminKey = "wholesale-bench-admin-key";
  const { startLocalHost } = await import("../../stacks/local/host.ts");
  const host = await startLocalHost({ dataDir, port: 0, adminKey, persist: false, seed: true, log: () => {} });
  // The host set the environment (SST_RESOURCE_*, endpoints): these deps reach the same table.
  const [{ createDeps }, { createGraphQLServer }, { handleHttpEvent }] = await Promise.all([
    import("../../core/deps.ts"),
    import("../../core/graphql/server.ts"),
    import("../../core/graphql/http.ts"),
  ]);
  const deps = createDeps();
  const server = createGraphQLServer(deps);
  const inProcess = (query: string) =>
    handleHttpEvent(server, deps, {
      version: "2.0",
      rawPath: "/graphql",
      rawQueryString: "",
      headers: { "content-type": "application/json", authorization: `Bearer ${adminKey}` },
      requestContext: { http: { method: "POST", path: "/graphql" } },
      body: JSON.stringify({ query }),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2);
  const overHttp = async (query: string) => {
    const response = await fetch(host.endpoints.graphql, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${adminKey}` }, body: JSON.stringify({ query }) });
    return (await response.json()) as { data?: Record<string, unknown[]>; errors?: unknown[] };
  };
  const env = { deps };
  try {
    const t0 = Date.now();
    // Products (the demo has 342 "Basketball"); one variant each. Variant ids of the first 40
    // are remembered to fill windows with variants of different products.
    const variantIds: number[] = [];
    await pool(Array.from({ length: PRODUCTS - 1 }, (_, i) => i), 32, async (i) => {
      const { variants } = await createProduct(env.deps, ORG, { name: `Bench product ${String(i).padStart(5, "0")}`, variants: [{ name: `Variant ${i}` }] });
      if (i < 40) variantIds.push(variants[0]!.id);
    });
    const t1 = Date.now();
    await pool(Array.from({ length: WINDOWS - 2 }, (_, i) => i), 32, async (i) => {
      const w = await createDeliveryWindow(env.deps, ORG, {
        name: `Bench window ${i}`,
        status: "ACTIVE",
        allocationRuleId: 2,
        marketIds: i % 2 ? [2] : [2, 12],
        ...(i % 3
          ? { atOnce: { daysFromNow: i % 10, selectableDate: true } }
          : { preorder: { deliveryDateRange: { from: "2022-08-01", to: "2022-10-31" }, salesDateRange: { from: "2022-08-01", to: "2022-10-31" }, allocationOrder: "FIFO" as const } }),
      });
      const picks = [variantIds[i % variantIds.length]!, variantIds[(i + 7) % variantIds.length]!, 1844];
      await setDeliveryWindowVariants(env.deps, ORG, w.id, [...new Set(picks)].map((variantId) => ({ variantId, type: "STOCK" as const, limit: { value: 100, type: "HIGH" as const, on: "ProductVariant" as const } })));
    });
    const t2 = Date.now();
    console.log(`setup: ${PRODUCTS} products in ${((t1 - t0) / 1000).toFixed(1)} s, ${WINDOWS} delivery windows (3 variants each) in ${((t2 - t1) / 1000).toFixed(1)} s`);

    for (const name of ["15-002-delWinList", "21-002-findProduct"]) {
      const query = exampleRequest(name);
      // Warm-up, and the DynamoDB request count of one execution (in-process, same code path).
      const first = await overHttp(query);
      if (first.errors) throw new Error(JSON.stringify(first.errors));
      await inProcess(query);
      deps.db.resetStats();
      await inProcess(query);
      const requests = { ...deps.db.stats.requests };
      const rcu = deps.db.stats.readCapacity;
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        const r = await overHttp(query);
        times.push(performance.now() - start);
        if (r.errors) throw new Error(JSON.stringify(r.errors));
      }
      times.sort((a, b) => a - b);
      const total = Object.values(requests).reduce((a: number, b: number) => a + b, 0);
      const items = Object.values(first.data ?? {})[0]?.length ?? 0;
      console.log(
        `${name}: ${items} result(s); over HTTP on the local host p50 ${pct(times, 50).toFixed(1)} ms, p99 ${pct(times, 99).toFixed(1)} ms (${RUNS} runs); ` +
          `DynamoDB requests per query: ${total} ${JSON.stringify(requests)} (${rcu.toFixed(1)} RCU incl. API-key auth)`,
      );
    }
  } finally {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
