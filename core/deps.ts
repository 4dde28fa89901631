/**
 * What every entry point builds once per process (Lambda cold start, local host, test) and hands
 * to the domain: clients, resource names and a clock. Domain code never reads the environment.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { Db } from "./db/client.ts";
import { loadConfig, type AppConfig } from "./config.ts";

export interface Deps {
  config: AppConfig;
  db: Db;
  s3: S3Client;
  sqs: SQSClient;
  now: () => Date;
}

export function createDeps(config: AppConfig = loadConfig(), overrides: Partial<Omit<Deps, "config">> = {}): Deps {
  const region = config.region;
  return {
    config,
    db: overrides.db ?? new Db(config.tableName, new DynamoDBClient({ region })),
    s3: overrides.s3 ?? new S3Client({ region, forcePathStyle: config.s3ForcePathStyle }),
    sqs: overrides.sqs ?? new SQSClient({ region }),
    now: overrides.now ?? (() => new Date()),
  };
}
