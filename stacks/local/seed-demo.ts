/**
 * `npm run seed:demo`: loads the demo data into the local data folder without serving anything.
 * Starts the emulators on $DATA_DIR (persistent), creates the resources, runs core/demo's
 * seedDemo, records the API keys it returns in $DATA_DIR/seed.json (the host publishes them in
 * endpoints.json) and stops. The host must not be running on the same DATA_DIR.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { startEmulators } from "./emulators.ts";
import {
  APP_NAME,
  applyEnvironment,
  dataFiles,
  hostOptionsFromEnv,
  localEnvironment,
  lockDataDir,
  runDemoSeed,
  type ApiKey,
} from "./host.ts";
import { createClients, destroyClients, ensureResources, resourceNames } from "./resources.ts";

const options = hostOptionsFromEnv();
const stage = "local";
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
const log = (line: string) => console.log(`[seed-demo] ${line}`);

mkdirSync(options.dataDir, { recursive: true });
const unlock = lockDataDir(options.dataDir);
const emulators = await startEmulators({ dataDir: options.dataDir, persist: true, region, log });
let code = 0;
try {
  const endpoints = { dynamodb: emulators.dynamodb.endpoint, s3: emulators.s3.endpoint, sqs: emulators.sqs.endpoint };
  const clients = createClients({ ...endpoints, region });
  const resources = await ensureResources({ names: resourceNames(`${APP_NAME}-${stage}`), clients });
  destroyClients(clients);
  applyEnvironment(localEnvironment({ region, endpoints, resources, adminKey: options.adminKey, stage }));
  const { alreadySeeded, apiKeys } = await runDemoSeed(options.adminKey);
  if (alreadySeeded) {
    log(`the demo data is already in ${options.dataDir}: nothing to do`);
  } else {
    const { seed } = dataFiles(options.dataDir);
    const previous: ApiKey[] = existsSync(seed) ? (JSON.parse(readFileSync(seed, "utf8")).apiKeys ?? []) : [];
    const merged = [...previous.filter((p) => !apiKeys.some((k) => k.key === p.key)), ...apiKeys];
    writeFileSync(seed, JSON.stringify({ seededAt: new Date().toISOString(), apiKeys: merged }, null, 2));
    log(`demo data loaded into ${options.dataDir}`);
    console.log(JSON.stringify({ apiKeys }, null, 2));
  }
} catch (error) {
  console.error(`[seed-demo] failed: ${(error as Error)?.stack ?? error}`);
  code = 1;
} finally {
  await emulators.stop();
  unlock();
}
process.exit(code);
