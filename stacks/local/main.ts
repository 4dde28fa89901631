/**
 * `npm start`: the whole backend offline on this machine (see docs/local-host.md).
 *
 *   PORT=4000 DATA_DIR=.local-data LOCAL_API_KEY=local-admin-key npm start
 *
 * Prints the endpoints (also written to $DATA_DIR/endpoints.json) and runs until SIGINT/SIGTERM,
 * then stops the HTTP server, the pollers and the emulators (Java included) and exits 0.
 */
import { execFileSync } from "node:child_process";
import { hostOptionsFromEnv, startLocalHost, type LocalHost } from "./host.ts";

let host: LocalHost | undefined;
let stopping = false;

async function shutdown(signal: string, code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`[local-host] ${signal}: stopping`);
  // A second signal while stopping, or a stop that hangs, must still end the process.
  const force = setTimeout(() => {
    console.error("[local-host] stop took too long; exiting");
    process.exit(1);
  }, 30_000);
  force.unref();
  try {
    await host?.stop();
  } catch (error) {
    console.error(`[local-host] stop failed: ${(error as Error)?.stack ?? error}`);
    code = code || 1;
  }
  console.log("[local-host] stopped");
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (stopping) {
      console.error(`[local-host] ${signal} again: exiting now`);
      process.exit(1);
    }
    void shutdown(signal, 0);
  });
}
process.on("uncaughtException", (error) => {
  console.error(`[local-host] uncaught exception: ${error.stack ?? error}`);
  void shutdown("uncaughtException", 1);
});
process.on("unhandledRejection", (reason) => {
  console.error(`[local-host] unhandled rejection: ${(reason as Error)?.stack ?? reason}`);
});

/**
 * `npm start` runs npm → sh → tsx → this process. `kill <npm pid>` makes npm forward SIGTERM to
 * sh only, and sh exits without passing it on, which would leave tsx and us running. So we watch
 * the process that launched our parent (sh under npm, the shell under a bare `tsx`) and stop when
 * it is gone. (Ctrl-C signals the whole process group, which needs none of this.)
 */
function watchLauncher(): void {
  let launcher: number | undefined;
  try {
    launcher = Number(execFileSync("ps", ["-o", "ppid=", "-p", String(process.ppid)], { encoding: "utf8" }).trim()) || undefined;
  } catch {
    return;
  }
  if (!launcher || launcher <= 1) return;
  const timer = setInterval(() => {
    try {
      process.kill(launcher, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH") {
        clearInterval(timer);
        void shutdown("launcher exited", 0);
      }
    }
  }, 500);
  timer.unref();
}

try {
  watchLauncher();
  const options = hostOptionsFromEnv();
  console.log(`[local-host] starting (data ${options.dataDir}, port ${options.port || "any free"})`);
  host = await startLocalHost(options);
  if (stopping) {
    await host.stop();
  } else {
    console.log(JSON.stringify(host.endpoints, null, 2));
    console.log(`[local-host] ready: GraphQL ${host.endpoints.graphql} (Ctrl-C to stop)`);
  }
} catch (error) {
  console.error(`[local-host] failed to start: ${(error as Error)?.message ?? error}`);
  process.exit(1);
}
