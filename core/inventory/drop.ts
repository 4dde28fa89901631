/**
 * The bucket side of inventory sync: where files go (`inventory/<account_id>/<warehouse_id>/<name>.csv`,
 * IDs exactly as inventory_sync_status shows them), presigned uploads for API clients, and moving
 * a drop that names no known organization/warehouse aside (`rejected/…`) without processing it.
 */
import { CopyObjectCommand, DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { Deps } from "../deps.ts";
import { toGlobalId } from "../ids.ts";
import { INVENTORY_DROP } from "../../stacks/definitions.ts";
import { ValidationError } from "../errors.ts";

/** Object metadata naming the batch a file belongs to (URL downloads); S3 lower-cases the name. */
export const BATCH_METADATA = "batch-id";
export const REJECTED_PREFIX = "rejected/";
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** Presigned upload URLs expire after this many seconds. */
export const UPLOAD_URL_TTL = 900;

export function dropKey(orgId: number, warehouseId: number, fileName: string): string {
  return `${INVENTORY_DROP.prefix}${toGlobalId("Account", orgId)}/${toGlobalId("Warehouse", warehouseId)}/${fileName}`;
}

/** The organization and warehouse a key names, or why it names none. */
export function parseDropKey(key: string): { orgId: number; warehouseId: number; fileName: string } | { problem: string } {
  const parts = key.split("/");
  if (parts.length !== 4 || `${parts[0]}/` !== INVENTORY_DROP.prefix || !parts[3]!.toLowerCase().endsWith(INVENTORY_DROP.suffix)) {
    return { problem: `key ${key} is not inventory/<account_id>/<warehouse_id>/<file>.csv` };
  }
  const org = decodeId("Account", parts[1]!);
  const warehouse = decodeId("Warehouse", parts[2]!);
  if (org === undefined) return { problem: `"${parts[1]}" is not an Account id` };
  if (warehouse === undefined) return { problem: `"${parts[2]}" is not a Warehouse id` };
  return { orgId: org, warehouseId: warehouse, fileName: parts[3]! };
}

function decodeId(type: string, value: string): number | undefined {
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, "base64").toString("utf8") : "";
  const match = /^([A-Za-z]+):(\d{1,15})$/.exec(decoded);
  return match && match[1] === type ? Number(match[2]) : undefined;
}

/** A file name for a presigned upload: safe characters, `.csv` appended when missing. */
export function uploadFileName(name: string | null | undefined, fallback: string): string {
  const base = (name ?? "").trim() || fallback;
  const withSuffix = base.toLowerCase().endsWith(".csv") ? base : `${base}.csv`;
  if (!FILE_NAME.test(withSuffix)) throw new ValidationError("file_name must be 1-100 of letters, digits, . _ - (starting with a letter or digit)", { path: "file_name" });
  return withSuffix;
}

/** A PUT URL for exactly this key: the signature covers the path, so it cannot be redirected to another prefix. */
export async function presignUpload(deps: Deps, key: string): Promise<{ url: string; expiresAt: string }> {
  const url = await getSignedUrl(deps.s3, new PutObjectCommand({ Bucket: deps.config.bucketName, Key: key, ContentType: "text/csv" }), {
    expiresIn: UPLOAD_URL_TTL,
    signableHeaders: new Set(["content-type"]),
  });
  return { url, expiresAt: new Date(deps.now().getTime() + UPLOAD_URL_TTL * 1000).toISOString() };
}

/** Moves an unprocessable drop aside (kept for inspection, never processed). */
export async function moveAside(deps: Deps, bucket: string, key: string): Promise<string> {
  const target = `${REJECTED_PREFIX}${key}`;
  await deps.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: target, CopySource: `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}` }));
  await deps.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  return target;
}
