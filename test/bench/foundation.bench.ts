/**
 * Foundation figures (issue 3): each function's bundle (esbuild, minified, ESM, as SST bundles it)
 * and its module-initialisation time in a fresh Node process; then throughput and p50/p99 of a
 * small authenticated query on the local host beside a bare graphql-yoga server under the same load.
 *   npm run bench            (BENCH=foundation npm run bench for this file only)
 *   BENCH_SECONDS=5 BENCH_ROUNDS=5 BENCH_CONCURRENCY=16 BENCH_WARMUP_SECONDS=10 to change the load.
 */
import { build } from "esbuild";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

/** CPU seconds (user + system) used so far by these processes, from /proc (Linux clock ticks of 1/100 s). */
function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone, or not Linux
    }
  }
  return ticks / 100;
}

/** Runs a load and reports the CPU each side spent per request (server's processes, and this load generator). */
async function measured(target: Parameters<typeof load>[0], serverPids: () => number[]): Promise<LoadResult & { serverUs: number; clientUs: number }> {
  const pids = serverPids();
  const server0 = cpuSeconds(pids);
  const client0 = process.cpuUsage();
  const result = await load(target);
  const client = process.cpuUsage(client0);
  const server = cpuSeconds(pids) - server0;
  return { ...result, serverUs: (server * 1e6) / result.requests, clientUs: (client.user + client.system) / result.requests };
}

async function bareYoga(args: string[] = []): Promise<{ url: string; pid: number; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "test/bench/bare-yoga-server.ts"), ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(JSON.parse(chunk.toString()).port as number));
    child.once("exit", () => reject(new Error("bare yoga server exited")));
  });
  return { url: `http://127.0.0.1:${port}/graphql`, pid: child.pid!, stop: () => child.kill("SIGTERM") };
}

const fmt = (r: LoadResult & { serverUs: number; clientUs: number }) =>
  `${r.throughput.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.requests} requests, ${r.errors} errors; CPU per request: server ${r.serverUs.toFixed(0)} µs, load generator ${r.clientUs.toFixed(0)} µs`;

/**
 * This machine is a shared 2-core VM whose speed drifts minute to minute, so ours and bare yoga are
 * measured in alternating rounds and the ratio is taken per round (the median is the figure).
 */
async function throughput(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
  const body = JSON.stringify({ query: "{ viewer { keyId } }" });
  const check = (text: string) => text.includes('"keyId"');

  const host = await startLocalHostProcess();
  const bare = await bareYoga();
  const bareNoLimit = await bareYoga(["--no-body-limit"]);
  try {
    const key = host.endpoints.apiKeys[0]!.key;
    const headers = { authorization: `Bearer ${key}` };
    // All servers over IPv4 loopback, so name resolution of "localhost" is not part of the figure.
    const oursTarget = { url: host.endpoints.graphql.replace("//localhost:", "//127.0.0.1:"), body, headers, concurrency, check };
    const bareTarget = { url: bare.url, body, concurrency, check };
    const bareNoLimitTarget = { url: bareNoLimit.url, body, concurrency, check };
    // Warm-up: steady state is the figure. Our host has far more code for V8 to compile (schema,
    // plugins, adapter): its CPU per request fell by half over its first ~15 s of load (docs/performance.md).
    const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
    await load({ ...oursTarget, seconds: warmup });
    await load({ ...bareTarget, seconds: warmup });
    await load({ ...bareNoLimitTarget, seconds: warmup });
    console.log(`\nsmall authenticated query, ${concurrency} concurrent clients, ${rounds} alternating rounds of ${seconds} s:`);
    const ratios: number[] = [];
    const strict: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const ours = await measured({ ...oursTarget, seconds }, () => host.processes().map((p) => p.pid));
      const baseline = await measured({ ...bareTarget, seconds }, () => [bare.pid]);
      const noLimit = await measured({ ...bareNoLimitTarget, seconds }, () => [bareNoLimit.pid]);
      ratios.push(ours.throughput / baseline.throughput);
      strict.push(ours.throughput / noLimit.throughput);
      console.log(`round ${round}: local host (auth, limits, cost, permissions, extensions, API Gateway event adapter): ${fmt(ours)}`);
      console.log(`round ${round}: bare graphql-yoga (defaults):                                                        ${fmt(baseline)}`);
      console.log(`round ${round}: bare graphql-yoga without its body-size limit:                                       ${fmt(noLimit)}`);
    }
    const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
    console.log(`ratio ours / bare yoga per round: ${ratios.map((r) => r.toFixed(2)).join(", ")}; median ${median(ratios).toFixed(2)} (target ≥ 0.70)`);
    console.log(`ratio ours / bare yoga without its body-size limit per round: ${strict.map((r) => r.toFixed(2)).join(", ")}; median ${median(strict).toFixed(2)}`);
  } finally {
    bare.stop();
    bareNoLimit.stop();
    await host.stop();
  }
}

export async function run(): Promise<void> {
  await bundles();
  await throughput();
}
