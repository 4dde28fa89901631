/**
 * The cloud stack declares what stacks/definitions.ts says, so the local host (which builds from
 * the same definitions) cannot drift from AWS. sst.config.ts and stacks/*.ts run here against fake
 * SST globals that record every component constructed and every method called on one.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  FUNCTIONS,
  HANDLERS,
  INVENTORY_DROP,
  QUEUES,
  RESOURCES,
  TABLE,
  handlerFile,
} from "../stacks/definitions.ts";

// ---------------------------------------------------------------------------------------------
// Fake SST globals

interface Construct {
  type: string;
  name: string;
  args: any;
  instance: object;
}

interface Call {
  target: Construct;
  method: string;
  args: any[];
}

interface Recording {
  constructs: Construct[];
  calls: Call[];
}

let recording: Recording = { constructs: [], calls: [] };

/** Output properties of a fake component: tokens naming the component and the property. */
const OUTPUTS = new Set(["name", "arn", "url", "value", "id", "urn"]);

type FakeConstructor = new (name: string, args?: unknown) => object;

function fakeComponent(type: string): FakeConstructor {
  return function FakeComponent(name: string, args?: unknown): object {
    const record: Construct = { type, name, args, instance: {} };
    const instance: object = new Proxy(
      {},
      {
        get(_target, prop) {
          if (typeof prop !== "string" || prop === "then") return undefined;
          if (OUTPUTS.has(prop)) return `${name}.${prop}`;
          return (...callArgs: any[]) => {
            recording.calls.push({ target: record, method: prop, args: callArgs });
            const Result = fakeComponent(`${type}#${prop}`);
            return new Result(`${name}.${prop}`);
          };
        },
      },
    );
    record.instance = instance;
    recording.constructs.push(record);
    return instance;
  } as unknown as FakeConstructor;
}

/** `sst.aws.X`, `sst.Secret`, ...: any component name, recorded under its full path. */
function fakeNamespace(path: string): any {
  return new Proxy(
    {},
    {
      get(_target, prop) {
        if (typeof prop !== "string") return undefined;
        if (prop === "aws" || prop === "cloudflare" || prop === "x") return fakeNamespace(`${path}.${prop}`);
        return fakeComponent(`${path}.${prop}`);
      },
    },
  );
}

function installFakeGlobals(stage: string) {
  const g = globalThis as any;
  g.sst = fakeNamespace("sst");
  g.$app = { name: "commerce-ops", stage, removal: "remove", protect: false, providers: {} };
  g.$dev = false;
  g.$config = (config: unknown) => config;
  g.$interpolate = (strings: TemplateStringsArray, ...values: unknown[]) =>
    strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ""), "");
  g.$output = (value: unknown) => value;
  g.$resolve = (value: unknown) => value;
  g.$jsonStringify = (value: unknown) => JSON.stringify(value);
  g.$util = {};
}

interface SstConfig {
  app(input: { stage: string }): { name: string; home: string; removal: string; protect: boolean };
  run(): Promise<Record<string, unknown>>;
}

/** Imported through a non-literal specifier: the root tsconfig does not type-check the stacks. */
async function loadConfig(): Promise<SstConfig> {
  const specifier = new URL("../sst.config.ts", import.meta.url).href;
  const mod = (await import(specifier)) as { default: SstConfig };
  return mod.default;
}

/** Runs `sst.config.ts` run() against the fakes and returns what it declared. */
async function synth(stage = "test"): Promise<{ recording: Recording; outputs: Record<string, unknown> }> {
  installFakeGlobals(stage);
  recording = { constructs: [], calls: [] };
  const outputs = await (await loadConfig()).run();
  return { recording, outputs };
}

// ---------------------------------------------------------------------------------------------
// Helpers

function seconds(duration: unknown): number {
  const match = /^(\d+(?:\.\d+)?) (second|minute|hour|day)s?$/.exec(String(duration));
  if (!match) throw new Error(`not a duration: ${String(duration)}`);
  const unit = { second: 1, minute: 60, hour: 3600, day: 86400 }[match[2] as "second"];
  return Number(match[1]) * unit;
}

