/**
 * Starts ONE set of emulators for the whole test run (in memory, free ports) and hands their
 * endpoints to the test files through vitest's provide/inject (see test/support/emulators.ts).
 * TEST_EMULATORS=0 skips them (unit tests only).
 */
import type { TestProject } from "vitest/node";
import { startEmulators } from "../../stacks/local/emulators.ts";

export interface EmulatorEndpoints {
  dynamodb: string;
  s3: string;
  sqs: string;
  region: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    emulators: EmulatorEndpoints | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.TEST_EMULATORS === "0") {
    project.provide("emulators", null);
    return async () => {};
  }
  const emulators = await startEmulators({ persist: false, region: "us-east-1" });
  project.provide("emulators", {
    dynamodb: emulators.dynamodb.endpoint,
    s3: emulators.s3.endpoint,
    sqs: emulators.sqs.endpoint,
    region: emulators.region,
  });
  return async () => {
    await emulators.stop();
  };
}
