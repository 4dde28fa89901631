/**
 * Foundation figures (issue 3): each function's bundle (esbuild, minified, ESM, as SST bundles it)
 * and its module-initialisation time in a fresh Node process; then throughput and p50/p99 of a
 * small authenticated query on the local host beside a bare graphql-yoga server under the same load.
 *   npm run bench            (BENCH=foundation npm run bench for this file only)
 *   BENCH_SECONDS=5 BENCH_ROUNDS=3 BENCH_CONCURRENCY=16 to change the load.
 */
import { build } from "esbuild";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load, type LoadResult } from "./load.ts";
import { startLocalHostProcess } from "../support/local-host.ts";

const root = new URL("../../", import.meta.url).pathname;

async function bundles(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-bundle-"));
  const env = {
    ...process.env,
    AWS_REGION: "us-east-1",
    SST_RESOURCE_App: JSON.stringify({ name: "bench", stage: "bench" }),
    SST_RESOURCE_Table: JSON.stringify({ name: "bench-table" }),
    SST_RESOURCE_InventoryBucket: JSON.stringify({ name: "bench-bucket" }),
    SST_RESOURCE_InventoryRowQueue: JSON.stringify({ url: "http://127.0.0.1:1/000000000000/rows" }),
    SST_RESOURCE_InventoryFetchQueue: JSON.stringify({ url: "http://127.0.0.1:1/000000000000/fetch" }),
    SST_RESOURCE_AdminApiKey: JSON.stringify({ value: "" }),
  };
  console.log("function | bundle (minified) | module init (median of 5, fresh process)");
  for (const file of readdirSync(join(root, "functions")).filter((f) => f.endsWith(".ts")).sort()) {
    const outfile = join(dir, file.replace(/\.ts$/, ".mjs"));
    const result = await build({
      entryPoints: [join(root, "functions", file)],
      bundle: true,
      minify: true,
      platform: "node",
      format: "esm",
      target: "node22",
      outfile,
      metafile: true,
      // ESM bundles of CommonJS dependencies need require(); SST adds the same banner.
      banner: { js: "import { createRequire as topLevelCreateRequire } from 'module';const require = topLevelCreateRequire(import.meta.url);" },
      logLevel: "silent",
    });
    const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
    const runs: number[] = [];
    const probe = join(dir, "probe.mjs");
    writeFileSync(probe, `const t = performance.now(); await import(${JSON.stringify(outfile)}); console.log(performance.now() - t);`);
    for (let i = 0; i < 5; i++) runs.push(Number(execFileSync(process.execPath, [probe], { env }).toString().trim()));
    runs.sort((a, b) => a - b);
    console.log(`${file} | ${(bytes / 1024).toFixed(0)} KiB | ${runs[2]!.toFixed(0)} ms`);
  }
  rmSync(dir, { recursive: true, force: true });
}

async function bareYoga(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "test/bench/bare-yoga-server.ts")], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(JSON.parse(chunk.toString()).port as number));
    child.once("exit", () => reject(new Error("bare yoga server exited")));
  });
  return { url: `http://127.0.0.1:${port}/graphql`, stop: () => child.kill("SIGTERM") };
}

const fmt = (r: LoadResult) => `${r.throughput.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.requests} requests, ${r.errors} errors`;

/**
 * This machine is a shared 2-core VM whose speed drifts minute to minute, so ours and bare yoga are
 * measured in alternating rounds and the ratio is taken per round (the median is the figure).
 */
async function throughput(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
  const body = JSON.stringify({ query: "{ viewer { keyId } }" });
  const check = (text: string) => text.includes('"keyId"');

  const host = await startLocalHostProcess();
  const bare = await bareYoga();
  try {
    const key = host.endpoints.apiKeys[0]!.key;
    const headers = { authorization: `Bearer ${key}` };
    // Both servers over IPv4 loopback, so name resolution of "localhost" is not part of the figure.
    const oursTarget = { url: host.endpoints.graphql.replace("//localhost:", "//127.0.0.1:"), body, headers, concurrency, check };
    const bareTarget = { url: bare.url, body, concurrency, check };
    await load({ ...oursTarget, seconds: 2 }); // warm-up (JIT, key cache)
    await load({ ...bareTarget, seconds: 2 });
    console.log(`\nsmall authenticated query, ${concurrency} concurrent clients, ${rounds} alternating rounds of ${seconds} s:`);
    const ratios: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const ours = await load({ ...oursTarget, seconds });
      const baseline = await load({ ...bareTarget, seconds });
      ratios.push(ours.throughput / baseline.throughput);
      console.log(`round ${round}: local host (auth, limits, cost, permissions, extensions, API Gateway event adapter): ${fmt(ours)}`);
      console.log(`round ${round}: bare graphql-yoga:                                                                   ${fmt(baseline)}`);
    }
    ratios.sort((a, b) => a - b);
    console.log(`ratio ours / bare per round: ${ratios.map((r) => r.toFixed(2)).join(", ")}; median ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)} (target ≥ 0.70)`);
  } finally {
    bare.stop();
    await host.stop();
  }
}

export async function run(): Promise<void> {
  await bundles();
  await throughput();
}
