/** The seed documents' example files (../shared/seeds/examples beside the repository). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const EXAMPLES_DIR = fileURLToPath(new URL("../../../shared/seeds/examples/", import.meta.url));

export const exampleRequest = (name: string) => readFileSync(`${EXAMPLES_DIR}${name}.graphql`, "utf8");
export const exampleResponse = (name: string) =>
  JSON.parse(readFileSync(`${EXAMPLES_DIR}${name}.response.json`, "utf8")) as { data: Record<string, any>; extensions?: { complexity: number; permissionsUsed: string[]; appVersion: string } };
