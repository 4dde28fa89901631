/**
 * sync_orders benchmark (issue 5): an organization of N orders (ORDERS_BENCH_COUNT, default
 * 100,000) bulk-loaded through core/orders bulkLoadOrders (the same items createOrder writes) into
 * a DynamoDB Local of its own; then, through the GraphQL host in-process (the Lambda's adapter):
 *   - a full sync from an empty hash set (every call until remaining_count = 0),
 *   - an up-to-date sync (the client holds all N hashes),
 * with the DynamoDB read capacity of each call, beside a naive baseline measured in the same run:
 * a Query over the full order items of the organization (what a sync without the index reads).
 * Run: BENCH=orders npm run bench   (ORDERS_BENCH_COUNT=20000 for a quicker run)
 */
import { startStandaloneGraphQLEnv } from "../support/graphql-env.ts";
import { sampleOrder, SyncClient, SYNC_QUERY, type SyncPage } from "../support/orders-fixtures.ts";
import { createOrganization } from "../../core/auth/organizations.ts";
import { bulkLoadOrders } from "../../core/orders/repository.ts";
import { orderKeys } from "../../core/db/keys.ts";

const N = Number(process.env.ORDERS_BENCH_COUNT ?? 100_000);
const LOAD_CHUNK = 5_000;
const NAIVE_SAMPLE = Number(process.env.ORDERS_BENCH_NAIVE_SAMPLE ?? 20_000);

const ms = (t0: number) => Math.round(performance.now() - t0);
/** Eventually consistent reads cost 0.5 RCU per 4 KB: bytes read ≈ RCU × 8 KB (an upper bound). */
const bytesOf = (rcu: number) => rcu * 8192;

export async function run(): Promise<void> {
  const env = await startStandaloneGraphQLEnv({ seed: false });
  const { db } = env.deps;
  try {
    const org = await createOrganization(env.deps, { name: "Bench", timeZone: "UTC" });
    const { secret } = await (await import("../../core/auth/api-keys.ts")).createApiKey(env.deps, { orgId: org.id, name: "bench", permissions: ["*"] });

    let t0 = performance.now();
    for (let i = 0; i < N; i += LOAD_CHUNK) {
      const count = Math.min(LOAD_CHUNK, N - i);
      await bulkLoadOrders(env.deps, org, Array.from({ length: count }, (_, j) => sampleOrder(i + j)), null);
    }
    console.log(`orders: ${N}; bulk load ${ms(t0)} ms (${db.stats.requests.BatchWriteItem ?? 0} BatchWriteItem requests)`);

    const call = async (hashes: string[]): Promise<SyncPage> => {
      const res = await env.gql(secret, SYNC_QUERY, { org: org.senteraId, hashes });
      if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
      return res.body.data!.sync_orders as SyncPage;
    };

    // Full sync from empty.
    const client = new SyncClient(call);
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
    console.log(`full sync from empty: ${client.calls} calls, ${fullMs} ms, ${fullRcu.toFixed(1)} RCU in total, ${(fullRcu / client.calls).toFixed(1)} RCU per call`);
    console.log(`  first call: ${perCall[0]!.ms} ms, ${perCall[0]!.rcu.toFixed(1)} RCU, ${perCall[0]!.upserted} upserted, remaining ${perCall[0]!.remaining}`);
    if (client.held.size !== N) throw new Error(`client holds ${client.held.size} hashes, expected ${N}`);

    // Up-to-date sync: the client holds every hash.
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
      `up-to-date sync (client holds ${N} hashes): ${upToDate.map((u) => u.ms).join(" / ")} ms (3 runs), ${best.rcu.toFixed(1)} RCU per call = ${(bytesOf(best.rcu) / N).toFixed(1)} bytes/order read`,
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
    console.log(`targets: ≤ 100 bytes/order → ${(bytesOf(best.rcu) / N).toFixed(1)}; < 2000 ms → ${best.ms} ms`);
  } finally {
    await env.stop();
  }
}
