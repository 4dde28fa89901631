/**
 * Integration-test environment on the shared emulators (test/support/global-setup.ts):
 *
 *   const env = await testEnv();   // in a test file, top level or beforeAll
 *
 * creates a uniquely named table, bucket and queues (so test files run in parallel without
 * seeing each other's data), sets the same environment the Lambdas get (SST_RESOURCE_*,
 * AWS_ENDPOINT_URL_*, region, dummy credentials, COMMERCE_LOCAL), and builds `deps` the way the
 * handlers do: `createDeps(loadConfig())` from core/deps.ts.
 *
 * Set the environment before anything reads `Resource` (it is read once per process): call
 * testEnv() before importing modules that touch resources at import time.
 */
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import type { QueueSettings } from "../../stacks/definitions.ts";
import type { Deps } from "../../core/deps.ts";
import { applyEnvironment, localEnvironment } from "../../stacks/local/host.ts";
import {
  createClients,
  ensureResources,
  resourceNames,
  type AwsClients,
  type EnsuredResources,
  type QueueKey,
  type ResourceNames,
} from "../../stacks/local/resources.ts";
import type { EmulatorEndpoints } from "./global-setup.ts";

export interface TestEnv {
  /** Random prefix of this file's resources ("t-1a2b3c4d"). */
  prefix: string;
  names: ResourceNames;
  resources: EnsuredResources;
  endpoints: EmulatorEndpoints;
  /** SDK clients on the emulators, for arranging and asserting. */
  clients: AwsClients;
  /** The variables set in process.env. */
  env: Record<string, string>;
  adminKey: string;
  /** createDeps(loadConfig()) from core/deps.ts, as the handlers build it. */
  deps: Deps;
}

export interface TestEnvOptions {
  /** Override queue settings (e.g. a 1 s visibility timeout to test retries quickly). */
  queues?: Record<QueueKey, QueueSettings>;
  adminKey?: string;
  /** Emulators to use instead of the run's shared ones (benchmarks start their own). */
  endpoints?: EmulatorEndpoints;
}

export function emulatorEndpoints(): EmulatorEndpoints {
  const endpoints = inject("emulators");
  if (!endpoints) throw new Error("emulators not started: run through vitest with test/support/global-setup.ts (and not TEST_EMULATORS=0)");
  return endpoints;
}

export async function testEnv(options: TestEnvOptions = {}): Promise<TestEnv> {
  const endpoints = options.endpoints ?? emulatorEndpoints();
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const names = resourceNames(prefix);
  const clients = createClients(endpoints);
  const resources = await ensureResources({ names, clients, ...(options.queues ? { queues: options.queues } : {}) });
  const adminKey = options.adminKey ?? `test-admin-${prefix}`;
  const env = localEnvironment({ region: endpoints.region, endpoints, resources, adminKey, stage: "test" });
  applyEnvironment(env);
  // Imported after the environment is set (sst's Resource reads it once per process).
  const [{ createDeps }, { loadConfig }] = await Promise.all([import("../../core/deps.ts"), import("../../core/config.ts")]);
  const deps = createDeps(loadConfig());
  return { prefix, names, resources, endpoints, clients, env, adminKey, deps };
}
