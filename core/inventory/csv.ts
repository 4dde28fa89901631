/**
 * Streaming reader of inventory CSV files (papaparse in Node stream mode): bytes are decoded as
 * UTF-8 incrementally (a multi-byte character split across chunks stays whole; a BOM is dropped;
 * NUL bytes or invalid UTF-8 mean "not a text file"), the header is checked, and data rows come
 * out one at a time with backpressure, so memory does not grow with the file.
 *
 * Header (I-24): `#sku,quantity,action,reason[,location]`, with or without `#`, any case, in any
 * order, extra columns ignored.
 */
import { Transform, type Readable } from "node:stream";
import Papa from "papaparse";

export class CsvFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CsvFileError";
  }
}

export const REQUIRED_COLUMNS = ["sku", "quantity", "action", "reason"] as const;
export const OPTIONAL_COLUMNS = ["location"] as const;
export const EXPECTED_HEADER = "#sku,quantity,action,reason[,location]";

/** One data row as read (strings, validated later by the row handler). */
export interface CsvRow {
  /** 1-based data-row number (header excluded, blank lines skipped). */
  row: number;
  sku: string;
  quantity: string;
  action: string;
  reason: string;
  location: string | null;
  /** A structural problem of the row (too few fields); the row is reported with this error. */
  error?: string;
  /** Set by the file handler: the first row of the run of equal quantities this row continues (runs.ts). */
  since?: number;
}

export interface HeaderMap {
  sku: number;
  quantity: number;
  action: number;
  reason: number;
  location: number | null;
  width: number;
}

export function parseHeader(fields: string[]): HeaderMap {
  const names = fields.map((f, i) => {
    let name = f.trim().toLowerCase();
    if (i === 0) name = name.replace(/^\ufeff/, "");
    return name.replace(/^#\s*/, "");
  });
  const index = (name: string) => {
    const at = names.indexOf(name);
    return at < 0 ? null : at;
  };
  const missing = REQUIRED_COLUMNS.filter((c) => index(c) === null);
  if (missing.length) {
    const seen = fields.map((f) => f.trim()).join(",").slice(0, 200);
    throw new CsvFileError(`invalid header: missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (expected ${EXPECTED_HEADER}, got "${seen}")`);
  }
  return { sku: index("sku")!, quantity: index("quantity")!, action: index("action")!, reason: index("reason")!, location: index("location"), width: fields.length };
}

/** UTF-8 decoding with binary detection. */
function textDecoder(): Transform {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  const check = (text: string) => {
    if (text.includes("\u0000")) throw new CsvFileError("the file is not a text CSV (it contains binary data)");
    return text;
  };
  return new Transform({
    readableObjectMode: false,
    decodeStrings: true,
    transform(chunk: Buffer, _enc, done) {
      try {
        const text = check(decoder.decode(chunk, { stream: true }));
        done(null, text);
      } catch (error) {
        done(error instanceof CsvFileError ? error : new CsvFileError("the file is not a text CSV (it is not valid UTF-8)"));
      }
    },
    flush(done) {
      try {
        done(null, check(decoder.decode()));
      } catch (error) {
        done(error instanceof CsvFileError ? error : new CsvFileError("the file is not a text CSV (it is not valid UTF-8)"));
      }
    },
  });
}

/** Longer fields are cut (keeps a 100-row chunk far below the SQS message size limit). */
const MAX_FIELD = 255;

/**
 * Reads a CSV stream: checks the header, then yields data rows. Throws CsvFileError for an empty
 * file, a bad header or a binary file.
 */
export async function* readInventoryCsv(body: Readable): AsyncGenerator<CsvRow> {
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { skipEmptyLines: "greedy" });
  const decoded = textDecoder();
  let failure: Error | undefined;
  body.on("error", (e) => {
    failure ??= e;
    parser.destroy();
  });
  decoded.on("error", (e) => {
    failure ??= e;
    parser.destroy();
  });
  body.pipe(decoded).pipe(parser);
  let header: HeaderMap | undefined;
  let row = 0;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      if (failure) break;
      if (!header) {
        header = parseHeader(fields);
        continue;
      }
      row++;
      const need = Math.max(header.sku, header.quantity, header.action, header.reason);
      const get = (i: number | null) => (i === null || i >= fields.length ? "" : fields[i]!.slice(0, MAX_FIELD));
      const out: CsvRow = {
        row,
        sku: get(header.sku).trim(),
        quantity: get(header.quantity).trim(),
        action: get(header.action).trim(),
        reason: get(header.reason),
        location: header.location === null || header.location >= fields.length ? null : get(header.location).trim() || null,
      };
      if (fields.length <= need) out.error = `row has ${fields.length} field${fields.length === 1 ? "" : "s"}, the header has ${header.width}`;
      yield out;
    }
  } catch (error) {
    failure ??= error as Error;
  } finally {
    body.unpipe?.();
    if (!parser.destroyed) parser.destroy();
    if (!body.destroyed) body.destroy();
  }
  if (failure) throw failure instanceof CsvFileError ? failure : new CsvFileError(`the file could not be read: ${failure.message}`);
  if (!header) throw new CsvFileError("the file is empty (no header row)");
}
