/** Seed 002's example files (requests verbatim, documented responses) for the replay tests. */
import { readFileSync } from "node:fs";

const DIR = new URL("../../../shared/seeds/examples/", import.meta.url);

export const exampleRequest = (name: string) => readFileSync(new URL(`${name}.graphql`, DIR), "utf8");
export const exampleResponse = (name: string) => JSON.parse(readFileSync(new URL(`${name}.response.json`, DIR), "utf8")) as { data: Record<string, unknown>; extensions: { permissionsUsed: string[] } };

/** API-CONTRACT I-29: allocation rule 2 has one name, "B2B default" (three responses say "Warehouse"). */
export function withContractNames<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (_k, v) => (v && typeof v === "object" && v.id === 2 && v.name === "Warehouse" ? { ...v, name: "B2B default" } : v)) as T;
}
