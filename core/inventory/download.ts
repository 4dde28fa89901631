/**
 * The fetch worker of `inventory_sync(url)` (the request side is core/inventory/fetch.ts): it
 * streams the URL into the bucket at the warehouse's drop key with the batch id in the object's
 * metadata, and the S3 event then continues the same batch through the one file path.
 *
 * Download rules: http/https only, no credentials in the URL, at most MAX_REDIRECTS redirects
 * (each hop re-checked), a size and a time limit; in the cloud the host must not resolve to a
 * private, loopback or link-local address (the local host allows loopback so files can be served
 * from the same machine). Any failure ends the batch in `error` with the reason.
 *
 * The address rule is applied where the socket connects (undici's connector calls our lookup), not
 * in a separate DNS query before the request: the address checked is the address used, so a name
 * whose DNS answer changes between a check and the connection (rebinding) cannot reach inside.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP } from "node:net";
import { Agent, fetch as undiciFetch } from "undici";
import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand } from "@aws-sdk/client-s3";
import type { Deps } from "../deps.ts";
import { failBatch, getBatch } from "./batches.ts";
import { BATCH_METADATA, dropKey } from "./drop.ts";
import type { FetchMessage } from "./fetch.ts";

export const MAX_DOWNLOAD_BYTES = Number(process.env.INVENTORY_MAX_DOWNLOAD_BYTES ?? 200 * 1024 * 1024);
export const DOWNLOAD_TIMEOUT_MS = Number(process.env.INVENTORY_DOWNLOAD_TIMEOUT_MS ?? 240_000);
const MAX_REDIRECTS = 3;
/** Multipart part size: the largest buffer the worker holds. */
const PART_BYTES = 8 * 1024 * 1024;

export class DownloadError extends Error {}

/** True for addresses a cloud worker must never request (SSRF guard). */
export function isPrivateAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a, b] = ip.split(".").map(Number) as [number, number];
    return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  const v6 = ip.toLowerCase();
  if (v6.startsWith("::ffff:")) return isPrivateAddress(v6.slice(7));
  return v6 === "::1" || v6 === "::" || v6.startsWith("fe8") || v6.startsWith("fe9") || v6.startsWith("fea") || v6.startsWith("feb") || v6.startsWith("fc") || v6.startsWith("fd");
}

const isLoopback = (ip: string) => (isIP(ip) === 4 ? ip.startsWith("127.") : ip === "::1" || ip === "::ffff:127.0.0.1");

/** Whether a download may connect to `ip`: never to a private address; to loopback only on the local host. */
export const addressAllowed = (ip: string, local: boolean) => (local && isLoopback(ip)) || !isPrivateAddress(ip);

const refusal = (host: string) => `download refused: ${host} resolves to a private, loopback or link-local address`;

class RefusedAddressError extends Error {}

