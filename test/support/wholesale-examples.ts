/** Seed 002's example files (requests verbatim, documented responses) for the replay tests. */
export { exampleRequest, exampleResponse } from "./seed-examples.ts";

/** API-CONTRACT I-29: allocation rule 2 has one name, "B2B default" (three responses say "Warehouse"). */
export function withContractNames<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (_k, v) => (v && typeof v === "object" && v.id === 2 && v.name === "Warehouse" ? { ...v, name: "B2B default" } : v)) as T;
}