function megabytes(size: unknown): number {
  const match = /^(\d+) (MB|GB)$/.exec(String(size));
  if (!match) throw new Error(`not a size: ${String(size)}`);
  return Number(match[1]) * (match[2] === "GB" ? 1024 : 1);
}

function only<T>(items: T[], what: string): T {
  expect(items, what).toHaveLength(1);
  return items[0] as T;
}

let rec: Recording;
let outputs: Record<string, unknown>;

function component(type: string, name: string): Construct {
  return only(
    rec.constructs.filter((c) => c.type === type && c.name === name),
    `${type} "${name}"`,
  );
}

function callsOn(target: Construct, method: string): Call[] {
  return rec.calls.filter((c) => c.target === target && c.method === method);
}

/** The queue whose `dlq.queue` is the main queue's DLQ, and that DLQ. */
function queuePair(key: keyof typeof QUEUES) {
  const queue = component("sst.aws.Queue", RESOURCES[key]);
  const dlqArn = queue.args?.dlq?.queue;
  const dlq = only(
    rec.constructs.filter((c) => c.type === "sst.aws.Queue" && `${c.name}.arn` === dlqArn),
    `dead-letter queue of ${RESOURCES[key]}`,
  );
  return { queue, dlq };
}

/** Every Lambda definition the stacks declare: functions, queue subscribers, bucket notifications. */
function functionDefinitions(): any[] {
  const defs: any[] = [];
  for (const c of rec.constructs) if (c.type === "sst.aws.Function") defs.push(c.args);
  for (const call of rec.calls) {
    if (call.method === "subscribe" && typeof call.args[0] === "object") defs.push(call.args[0]);
    if (call.method === "notify")
      for (const n of call.args[0]?.notifications ?? []) if (typeof n.function === "object") defs.push(n.function);
  }
  return defs;
}

const LINKED = ["sst.aws.Dynamo", "sst.aws.Bucket", "sst.Secret"] as const;

function expectFunction(def: any, fn: keyof typeof FUNCTIONS, handler: string) {
  expect(def.handler).toBe(handler);
  expect(megabytes(def.memory)).toBe(FUNCTIONS[fn].memoryMB);
  expect(seconds(def.timeout)).toBe(FUNCTIONS[fn].timeoutSeconds);
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  ({ recording: rec, outputs } = await synth());
});

describe("sst.config.ts", () => {
  it("names the app, keeps and protects production only", async () => {
    const config = await loadConfig();
    expect(config.app({ stage: "production" })).toMatchObject({
      name: "commerce-ops",
      home: "aws",
      removal: "retain",
      protect: true,
    });
    expect(config.app({ stage: "dev" })).toMatchObject({ removal: "remove", protect: false });
  });

  it("outputs the API url, bucket and table names", () => {
    const api = component("sst.aws.ApiGatewayV2", "Api");
    expect(outputs).toEqual({
      api: `${api.name}.url`,
      bucket: `${RESOURCES.bucket}.name`,
      table: `${RESOURCES.table}.name`,
    });
  });
});

describe("storage", () => {
  it("builds the table's key schema from TABLE", () => {
    const table = component("sst.aws.Dynamo", RESOURCES.table);
    expect(table.args.primaryIndex).toEqual({ hashKey: TABLE.partitionKey, rangeKey: TABLE.sortKey });
    expect(table.args.ttl).toBe(TABLE.ttlAttribute);
  });

  it("declares exactly the GSIs of TABLE, with their keys", () => {
    const table = component("sst.aws.Dynamo", RESOURCES.table);
    const declared = table.args.globalIndexes as Record<string, { hashKey: string; rangeKey?: string }>;
    expect(Object.keys(declared).sort()).toEqual(TABLE.globalIndexes.map((i) => i.name).sort());
    for (const index of TABLE.globalIndexes) {
      expect(declared[index.name], index.name).toMatchObject({
        hashKey: index.partitionKey,
        rangeKey: index.sortKey,
      });
    }
  });

  it("declares exactly the key attributes as string fields (DynamoDB rejects unindexed fields)", () => {
    const table = component("sst.aws.Dynamo", RESOURCES.table);
    const keys = [
      TABLE.partitionKey,
      TABLE.sortKey,
      ...TABLE.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ];
    expect(table.args.fields).toEqual(Object.fromEntries(keys.map((k) => [k, "string"])));
    expect(Object.keys(table.args.fields)).not.toContain(TABLE.ttlAttribute);
  });

  it("creates the bucket and the admin key secret under their RESOURCES names", () => {
    component("sst.aws.Bucket", RESOURCES.bucket);
    component("sst.Secret", RESOURCES.adminKey);
  });
});

