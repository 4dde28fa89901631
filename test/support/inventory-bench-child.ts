/**
 * Runs the inventory file handler once in a process of its own, so the benchmark can read that
 * process's peak memory (maxRSS) while it streams a large file. Input (env BENCH_CHILD, JSON):
 * endpoints, resource names and the S3 event; output: one JSON line with the figures.
 */
import { readFileSync } from "node:fs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { Db } from "../../core/db/client.ts";
import { createDeps } from "../../core/deps.ts";
import type { AppConfig } from "../../core/config.ts";
import { processFile } from "../../core/inventory/file.ts";

const input = JSON.parse(process.env.BENCH_CHILD ?? "{}") as {
  config: AppConfig;
  endpoints: { dynamo: string; s3: string; sqs: string };
  event: { bucket: string; key: string; eTag: string; sequencer: string; eventTime: string };
};
const creds = { accessKeyId: "local", secretAccessKey: "local" };
const region = input.config.region;
const deps = createDeps(input.config, {
  // DynamoDB Local keeps tables per access key: the same one as the environment that created it.
  db: new Db(input.config.tableName, new DynamoDBClient({ region, endpoint: input.endpoints.dynamo, credentials: { accessKeyId: "local", secretAccessKey: "local" } })),
  s3: new S3Client({ region, endpoint: input.endpoints.s3, forcePathStyle: true, credentials: creds }),
  sqs: new SQSClient({ region, endpoint: input.endpoints.sqs, credentials: { accessKeyId: "local", secretAccessKey: "local" } }),
});

/** Peak RSS of this process from /proc/self/status (MB), or undefined where there is no /proc. */
function vmHwmMB(): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

let peak = process.memoryUsage().rss;
const peaks = { heapTotal: 0, external: 0, arrayBuffers: 0 };
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peak = Math.max(peak, m.rss);
  peaks.heapTotal = Math.max(peaks.heapTotal, m.heapTotal);
  peaks.external = Math.max(peaks.external, m.external);
  peaks.arrayBuffers = Math.max(peaks.arrayBuffers, m.arrayBuffers);
}, 25);
const startRss = process.memoryUsage().rss;
const started = performance.now();
const outcome = await processFile(deps, input.event);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
console.log(
  JSON.stringify({
    outcome,
    seconds: (performance.now() - started) / 1000,
    // The kernel's high-water mark of this process's own address space (VmHWM, Linux; reset by exec).
    // Not resourceUsage().maxRSS: Linux carries that across exec, so it reports the spawning
    // parent's RSS at the fork (measured: a child of a 443 MB parent read 404 MB while at 39 MB).
    peakRssMB: vmHwmMB() ?? Math.round(peak / 1048576),
    sampledPeakRssMB: Math.round(peak / 1048576),
    heapUsedMB: Math.round(process.memoryUsage().heapUsed / 1048576),
    startRssMB: Math.round(startRss / 1048576),
    peakHeapTotalMB: Math.round(peaks.heapTotal / 1048576),
    peakExternalMB: Math.round(peaks.external / 1048576),
    peakArrayBuffersMB: Math.round(peaks.arrayBuffers / 1048576),
  }),
);
process.exit(0);
