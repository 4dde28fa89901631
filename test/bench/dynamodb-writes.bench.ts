/**
 * What each kind of write costs on DynamoDB Local, relative to the unconditional BatchWriteItem the
 * inventory bench uses as its baseline (BENCH=dynamodb-writes npm run bench), with the CPU each side
 * spends per item: DynamoDB Local's (Java, from /proc) and this process's (the SDK's). It explains the
 * inventory design: every conditional form costs DynamoDB Local about twice a batched put, so the sync
 * writes stock only for rows that change something; among the conditional forms, PartiQL statements
 * (25 per request) cost the client a fraction of single PutItems, which is why replaceMany uses them.
 *   DYNAMODB_WRITES_ITEMS (default 10,000) items per measure; DYNAMODB_WRITES_ROUNDS (default 2).
 */
import { readFileSync } from "node:fs";
import { BatchExecuteStatementCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { startEmulators } from "../../stacks/local/emulators.ts";
import { createClients, destroyClients, ensureResources, resourceNames } from "../../stacks/local/resources.ts";
import { Db } from "../../core/db/client.ts";

const N = Number(process.env.DYNAMODB_WRITES_ITEMS ?? 10_000);
const ROUNDS = Number(process.env.DYNAMODB_WRITES_ROUNDS ?? 2);

const chunk = <T>(list: T[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
async function pool<T>(items: T[], size: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

export async function run(): Promise<void> {
  const emulators = await startEmulators({ persist: false, region: "us-east-1" });
  const clients = createClients({ dynamodb: emulators.dynamodb.endpoint, s3: emulators.s3.endpoint, sqs: emulators.sqs.endpoint, region: "us-east-1" });
  try {
    const { tableName } = await ensureResources({ names: resourceNames("writes-bench"), clients });
    const db = new Db(tableName, clients.dynamodb);
    const now = new Date().toISOString();
    let set = 0;
    /** N stock-like items, written in bulk first (the conditional writes below update existing items). */
    const stock = async () => {
      set++;
      const items = Array.from({ length: N }, (_, i) => ({ pk: `T#1#WH#1#S${set}`, sk: `SKU-${i}`, type: "StockLevel", onHand: 0, sku: `SKU-${i}`, updatedAt: now }));
      await pool(chunk(items, 25), 4, (part) => db.batchPut(part));
      return items;
    };
    const rowItems = (withIndex: boolean) =>
      Array.from({ length: N }, (_, i) => ({
        pk: `T#1#B${++set}#${i % 100}`,
        sk: `R#${String(i).padStart(10, "0")}`,
        sku: `SKU-${i}`,
        quantity: i,
        status: "success",
        reason: `bench row ${i}`,
        createdAt: now,
        ...(withIndex ? { gsi1pk: `T#1#WH#1#LEDGER#SKU-${i}`, gsi1sk: `${now}#${i}`, lgDelta: 1, lgOnHand: i } : {}),
      }));
    const measures: Array<{ name: string; prepare: () => Promise<unknown>; write: (prepared: never) => Promise<unknown> }> = [
      { name: "BatchWriteItem, 25 puts per request, 4 concurrent (the baseline)", prepare: async () => rowItems(false), write: (items: ReturnType<typeof rowItems>) => pool(chunk(items, 25), 4, (p) => db.batchPut(p)) },
      { name: "BatchWriteItem of row items with their gsi1 (ledger) keys", prepare: async () => rowItems(true), write: (items: ReturnType<typeof rowItems>) => pool(chunk(items, 25), 4, (p) => db.batchPut(p)) },
      {
        name: "TransactWriteItems, 100 conditional updates each, 4 concurrent",
        prepare: stock,
        write: (items: Awaited<ReturnType<typeof stock>>) =>
          pool(chunk(items, 100), 4, (p) =>
            db.transact(p.map((s) => ({ Update: { Key: { pk: s.pk, sk: s.sk }, UpdateExpression: "SET onHand = :q, pos = :p", ConditionExpression: "attribute_not_exists(pos) OR pos < :p", ExpressionAttributeValues: { ":q": 5, ":p": "p1" } } }))),
          ),
      },
      {
        name: "UpdateItem, conditional, 16 concurrent",
        prepare: stock,
        write: (items: Awaited<ReturnType<typeof stock>>) => pool(items, 16, (s) => db.update({ pk: s.pk, sk: s.sk }, "SET onHand = :q, pos = :p", { condition: "attribute_not_exists(pos) OR pos < :p", values: { ":q": 6, ":p": "p1" } })),
      },
      {
        name: "PutItem, conditional, 16 concurrent",
        prepare: stock,
        write: (items: Awaited<ReturnType<typeof stock>>) =>
          pool(items, 16, (s) => db.doc.send(new PutCommand({ TableName: tableName, Item: { ...s, onHand: 7, pos: "p1" }, ConditionExpression: "attribute_not_exists(pos) OR pos < :p", ExpressionAttributeValues: { ":p": "p1" } }))),
      },
      {
        name: "BatchExecuteStatement (PartiQL), 25 conditional UPDATEs each, 4 concurrent",
        prepare: stock,
        write: (items: Awaited<ReturnType<typeof stock>>) =>
          pool(chunk(items, 25), 4, (p) =>
            db.doc.send(new BatchExecuteStatementCommand({ Statements: p.map((s) => ({ Statement: `UPDATE "${tableName}" SET onHand = ? SET pos = ? WHERE pk = ? AND sk = ? AND pos IS MISSING`, Parameters: [8, "p1", s.pk, s.sk] })) })),
          ),
      },
    ];
    const javaCpu = () => {
      try {
        const f = readFileSync(`/proc/${emulators.dynamodb.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        return ((Number(f[11]) + Number(f[12])) * 1e6) / 100;
      } catch {
        return NaN;
      }
    };
    console.log(`DynamoDB Local, ${N} items per measure, ${ROUNDS} rounds; items/s, cost relative to the baseline (baseline rate / this rate), CPU µs per item:`);
    for (let round = 1; round <= ROUNDS; round++) {
      let baseline = 0;
      for (const m of measures) {
        const prepared = await m.prepare();
        const java = javaCpu();
        const own = process.cpuUsage();
        const started = performance.now();
        await m.write(prepared as never);
        const rate = N / ((performance.now() - started) / 1000);
        const ownUs = process.cpuUsage(own);
        if (!baseline) baseline = rate;
        console.log(`round ${round}: ${m.name}: ${rate.toFixed(0)} items/s = ${(baseline / rate).toFixed(2)}× the baseline's cost; CPU per item: DynamoDB Local ${((javaCpu() - java) / N).toFixed(0)} µs, client ${((ownUs.user + ownUs.system) / N).toFixed(0)} µs`);
      }
    }
  } finally {
    destroyClients(clients);
    await emulators.stop();
  }
}
