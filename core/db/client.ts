/**
 * Table access: the only module that talks to DynamoDB. Every request path uses GetItem,
 * BatchGetItem, Query or writes on keys built in ./keys.ts; there is deliberately no scan method.
 * Counts requests and consumed capacity so benchmarks can report DynamoDB cost per operation.
 */
import { DynamoDBClient, type ConsumedCapacity } from "@aws-sdk/client-dynamodb";
import {
  BatchExecuteStatementCommand,
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { TABLE, type IndexName } from "./table-definition.ts";
import { pool } from "../pool.ts";
import { keys, type TableKey } from "./keys.ts";
import { ConflictError, failedConditionIndexes, isConditionFailure } from "./errors.ts";

export type Item = Record<string, unknown>;
/** BatchExecuteStatement error codes worth another attempt (capacity and transient conflicts). */
const RETRYABLE_STATEMENT_ERRORS = new Set(["ProvisionedThroughputExceeded", "ThrottlingError", "RequestLimitExceeded", "InternalServerError", "TransactionConflict"]);
type RawTransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];
/** A TransactWriteItems entry without TableName (the Db adds it). */
export type TransactItem = { [K in keyof RawTransactItem]?: Omit<NonNullable<RawTransactItem[K]>, "TableName"> };

export interface DbStats {
  requests: Record<string, number>;
  readCapacity: number;
  writeCapacity: number;
  /** Write capacity units per operation name (where the writes go, for benchmarks). */
  writeCapacityByOp: Record<string, number>;
}

export interface QueryInput {
  index?: IndexName;
  /** Partition key value (of the table or of the index). */
  pk: string;
  /** Sort-key condition; at most one of these. */
  skBeginsWith?: string;
  skBetween?: [string, string];
  skGreaterThan?: string;
  skLessThan?: string;
  limit?: number;
  /** false = descending. */
  forward?: boolean;
  startKey?: Item;
  consistent?: boolean;
  /** Attribute names to read (a ProjectionExpression); keys are always returned. */
  attributes?: string[];
  filter?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> };
}

export interface QueryPage<T = Item> {
  items: T[];
  lastKey?: Item;
}

/** Attribute names of an index's key (and the table's), for cursors and projections. */
export function keyAttributes(index?: IndexName): string[] {
  if (!index) return [TABLE.partitionKey, TABLE.sortKey];
  const def = TABLE.globalIndexes.find((i) => i.name === index);
  if (!def) throw new Error(`unknown index ${index}`);
  return [def.partitionKey, def.sortKey, TABLE.partitionKey, TABLE.sortKey];
}

