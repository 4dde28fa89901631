/** A small closed-loop HTTP load generator: N workers, fixed duration, latency percentiles. */
export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  throughput: number;
  p50: number;
  p99: number;
}

export async function load(opts: { url: string; body: string; headers?: Record<string, string>; concurrency: number; seconds: number; check?: (text: string) => boolean }): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + opts.seconds * 1000;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        const response = await fetch(opts.url, { method: "POST", headers: { "content-type": "application/json", ...opts.headers }, body: opts.body });
        const text = await response.text();
        if (!response.ok || (opts.check && !opts.check(text))) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: latencies.length, errors, seconds, throughput: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}
