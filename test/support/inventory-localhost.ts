/**
 * Starts the real local host (`npm start`: stacks/local/main.ts) as a child process on a free port
 * with a temporary DATA_DIR and returns its endpoints.json, for end-to-end tests of inventory sync
 * through S3 events and SQS pollers exactly as the host drives them. (The shared harness
 * test/support/local-host.ts may replace this once it exists.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface HostEndpoints {
  graphql: string;
  s3: { endpoint: string; region: string; bucket: string };
  apiKeys: Array<{ organization: string; name?: string; key: string; permissions: string[] }>;
}

export interface RunningHost {
  endpoints: HostEndpoints;
  gql: (key: string, query: string, variables?: Record<string, unknown>) => Promise<any>;
  stop: () => Promise<void>;
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export async function startHost(adminKey = "inventory-e2e-admin"): Promise<RunningHost> {
  const dataDir = mkdtempSync(join(tmpdir(), "inv-host-"));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", join(ROOT, "stacks/local/main.ts")], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", DATA_DIR: dataDir, LOCAL_API_KEY: adminKey, LOCAL_PERSIST: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const file = join(dataDir, "endpoints.json");
  const deadline = Date.now() + 120_000;
  let endpoints: HostEndpoints | undefined;
  while (!endpoints) {
    if (child.exitCode !== null) throw new Error(`local host exited: ${output.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`local host did not start: ${output.slice(-2000)}`);
    if (existsSync(file)) {
      try {
        endpoints = JSON.parse(readFileSync(file, "utf8")) as HostEndpoints;
      } catch {
        // being written
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const gql = async (key: string, query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(endpoints!.graphql, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
    return res.json();
  };
  return {
    endpoints,
    gql,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