describe("ingest", () => {
  for (const key of ["rowQueue", "fetchQueue"] as const) {
    describe(key, () => {
      it("has QUEUES' visibility timeout and a DLQ after maxReceiveCount receives", () => {
        const { queue, dlq } = queuePair(key);
        expect(seconds(queue.args.visibilityTimeout)).toBe(QUEUES[key].visibilityTimeoutSeconds);
        expect(queue.args.dlq.retry).toBe(QUEUES[key].maxReceiveCount);
        expect(dlq.args.transform.queue.messageRetentionSeconds).toBe(QUEUES[key].dlqRetentionSeconds);
        expect(dlq.args.dlq, "a DLQ has no DLQ of its own").toBeUndefined();
      });

      it("is consumed in batches of batchSize with partial batch responses", () => {
        const { queue } = queuePair(key);
        const subscribe = only(callsOn(queue, "subscribe"), `${key}.subscribe`);
        expect(subscribe.args[1]).toEqual({
          batch: { size: QUEUES[key].batchSize, partialResponses: true },
        });
        // AWS rejects an event source mapping whose function outlives the message's invisibility.
        expect(seconds(subscribe.args[0].timeout)).toBeLessThanOrEqual(QUEUES[key].visibilityTimeoutSeconds);
        expect(seconds(subscribe.args[0].timeout)).toBe(QUEUES[key].handlerTimeoutSeconds);
      });
    });
  }

  it("subscribes HANDLERS.inventoryRows to the row queue and to its DLQ", () => {
    const { queue, dlq } = queuePair("rowQueue");
    const main = only(callsOn(queue, "subscribe"), "row queue subscriber");
    const dead = only(callsOn(dlq, "subscribe"), "row DLQ subscriber");
    expectFunction(main.args[0], "inventoryRows", HANDLERS.inventoryRows);
    expectFunction(dead.args[0], "inventoryRows", HANDLERS.inventoryRows);
    expect(dead.args[1]).toEqual({ batch: { size: QUEUES.rowQueue.batchSize, partialResponses: true } });
    expect(seconds(dlq.args.visibilityTimeout)).toBeGreaterThanOrEqual(FUNCTIONS.inventoryRows.timeoutSeconds);
  });

  it("subscribes HANDLERS.inventoryFetch to the fetch queue and to its DLQ", () => {
    const { queue, dlq } = queuePair("fetchQueue");
    expectFunction(only(callsOn(queue, "subscribe"), "fetch subscriber").args[0], "inventoryFetch", HANDLERS.inventoryFetch);
    const dead = only(callsOn(dlq, "subscribe"), "fetch DLQ subscriber");
    expectFunction(dead.args[0], "inventoryFetch", HANDLERS.inventoryFetch);
    expect(dead.args[1]).toEqual({ batch: { size: QUEUES.fetchQueue.batchSize, partialResponses: true } });
  });

  it("notifies HANDLERS.inventoryFile of INVENTORY_DROP objects only", () => {
    const bucket = component("sst.aws.Bucket", RESOURCES.bucket);
    const notify = only(callsOn(bucket, "notify"), "bucket.notify");
    const notification = only(notify.args[0].notifications as any[], "notifications");
    expect(notification.filterPrefix).toBe(INVENTORY_DROP.prefix);
    expect(notification.filterSuffix).toBe(INVENTORY_DROP.suffix);
    expect(notification.events).toEqual([...INVENTORY_DROP.events]);
    expectFunction(notification.function, "inventoryFile", HANDLERS.inventoryFile);
  });
});

