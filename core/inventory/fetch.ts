/**
 * `inventory_sync(url)`, the request side: the URL's form is checked at the mutation, the batch is
 * recorded `pending` and a fetch message queued. The download itself (core/inventory/download.ts)
 * runs in the fetch worker only, so the other functions do not bundle its HTTP client.
 */
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { Deps } from "../deps.ts";
import { ValidationError } from "../errors.ts";

export interface FetchMessage {
  v: 1;
  orgId: number;
  batchId: string;
}

/** Checks a URL's form (at the mutation, before anything is stored). */
export function validateSyncUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ValidationError(`url "${raw.slice(0, 200)}" is not a valid URL`, { path: "data.url" });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new ValidationError("url must use http or https", { path: "data.url" });
  if (url.username || url.password) throw new ValidationError("url must not contain credentials (the file must be downloadable without them)", { path: "data.url" });
  if (raw.length > 2048) throw new ValidationError("url is longer than 2048 characters", { path: "data.url" });
  return url;
}

export async function queueFetch(deps: Deps, msg: FetchMessage): Promise<void> {
  await deps.sqs.send(new SendMessageCommand({ QueueUrl: deps.config.fetchQueueUrl, MessageBody: JSON.stringify(msg) }));
}