const chunks = <T>(list: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

export class Db {
  readonly doc: DynamoDBDocumentClient;
  readonly stats: DbStats = { requests: {}, readCapacity: 0, writeCapacity: 0, writeCapacityByOp: {} };

  constructor(
    readonly tableName: string,
    client: DynamoDBClient = new DynamoDBClient({}),
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
      unmarshallOptions: { wrapNumbers: false },
    });
  }

  resetStats(): void {
    this.stats.requests = {};
    this.stats.readCapacity = 0;
    this.stats.writeCapacity = 0;
    this.stats.writeCapacityByOp = {};
  }

  private count(op: string, consumed?: ConsumedCapacity | ConsumedCapacity[]): void {
    this.stats.requests[op] = (this.stats.requests[op] ?? 0) + 1;
    for (const c of [consumed ?? []].flat()) {
      this.stats.readCapacity += c.ReadCapacityUnits ?? (op === "Query" || op === "GetItem" || op === "BatchGetItem" ? (c.CapacityUnits ?? 0) : 0);
      const write = c.WriteCapacityUnits ?? (op === "Query" || op === "GetItem" || op === "BatchGetItem" ? 0 : (c.CapacityUnits ?? 0));
      this.stats.writeCapacity += write;
      if (write) this.stats.writeCapacityByOp[op] = (this.stats.writeCapacityByOp[op] ?? 0) + write;
    }
  }

  async get<T = Item>(key: TableKey, opts: { consistent?: boolean; attributes?: string[] } = {}): Promise<T | undefined> {
    const projection = projectionOf(opts.attributes);
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: key,
        ConsistentRead: opts.consistent ?? false,
        ReturnConsumedCapacity: "TOTAL",
        ...projection,
      }),
    );
    this.count("GetItem", out.ConsumedCapacity);
    return out.Item as T | undefined;
  }

  /** Reads many items by key (any order in, the found ones out; missing keys are skipped). */
  async batchGet<T = Item>(keyList: TableKey[], opts: { consistent?: boolean; attributes?: string[] } = {}): Promise<T[]> {
    const unique = [...new Map(keyList.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
    const found: T[] = [];
    for (const part of chunks(unique, 100)) {
      let request: TableKey[] = part;
      for (let attempt = 0; request.length > 0; attempt++) {
        const out = await this.doc.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: { Keys: request, ConsistentRead: opts.consistent ?? false, ...projectionOf(opts.attributes, true) },
            },
            ReturnConsumedCapacity: "TOTAL",
          }),
        );
        this.count("BatchGetItem", out.ConsumedCapacity);
        found.push(...((out.Responses?.[this.tableName] ?? []) as T[]));
        request = (out.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as TableKey[];
        if (request.length) await backoff(attempt);
      }
    }
    return found;
  }

  async put(item: Item, opts: { condition?: string; names?: Record<string, string>; values?: Record<string, unknown> } = {}): Promise<void> {
    try {
      const out = await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: opts.condition,
          ExpressionAttributeNames: opts.names,
          ExpressionAttributeValues: opts.values,
          ReturnConsumedCapacity: "TOTAL",
        }),
      );
      this.count("PutItem", out.ConsumedCapacity);
    } catch (error) {
      this.count("PutItem");
      throw error;
    }
  }

  /** UpdateItem; returns the item's new attributes (ALL_NEW). */
  async update<T = Item>(
    key: TableKey,
    expression: string,
    opts: { condition?: string; names?: Record<string, string>; values?: Record<string, unknown> } = {},
  ): Promise<T> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: expression,
          ConditionExpression: opts.condition,
          ExpressionAttributeNames: opts.names,
          ExpressionAttributeValues: opts.values,
          ReturnValues: "ALL_NEW",
          ReturnConsumedCapacity: "TOTAL",
        }),
      );
      this.count("UpdateItem", out.ConsumedCapacity);
      return out.Attributes as T;
    } catch (error) {
      this.count("UpdateItem");
      throw error;
    }
  }

  async delete(key: TableKey, opts: { condition?: string; names?: Record<string, string>; values?: Record<string, unknown> } = {}): Promise<void> {
    const out = await this.doc.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: key,
        ConditionExpression: opts.condition,
        ExpressionAttributeNames: opts.names,
        ExpressionAttributeValues: opts.values,
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    this.count("DeleteItem", out.ConsumedCapacity);
  }

  /** One page of a Query on the table or an index. */
  async query<T = Item>(input: QueryInput): Promise<QueryPage<T>> {
    const [pkName, skName] = keyAttributes(input.index);
    const names: Record<string, string> = { "#pk": pkName!, ...(input.filter?.names ?? {}) };
    const values: Record<string, unknown> = { ":pk": input.pk, ...(input.filter?.values ?? {}) };
    let condition = "#pk = :pk";
    const sk = (expr: string) => {
      names["#sk"] = skName!;
      condition += ` AND ${expr}`;
    };
    if (input.skBeginsWith !== undefined) {
      sk("begins_with(#sk, :sk)");
      values[":sk"] = input.skBeginsWith;
    } else if (input.skBetween) {
      sk("#sk BETWEEN :skLo AND :skHi");
      values[":skLo"] = input.skBetween[0];
      values[":skHi"] = input.skBetween[1];
    } else if (input.skGreaterThan !== undefined) {
      sk("#sk > :sk");
      values[":sk"] = input.skGreaterThan;
    } else if (input.skLessThan !== undefined) {
      sk("#sk < :sk");
      values[":sk"] = input.skLessThan;
    }
    let projection: string | undefined;
    if (input.attributes) {
      const attrs = [...new Set([...input.attributes, ...keyAttributes(input.index)])];
      projection = attrs.map((a, i) => {
        names[`#p${i}`] = a;
        return `#p${i}`;
      }).join(", ");
    }
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: input.index,
        KeyConditionExpression: condition,
        FilterExpression: input.filter?.expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ProjectionExpression: projection,
        Limit: input.limit,
        ScanIndexForward: input.forward ?? true,
        ExclusiveStartKey: input.startKey,
        ConsistentRead: input.index ? undefined : (input.consistent ?? false),
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    this.count("Query", out.ConsumedCapacity);
    return { items: (out.Items ?? []) as T[], lastKey: out.LastEvaluatedKey };
  }

  /** Every item of a Query, page after page (for bounded partitions such as one aggregate). */
  async queryAll<T = Item>(input: Omit<QueryInput, "startKey">): Promise<T[]> {
    const items: T[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.query<T>({ ...input, startKey });
      items.push(...page.items);
      startKey = page.lastKey;
      if (input.limit !== undefined && items.length >= input.limit) break;
    } while (startKey);
    return items;
  }

  /**
   * All-or-nothing write of up to 100 items (an aggregate and its guards). A failed condition
   * becomes a ConflictError naming the failed items, so callers can map it to a clear message.
   */
  async transact(items: TransactItem[], conflictMessage = "the record was changed concurrently; read it again and retry"): Promise<void> {
    if (items.length === 0) return;
    if (items.length > 100) throw new Error(`a transaction holds at most 100 items (got ${items.length})`);
    const withTable = items.map((entry) => withTableName(entry, this.tableName));
    try {
      const out = await this.doc.send(new TransactWriteCommand({ TransactItems: withTable, ReturnConsumedCapacity: "TOTAL" }));
      this.count("TransactWriteItems", out.ConsumedCapacity);
    } catch (error) {
      this.count("TransactWriteItems");
      if (isConditionFailure(error)) {
        const failed = failedConditionIndexes(error);
        throw Object.assign(new ConflictError(conflictMessage), { failedIndexes: failed });
      }
      throw error;
    }
  }

  /** Unconditional bulk puts (25 per request, unprocessed items retried). */
  async batchPut(items: Item[]): Promise<void> {
    for (const part of chunks(items, 25)) {
      let request = part.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; request.length > 0; attempt++) {
        const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: request }, ReturnConsumedCapacity: "TOTAL" }));
        this.count("BatchWriteItem", out.ConsumedCapacity);
        request = (out.UnprocessedItems?.[this.tableName] ?? []) as typeof request;
        if (request.length) await backoff(attempt);
      }
    }
  }

  /**
   * Independent conditional writes, 25 PartiQL statements per request (BatchExecuteStatement): each
   * statement succeeds or fails on its own, at the write units of a single PutItem, in one round
   * trip. Returns per statement whether it was written or its condition failed (an UPDATE whose
   * WHERE did not match, an INSERT of an existing key); statements throttled are retried, any
   * other error is thrown.
   */
  async writeStatements(statements: Array<{ statement: string; parameters: unknown[] }>, opts: { requestsInFlight?: number } = {}): Promise<Array<"written" | "condition-failed">> {
    const out: Array<"written" | "condition-failed"> = new Array(statements.length);
    const requests = Array.from({ length: Math.ceil(statements.length / 25) }, (_, r) => async () => {
      let pending = statements.slice(r * 25, (r + 1) * 25).map((s, i) => ({ ...s, index: r * 25 + i }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        const res = await this.doc.send(
          new BatchExecuteStatementCommand({ Statements: pending.map((s) => ({ Statement: s.statement, Parameters: s.parameters })), ReturnConsumedCapacity: "TOTAL" }),
        );
        const retry: typeof pending = [];
        pending.forEach((s, i) => {
          const error = res.Responses?.[i]?.Error;
          if (!error) out[s.index] = "written";
          else if (error.Code === "ConditionalCheckFailed" || error.Code === "DuplicateItem") out[s.index] = "condition-failed";
          else if (RETRYABLE_STATEMENT_ERRORS.has(error.Code ?? "")) retry.push(s);
          else throw new Error(`DynamoDB statement failed: ${error.Code}: ${error.Message}`);
        });
        // DynamoDB Local reports no consumed capacity for statements: count 1 unit per item written
        // (the items written this way, stock levels, are under 1 KB), as AWS would.
        const written = pending.filter((s) => out[s.index] === "written").length;
        this.count("BatchExecuteStatement", res.ConsumedCapacity?.length ? res.ConsumedCapacity : [{ CapacityUnits: written, WriteCapacityUnits: written }]);
        if (retry.length && attempt >= 8) throw new Error(`DynamoDB kept throttling ${retry.length} statement(s)`);
        if (retry.length) await backoff(attempt);
        pending = retry;
      }
    });
    await pool(requests, opts.requestsInFlight ?? 1);
    return out;
  }

  /** Next integer id of an entity in a tenant: an atomic counter, so ids never repeat. */
  async nextId(orgId: number, entity: string, count = 1): Promise<number> {
    const out = await this.update<{ value: number }>(keys.counter(orgId, entity), "ADD #v :n", {
      names: { "#v": "value" },
      values: { ":n": count },
    });
    return out.value - count + 1;
  }

  /** Next global organization id. */
  async nextGlobalId(name: string): Promise<number> {
    const out = await this.update<{ value: number }>(keys.globalCounter(name), "ADD #v :n", { names: { "#v": "value" }, values: { ":n": 1 } });
    return out.value;
  }

  /** Raises a counter so the next id is at least `floor + 1` (demo data with fixed ids). */
  async raiseCounter(key: TableKey, floor: number): Promise<void> {
    try {
      await this.update(key, "SET #v = :f", {
        condition: "attribute_not_exists(#v) OR #v < :f",
        names: { "#v": "value" },
        values: { ":f": floor },
      });
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}

function projectionOf(attributes: string[] | undefined, forBatch = false) {
  if (!attributes) return {};
  const names: Record<string, string> = {};
  const expr = attributes.map((a, i) => {
    names[`#p${i}`] = a;
    return `#p${i}`;
  });
  void forBatch;
  return { ProjectionExpression: expr.join(", "), ExpressionAttributeNames: names };
}

function withTableName(entry: TransactItem, tableName: string): RawTransactItem {
  const out: Record<string, unknown> = {};
  for (const [op, body] of Object.entries(entry)) out[op] = { TableName: tableName, ...(body as object) };
  return out as RawTransactItem;
}

const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
