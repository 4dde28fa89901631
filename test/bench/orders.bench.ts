/**
 * sync_orders benchmark (issue 5): an organization of N orders (ORDERS_BENCH_COUNT, default
 * 100,000) bulk-loaded through core/orders bulkLoadOrders (the same items createOrder writes) into
 * the table of a local host started in this process (fresh data folder); then, over HTTP on the
 * local host:
 *   - a full sync from an empty hash set (every call until remaining_count = 0),
 *   - an up-to-date sync (the client holds all N hashes),
 * and, because consumed capacity is only observable by the process making the DynamoDB calls, the
 * same calls once more in-process through the Lambda's adapter on the same table, with the read
 * capacity of each, beside a naive baseline measured in the same run: a Query over the full order
 * items of the organization (what a sync without the index reads).
 * Run: BENCH=orders npm run bench   (ORDERS_BENCH_COUNT=20000 for a quicker run)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { sampleOrder, SyncClient, SYNC_QUERY, type SyncPage } from "../support/orders-fixtures.ts";
import { createOrganization } from "../../core/auth/organizations.ts";
import { bulkLoadOrders } from "../../core/orders/repository.ts";
import { orderKeys } from "../../core/db/keys.ts";

const N = Number(process.env.ORDERS_BENCH_COUNT ?? 100_000);
const LOAD_CHUNK = 5_000;
const NAIVE_SAMPLE = Number(process.env.ORDERS_BENCH_NAIVE_SAMPLE ?? 10_000);

const ms = (t0: number) => Math.round(performance.now() - t0);
/** Eventually consistent reads cost 0.5 RCU per 4 KB: bytes read ≈ RCU × 8 KB (an upper bound). */
const bytesOf = (rcu: number) => rcu * 8192;

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "orders-bench-"));
  const { startLocalHost } = await import("../../stacks/local/host.ts");
  const host = await startLocalHost({ dataDir, port: 0, adminKey: "orders-bench-admin-key", persist: false, seed: false, log: () => {} });
  // The host set the environment: these deps reach the host's table.
  const [{ createDeps }, { createGraphQLServer }, { handleHttpEvent }] = await Promise.all([
    import("../../core/deps.ts"),
    import("../../core/graphql/server.ts"),
    import("../../core/graphql/http.ts"),
  ]);
  const deps = createDeps();
  const server = createGraphQLServer(deps);
  const { db } = deps;
  try {
    const org = await createOrganization(deps, { name: "Bench", timeZone: "UTC" });
    const { secret } = await (await import("../../core/auth/api-keys.ts")).createApiKey(deps, { orgId: org.id, name: "bench", permissions: ["*"] });

    let t0 = performance.now();
    for (let i = 0; i < N; i += LOAD_CHUNK) {
      const count = Math.min(LOAD_CHUNK, N - i);
      await bulkLoadOrders(deps, org, Array.from({ length: count }, (_, j) => sampleOrder(i + j)), null);
    }
    console.log(`orders: ${N}; bulk load ${ms(t0)} ms (${db.stats.requests.BatchWriteItem ?? 0} BatchWriteItem requests)`);

    const body = (hashes: string[]) => JSON.stringify({ query: SYNC_QUERY, variables: { org: org.senteraId, hashes } });
    const overHttp = async (hashes: string[]): Promise<SyncPage> => {
      const response = await fetch(host.endpoints.graphql, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${secret}` }, body: body(hashes) });
      const res = (await response.json()) as { data?: { sync_orders: SyncPage }; errors?: unknown };
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data!.sync_orders;
    };
    const inProcess = async (hashes: string[]): Promise<SyncPage> => {
      const result = await handleHttpEvent(server, deps, {
        version: "2.0",
        rawPath: "/graphql",
        rawQueryString: "",
        headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
        requestContext: { http: { method: "POST", path: "/graphql" } },
        body: body(hashes),
        isBase64Encoded: false,
      } as unknown as APIGatewayProxyEventV2);
      const res = JSON.parse(result.body ?? "{}") as { data?: { sync_orders: SyncPage }; errors?: unknown };
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data!.sync_orders;
    };

    // Over HTTP on the local host: full sync from empty, then up-to-date syncs.
    const httpClient = new SyncClient(overHttp);
    t0 = performance.now();
    await httpClient.converge(Math.ceil(N / 2000) + 1);
    console.log(`local host, over HTTP: full sync from empty: ${httpClient.calls} calls, ${ms(t0)} ms`);
    if (httpClient.held.size !== N) throw new Error(`client holds ${httpClient.held.size} hashes, expected ${N}`);
    const httpUpToDate: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const page = await httpClient.round();
      if (page.upserted.length || page.deleted.length || page.remaining_count) throw new Error("up-to-date sync returned changes");
      httpUpToDate.push(ms(t));
    }
    console.log(`local host, over HTTP: up-to-date sync (client holds ${N} hashes, a ${(body([...httpClient.held.values()]).length / 1048576).toFixed(1)} MB request): ${httpUpToDate.join(" / ")} ms (3 runs)`);

    // In-process on the same table, where read capacity is observable.
    const client = new SyncClient(inProcess);
    const perCall: Array<{ ms: number; rcu: number; upserted: number; remaining: number }> = [];
    t0 = performance.now();
    for (;;) {
      db.resetStats();
      const t = performance.now();
      const page = await client.round();
      perCall.push({ ms: ms(t), rcu: db.stats.readCapacity, upserted: page.upserted.length, remaining: page.remaining_count });
      if (page.remaining_count === 0) break;
    }
    const fullMs = ms(t0);
    const fullRcu = perCall.reduce((s, c) => s + c.rcu, 0);
    console.log(`in-process: full sync from empty: ${client.calls} calls, ${fullMs} ms, ${fullRcu.toFixed(1)} RCU in total, ${(fullRcu / client.calls).toFixed(1)} RCU per call`);
    console.log(`  first call: ${perCall[0]!.ms} ms, ${perCall[0]!.rcu.toFixed(1)} RCU, ${perCall[0]!.upserted} upserted, remaining ${perCall[0]!.remaining}`);

    const upToDate: Array<{ ms: number; rcu: number }> = [];
    for (let i = 0; i < 3; i++) {
      db.resetStats();
      const t = performance.now();
      const page = await client.round();
      if (page.upserted.length || page.deleted.length || page.remaining_count) throw new Error("up-to-date sync returned changes");
      upToDate.push({ ms: ms(t), rcu: db.stats.readCapacity });
    }
    const best = upToDate.reduce((a, b) => (a.ms <= b.ms ? a : b));
    console.log(
      `in-process: up-to-date sync: ${upToDate.map((u) => u.ms).join(" / ")} ms (3 runs), ${best.rcu.toFixed(1)} RCU per call = ${(bytesOf(best.rcu) / N).toFixed(1)} bytes/order read`,
    );

    // Naive baseline, same run: Query over the full order items of the organization. DynamoDB
    // Local pages a GSI Query in time that grows with the offset, so past NAIVE_SAMPLE items the
    // baseline is a sample: bytes per order are measured on it, the time for N is extrapolated.
    db.resetStats();
    t0 = performance.now();
    let items = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.query({ index: "gsi1", pk: orderKeys.listByNumberPk(org.id), startKey });
      items += page.items.length;
      startKey = page.lastKey;
    } while (startKey && items < NAIVE_SAMPLE);
    const naive = { ms: ms(t0), rcu: db.stats.readCapacity, requests: db.stats.requests.Query ?? 0 };
    const naiveBytes = bytesOf(naive.rcu) / items;
    const sampled = items < N ? ` (a sample of ${items} of ${N}; ≈ ${Math.round((naive.ms * N) / items)} ms for all, extrapolated linearly)` : "";
    console.log(`naive baseline (Query over full order items): ${items} items in ${naive.ms} ms, ${naive.requests} Query pages, ${naive.rcu.toFixed(1)} RCU = ${naiveBytes.toFixed(1)} bytes/order${sampled}`);
    console.log(`ratio: the up-to-date sync reads ${(naiveBytes / (bytesOf(best.rcu) / N)).toFixed(1)}× fewer bytes per order than the naive baseline`);
    console.log(`targets: ≤ 100 bytes/order → ${(bytesOf(best.rcu) / N).toFixed(1)}; < 2000 ms → ${Math.min(...httpUpToDate)} ms over HTTP, ${best.ms} ms in-process`);
  } finally {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