describe("api", () => {
  it("routes POST /graphql, GET /graphql and GET /health to one HANDLERS.graphql function", () => {
    const api = component("sst.aws.ApiGatewayV2", "Api");
    const fn = only(
      rec.constructs.filter((c) => c.type === "sst.aws.Function" && c.args?.handler === HANDLERS.graphql),
      "graphql function",
    );
    expectFunction(fn.args, "graphql", HANDLERS.graphql);
    const routes = callsOn(api, "route");
    expect(routes.map((r) => r.args[0]).sort()).toEqual(["GET /graphql", "GET /health", "POST /graphql"]);
    for (const route of routes) expect(route.args[1], route.args[0]).toBe(`${fn.name}.arn`);
  });

  it("passes APP_VERSION through only when it is set", async () => {
    const fnArgs = () =>
      only(
        rec.constructs.filter((c) => c.type === "sst.aws.Function" && c.args?.handler === HANDLERS.graphql),
        "graphql function",
      ).args;
    const previous = process.env.APP_VERSION;
    try {
      delete process.env.APP_VERSION;
      ({ recording: rec } = await synth());
      expect(fnArgs().environment).not.toHaveProperty("APP_VERSION");
      process.env.APP_VERSION = "v9.9.9-test";
      ({ recording: rec } = await synth());
      expect(fnArgs().environment.APP_VERSION).toBe("v9.9.9-test");
    } finally {
      if (previous === undefined) delete process.env.APP_VERSION;
      else process.env.APP_VERSION = previous;
      ({ recording: rec, outputs } = await synth());
    }
  });
});

describe("every function", () => {
  it("is one of HANDLERS, and every HANDLERS entry is deployed", () => {
    const handlers = functionDefinitions().map((d) => d.handler);
    expect(new Set(handlers)).toEqual(new Set(Object.values(HANDLERS)));
  });

  it("runs Node.js 22+ on arm64 with source maps enabled", () => {
    const defs = functionDefinitions();
    expect(defs.length).toBeGreaterThanOrEqual(Object.keys(HANDLERS).length);
    for (const def of defs) {
      const [, major] = /^nodejs(\d+)\.x$/.exec(def.runtime) ?? [];
      expect(Number(major), `${def.handler} runtime ${def.runtime}`).toBeGreaterThanOrEqual(22);
      expect(def.architecture, def.handler).toBe("arm64");
      const name = (Object.keys(HANDLERS) as Array<keyof typeof HANDLERS>).find((k) => HANDLERS[k] === def.handler)!;
      // Source maps on, plus the function's V8 flags from the shared definitions.
      expect(def.environment?.NODE_OPTIONS, def.handler).toBe(`--enable-source-maps ${FUNCTIONS[name].v8Flags}`.trim());
      expect(def.nodejs?.sourcemap, `${def.handler} ships its source maps`).toBe(true);
    }
  });

  it("links the table, bucket, both queues and the admin key (everything core/config.ts reads)", () => {
    const expected = [
      ...LINKED.map((type) => only(rec.constructs.filter((c) => c.type === type), type).instance),
      component("sst.aws.Queue", RESOURCES.rowQueue).instance,
      component("sst.aws.Queue", RESOURCES.fetchQueue).instance,
    ];
    for (const def of functionDefinitions()) {
      expect(def.link, def.handler).toHaveLength(expected.length);
      for (const resource of expected) expect(def.link, def.handler).toContain(resource);
    }
  });
});

describe("handlerFile", () => {
  it("maps each HANDLERS entry to the file the local host imports", () => {
    expect(handlerFile(HANDLERS.graphql)).toBe("functions/graphql.ts");
    expect(handlerFile(HANDLERS.inventoryFile)).toBe("functions/inventory-file.ts");
    expect(handlerFile(HANDLERS.inventoryRows)).toBe("functions/inventory-rows.ts");
    expect(handlerFile(HANDLERS.inventoryFetch)).toBe("functions/inventory-fetch.ts");
  });

  it("rejects a handler string without an export name", () => {
    expect(() => handlerFile("functions/graphql")).toThrow();
    expect(() => handlerFile("functions.v2/graphql")).toThrow();
  });
});
