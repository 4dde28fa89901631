/**
 * `npm run bench`: runs every test/bench/*.bench.ts in turn (each exports `run(): Promise<void>`
 * and prints its own figures). BENCH=name runs only the files whose name contains it.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.env.BENCH;
const files = readdirSync(here).filter((f) => f.endsWith(".bench.ts") && (!only || f.includes(only))).sort();
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const mod = (await import(join(here, file))) as { run: () => Promise<void> };
  await mod.run();
}
process.exit(0);
