/**
 * Runs the real `npm start` as a child process, like a developer would, for end-to-end tests:
 *
 *   const host = await startLocalHostProcess({ dataDir });   // waits for endpoints.json
 *   await fetch(host.endpoints.health);
 *   await host.stop();                                        // SIGTERM to npm, waits for exit
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { dataFiles, REPO_ROOT, type LocalEndpoints } from "../../stacks/local/host.ts";

export interface LocalHostProcess {
  dataDir: string;
  endpoints: LocalEndpoints;
  /** The `npm` process (its own process group). */
  child: ChildProcess;
  /** Milliseconds from spawn to endpoints.json. */
  startupMs: number;
  output(): string;
  /** Every live process of the group started for this host, plus the detached watchdog. */
  processes(): ProcessInfo[];
  /**
   * Sends `signal` (default SIGTERM) to npm only, as `kill <pid>` would, or to the whole process
   * group, as Ctrl-C does; waits for npm to exit and then for every process of this host (the
   * ones alive before the signal: npm, sh, tsx, node, Java, watchdog) to be gone.
   */
  stop(signal?: NodeJS.Signals, target?: "npm" | "group"): Promise<StopResult>;
  /** Last resort cleanup: SIGKILL the whole group and anything still holding the data folder. */
  kill(): void;
}

export interface StopResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Processes of the host still alive 30 s after the signal (should be none). */
  survivors: ProcessInfo[];
  /** Milliseconds from the signal until the last process was gone. */
  stopMs: number;
}

export interface StartLocalHostProcessOptions {
  dataDir?: string;
  /** Default 0 (any free port). */
  port?: number;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  args: string;
}

export function listProcesses(): ProcessInfo[] {
  const out = execFileSync("ps", ["-eo", "pid=,ppid=,pgid=,args="], { encoding: "utf8" });
  return out
    .split("\n")
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), pgid: Number(m[3]), args: m[4]! }));
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Variables a test worker may carry (from testEnv) that must not leak into the host. */
const INHERITED_NOT_WANTED = /^(SST_RESOURCE_|AWS_ENDPOINT_URL|LOCAL_|PORT$|DATA_DIR$|VITEST|NODE_OPTIONS$)/;

/** Hosts not stopped yet: killed if the test process exits first, so no group outlives a run. */
const live = new Set<() => void>();
process.on("exit", () => {
  for (const kill of live) kill();
});

export async function startLocalHostProcess(options: StartLocalHostProcessOptions = {}): Promise<LocalHostProcess> {
  const dataDir = resolve(options.dataDir ?? mkdtempSync(join(tmpdir(), "local-host-")));
  const files = dataFiles(dataDir);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !INHERITED_NOT_WANTED.test(k)) env[k] = v;
  Object.assign(env, { PORT: String(options.port ?? 0), DATA_DIR: dataDir }, options.env ?? {});

  const started = Date.now();
  const child = spawn("npm", ["start"], { cwd: REPO_ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once("exit", (code, signal) => r({ code, signal })),
  );

  const pgid = child.pid!;
  const processes = () => {
    const all = listProcesses();
    const group = all.filter((p) => p.pgid === pgid);
    const pids = new Set(group.map((p) => p.pid));
    // The watchdog runs in its own group; find it as a child of a group member.
    const extra = all.filter((p) => !pids.has(p.pid) && pids.has(p.ppid));
    return [...group, ...extra];
  };
  const kill = () => {
    live.delete(kill);
    for (const p of processes()) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {}
    }
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {}
  };

  live.add(kill);

  const deadline = started + (options.timeoutMs ?? 90_000);
  let endpoints: LocalEndpoints | undefined;
  while (!endpoints) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`npm start exited (${child.exitCode ?? child.signalCode}) before writing endpoints.json:\n${output}`);
    }
    if (Date.now() > deadline) {
      kill();
      throw new Error(`npm start did not write ${files.endpoints} in time:\n${output}`);
    }
    if (existsSync(files.endpoints)) {
      try {
        const parsed = JSON.parse(readFileSync(files.endpoints, "utf8")) as LocalEndpoints;
        // Only ours: another host may be running on this folder (the lock test).
        if (processes().some((p) => p.pid === parsed.pid)) endpoints = parsed;
      } catch {
        // being written
      }
    }
    if (!endpoints) await new Promise((r) => setTimeout(r, 100));
  }
  const startupMs = Date.now() - started;

  return {
    dataDir,
    endpoints,
    child,
    startupMs,
    output: () => output,
    processes,
    async stop(signal: NodeJS.Signals = "SIGTERM", target: "npm" | "group" = "npm") {
      const before = processes();
      const t0 = Date.now();
      if (child.exitCode === null && child.signalCode === null) {
        if (target === "group") process.kill(-pgid, signal);
        else child.kill(signal);
      }
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`npm start did not exit after ${signal}:\n${output}`)), 40_000).unref(),
      );
      const { code, signal: exitSignal } = await Promise.race([exited, timeout]);
      let survivors = before.filter((p) => pidAlive(p.pid));
      while (survivors.length > 0 && Date.now() - t0 < 30_000) {
        await new Promise((r) => setTimeout(r, 100));
        survivors = survivors.filter((p) => pidAlive(p.pid));
      }
      live.delete(kill);
      return { code, signal: exitSignal, survivors, stopMs: Date.now() - t0 };
    },
    kill,
  };
}