type Resolve = (hostname: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;
type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

const systemResolve: Resolve = (hostname, callback) => dnsLookup(hostname, { all: true }, callback);

/**
 * A `lookup` for sockets (net.connect's option) that refuses a host if any of its addresses is
 * refused, and otherwise hands the connector exactly the addresses it checked.
 */
export function guardedLookup(local: boolean, resolve: Resolve = systemResolve) {
  return (hostname: string, options: { family?: number | string; all?: boolean }, callback: LookupCallback): void => {
    resolve(hostname, (error, addresses) => {
      if (error) return callback(error, []);
      if (addresses.some((a) => !addressAllowed(a.address, local))) return callback(Object.assign(new RefusedAddressError(refusal(hostname)), { code: "EREFUSED_ADDRESS" }), []);
      const family = options.family === "IPv4" ? 4 : options.family === "IPv6" ? 6 : Number(options.family ?? 0);
      const usable = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
      if (!usable.length) return callback(Object.assign(new Error(`${hostname} has no usable address`), { code: "ENOTFOUND" }), []);
      if (options.all) callback(null, usable);
      else callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}

const agents = new Map<boolean, Agent>();
/** One connection pool per address rule (the local host's and the cloud's). */
const agentFor = (local: boolean) => {
  let agent = agents.get(local);
  if (!agent) agents.set(local, (agent = new Agent({ connect: { lookup: guardedLookup(local) } })));
  return agent;
};

/** An IP literal never goes through a lookup, so it is checked here. */
function checkLiteralHost(deps: Deps, url: URL): void {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && !addressAllowed(host, deps.config.local)) throw new DownloadError(refusal(host));
}

/** Processes one fetch message: download, store, or fail the batch with the reason. */
export async function fetchIntoBucket(deps: Deps, msg: FetchMessage): Promise<"stored" | "failed" | "skipped"> {
  const batch = await getBatch(deps, msg.orgId, msg.batchId);
  if (!batch || batch.status !== "pending") return "skipped";
  const key = dropKey(batch.orgId, batch.warehouseId, `${batch.id}.csv`);
  try {
    const response = await download(deps, batch.url);
    await storeStream(deps, key, response, batch.id);
    return "stored";
  } catch (error) {
    if (!(error instanceof DownloadError)) throw error;
    await failBatch(deps, batch.orgId, batch.id, error.message);
    return "failed";
  }
}

type DownloadResponse = Awaited<ReturnType<typeof undiciFetch>>;

async function download(deps: Deps, raw: string): Promise<DownloadResponse> {
  let url = new URL(raw);
  const signal = AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS);
  for (let hop = 0; ; hop++) {
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new DownloadError("download failed: redirected to a URL that is not http or https");
    checkLiteralHost(deps, url);
    let response: DownloadResponse;
    try {
      response = await undiciFetch(url, { redirect: "manual", signal, headers: { accept: "text/csv, text/plain, */*" }, dispatcher: agentFor(deps.config.local) });
    } catch (error) {
      const cause = (error as { cause?: Error }).cause;
      if (cause instanceof RefusedAddressError) throw new DownloadError(cause.message);
      if ((cause as NodeJS.ErrnoException | undefined)?.code === "ENOTFOUND") throw new DownloadError(`download failed: host ${url.hostname} could not be resolved`);
      const reason = (error as Error).name === "TimeoutError" ? `timed out after ${DOWNLOAD_TIMEOUT_MS / 1000} s` : (cause?.message ?? (error as Error).message);
      throw new DownloadError(`download failed: ${reason}`);
    }
    if (response.status >= 300 && response.status < 400 && response.headers.get("location")) {
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new DownloadError(`download failed: more than ${MAX_REDIRECTS} redirects`);
      url = new URL(response.headers.get("location")!, url);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new DownloadError(`download failed: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
    }
    const length = Number(response.headers.get("content-length") ?? NaN);
    if (length > MAX_DOWNLOAD_BYTES) {
      await response.body?.cancel();
      throw new DownloadError(`download failed: the file is larger than ${MAX_DOWNLOAD_BYTES} bytes`);
    }
    return response;
  }
}

/** Streams a response into the bucket: one PUT when small, multipart (8 MiB parts) when large. */
async function storeStream(deps: Deps, key: string, response: DownloadResponse, batchId: string): Promise<void> {
  const bucket = deps.config.bucketName;
  const common = { Bucket: bucket, Key: key, ContentType: "text/csv", Metadata: { [BATCH_METADATA]: batchId } };
  const reader = response.body?.getReader();
  let parts: Buffer[] = [];
  let partBytes = 0;
  let total = 0;
  let uploadId: string | undefined;
  const done: Array<{ ETag: string; PartNumber: number }> = [];
  const uploadPart = async () => {
    uploadId ??= (await deps.s3.send(new CreateMultipartUploadCommand(common))).UploadId!;
    const out = await deps.s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: done.length + 1, Body: Buffer.concat(parts) }));
    done.push({ ETag: out.ETag!, PartNumber: done.length + 1 });
    parts = [];
    partBytes = 0;
  };
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = reader ? await reader.read() : { done: true, value: undefined };
      } catch (error) {
        throw new DownloadError(`download failed: ${(error as Error).name === "TimeoutError" ? `timed out after ${DOWNLOAD_TIMEOUT_MS / 1000} s` : (error as Error).message}`);
      }
      if (chunk.done) break;
      total += chunk.value.byteLength;
      if (total > MAX_DOWNLOAD_BYTES) throw new DownloadError(`download failed: the file is larger than ${MAX_DOWNLOAD_BYTES} bytes`);
      parts.push(Buffer.from(chunk.value));
      partBytes += chunk.value.byteLength;
      if (partBytes >= PART_BYTES) await uploadPart();
    }
    if (!uploadId) {
      await deps.s3.send(new PutObjectCommand({ ...common, Body: Buffer.concat(parts) }));
      return;
    }
    if (partBytes) await uploadPart();
    await deps.s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: done } }));
  } catch (error) {
    await reader?.cancel().catch(() => {});
    if (uploadId) await deps.s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => {});
    throw error;
  }
}
