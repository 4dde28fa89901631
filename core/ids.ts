/**
 * Identifier formats of the API surfaces (API-CONTRACT 1.5): 24-hex ObjectIds whose first 8 hex
 * digits are the creation time, base64 global ids `Type:<n>`, UUIDs and their renderings.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { GraphQLError } from "graphql";

let counter = randomBytes(3).readUIntBE(0, 3);
const processPart = randomBytes(5).toString("hex");

/** A 24-hex id: 4 bytes of seconds, 5 random bytes per process, 3 bytes of counter. */
export function objectId(at: Date = new Date()): string {
  counter = (counter + 1) % 0xffffff;
  const seconds = Math.floor(at.getTime() / 1000).toString(16).padStart(8, "0");
  return seconds + processPart + counter.toString(16).padStart(6, "0");
}

export const isObjectId = (value: string) => /^[0-9a-f]{24}$/.test(value);

export function toGlobalId(type: string, id: number): string {
  return Buffer.from(`${type}:${id}`).toString("base64");
}

/** Decodes `base64("<type>:<n>")`; a clear BAD_USER_INPUT error for anything else. */
export function fromGlobalId(type: string, value: string, argument: string): number {
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, "base64").toString("utf8") : "";
  const match = /^([A-Za-z]+):(\d{1,15})$/.exec(decoded);
  if (!match || match[1] !== type) {
    throw new GraphQLError(`${argument} is not a valid ${type} id`, { extensions: { code: "BAD_USER_INPUT", argument } });
  }
  return Number(match[2]);
}

export const newUuid = () => randomUUID();
/** 32 lower-hex characters (Centra order id). */
export const uuidToHex = (uuid: string) => uuid.replaceAll("-", "");
export const hexToUuid = (hex: string) =>
  /^[0-9a-f]{32}$/.test(hex) ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : undefined;

/**
 * A Sentera-style id, `<7 alnum>_<OR|OD>_<tag>_CV_<env>_<9 hex>_<YYMMDD>_<HHMMSS>` (000). Opaque to
 * clients; generated once and stored.
 */
export function senteraId(type: "OR" | "OD", tag: string, at: Date = new Date(), env = "prod"): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = randomBytes(7);
  const head = [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
  const cleanTag = tag.replace(/[^A-Za-z0-9]/g, "").slice(0, 16) || "x";
  const iso = at.toISOString();
  const date = iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
  const time = iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19);
  return `${head}_${type}_${cleanTag}_CV_${env.slice(0, 4).padEnd(4, "x")}_${randomBytes(5).toString("hex").slice(0, 9)}_${date}_${time}`;
}
