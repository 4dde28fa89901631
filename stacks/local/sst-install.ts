/**
 * Installs SST's platform types (.sst/platform) so `tsc -p stacks/tsconfig.json` can type-check
 * the cloud stack offline: `sst install` only needs the npm registry with these variables (no
 * AWS account, no Bun download, no telemetry). Skips the install when the installed platform is
 * newer than package-lock.json and matches the installed sst version.
 *
 *   npx tsx stacks/local/sst-install.ts   (part of `npm run typecheck:stacks`)
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const platformTypes = join(root, ".sst", "platform", "config.d.ts");
const platformVersion = join(root, ".sst", "platform", "version");
const lockfile = join(root, "package-lock.json");
const sstBin = join(root, "node_modules", ".bin", "sst");

function installedSstVersion(): string {
  const pkg = JSON.parse(readFileSync(join(root, "node_modules", "sst", "package.json"), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

function upToDate(): string | undefined {
  if (!existsSync(platformTypes)) return undefined;
  if (existsSync(lockfile) && statSync(platformTypes).mtimeMs <= statSync(lockfile).mtimeMs) return undefined;
  const version = existsSync(platformVersion) ? readFileSync(platformVersion, "utf8").trim() : "";
  if (version !== installedSstVersion()) return undefined;
  return version;
}

const cached = upToDate();
if (cached) {
  console.log(`sst-install: skipped, .sst/platform (sst ${cached}) is newer than package-lock.json`);
  process.exit(0);
}

console.log(
  `sst-install: running sst install --stage ci (${existsSync(platformTypes) ? "platform older than package-lock.json or another sst version" : "no .sst/platform yet"})`,
);
const started = performance.now();
// node_modules/.bin/sst is a Node script: run it with this Node (24), whatever `node` is on PATH.
const result = spawnSync(process.execPath, [sstBin, "install", "--stage", "ci"], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    SST_TELEMETRY_DISABLED: "1",
    SST_SKIP_DEPENDENCY_CHECK: "1",
    SST_NO_BUN: "1",
  },
});
if (result.error) {
  console.error(`sst-install: could not start ${sstBin}: ${result.error.message}`);
  process.exit(1);
}
if (result.status !== 0 || !existsSync(platformTypes)) {
  console.error(`sst-install: sst install failed (exit ${result.status ?? result.signal})`);
  process.exit(result.status || 1);
}
console.log(`sst-install: installed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
