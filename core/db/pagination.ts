/**
 * Relay cursor pagination over a Query. A cursor is the DynamoDB key of an edge, encoded; on the
 * way back in it is checked against the partition being read, so a cursor can't be replayed
 * against another partition (another tenant).
 */
import { GraphQLError } from "graphql";
import type { Db, Item, QueryInput } from "./client.ts";
import { keyAttributes } from "./client.ts";

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export const MAX_PAGE_SIZE = 1000;

export function encodeCursor(key: Item): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string, pkName: string, pk: string): Item {
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Item;
    if (key && typeof key === "object" && key[pkName] === pk) return key;
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError("Invalid cursor", { extensions: { code: "BAD_USER_INPUT" } });
}

/**
 * One page of a connection. `forward` is the natural order of the listing (e.g. false for newest
 * first); `last`/`before` read the other way and return edges in the natural order.
 */
export async function paginate<T>(
  db: Db,
  query: Omit<QueryInput, "limit" | "startKey" | "forward">,
  args: PageArgs,
  map: (item: Item) => T,
  opts: { forward?: boolean; defaultSize?: number } = {},
): Promise<Connection<T>> {
  const backward = args.last != null || args.before != null;
  const size = backward ? (args.last ?? opts.defaultSize ?? 50) : (args.first ?? opts.defaultSize ?? 50);
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new GraphQLError(`Page size must be between 0 and ${MAX_PAGE_SIZE}`, {
      extensions: { code: "BAD_USER_INPUT", argument: backward ? "last" : "first" },
    });
  }
  const keyNames = keyAttributes(query.index);
  const pkName = keyNames[0]!;
  const cursor = backward ? args.before : args.after;
  const startKey = cursor ? decodeCursor(cursor, pkName, query.pk) : undefined;
  const natural = opts.forward ?? true;
  const items: Item[] = [];
  let next = startKey;
  let more = false;
  // Read size+1 to know whether another page exists (filters may shorten pages, so loop).
  while (items.length < size + 1) {
    const page = await db.query({ ...query, forward: backward ? !natural : natural, limit: size + 1 - items.length, startKey: next });
    items.push(...page.items);
    next = page.lastKey;
    if (!next) break;
  }
  if (items.length > size) {
    more = true;
    items.length = size;
  }
  const cursorOf = (item: Item) => encodeCursor(Object.fromEntries(keyNames.map((k) => [k, item[k]])));
  const ordered = backward ? items.reverse() : items;
  const edges = ordered.map((item) => ({ cursor: cursorOf(item), node: map(item) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: backward ? startKey !== undefined : more,
      hasPreviousPage: backward ? more : startKey !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
