// POST /sql: the HTTP query protocol of @neondatabase/serverless, answered from our own database.
// Only the worker reaches it (the bridge's token, its private address); the size of a request and
// the time of a statement are capped.
import type { Context } from "hono";
import { z } from "zod";
import type { Database, RawResult, TransactionOptions } from "./database.ts";

const Query = z.object({
  query: z.string().min(1).max(100_000),
  params: z.array(z.string().nullable()).max(10_000).default([]),
});
const Body = z.union([Query, z.object({ queries: z.array(Query).min(1).max(100) })]);

/** The fields of a PostgreSQL error the driver copies onto the error it throws. */
const ERROR_FIELDS = [
  "severity",
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "where",
  "schema",
  "table",
  "column",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
];

export function sqlHandler(db: Database) {
  return async (c: Context): Promise<Response> => {
    let parsed: ReturnType<typeof Body.safeParse>;
    try {
      parsed = Body.safeParse(await c.req.json());
    } catch {
      return c.json({ message: "the body is not JSON" }, 400);
    }
    if (!parsed.success) return c.json({ message: `not a query: ${parsed.error.issues[0]?.message}` }, 400);
    const body = parsed.data;
    try {
      if ("queries" in body) {
        const options = batchOptions(c);
        const results = await db.transaction(async (tx) => {
          const out: RawResult[] = [];
          for (const { query, params } of body.queries) out.push(await tx.query(query, params));
          return out;
        }, options);
        return c.json({ results: results.map(wire) });
      }
      return c.json(wire(await db.query(body.query, body.params)));
    } catch (error) {
      return failure(c, error);
    }
  };
}

function wire(result: RawResult) {
  return { command: result.command, rowCount: result.rowCount, fields: result.fields, rows: result.rows, rowAsArray: true };
}

function batchOptions(c: Context): TransactionOptions {
  const level = c.req.header("neon-batch-isolation-level");
  const flag = (name: string) => {
    const value = c.req.header(name);
    return value === undefined ? undefined : value === "true";
  };
  const options: TransactionOptions = {};
  if (level === "ReadUncommitted" || level === "ReadCommitted" || level === "RepeatableRead" || level === "Serializable") options.isolationLevel = level;
  const readOnly = flag("neon-batch-read-only");
  const deferrable = flag("neon-batch-deferrable");
  if (readOnly !== undefined) options.readOnly = readOnly;
  if (deferrable !== undefined) options.deferrable = deferrable;
  return options;
}

/** A PostgreSQL error goes back as the driver expects (400 + its fields); anything else is 503. */
function failure(c: Context, error: unknown): Response {
  const err = error as Record<string, unknown> & Error;
  if (typeof err.code === "string" && /^[0-9A-Z]{5}$/.test(err.code)) {
    const fields = Object.fromEntries(ERROR_FIELDS.filter((key) => err[key] !== undefined).map((key) => [key, String(err[key])]));
    return c.json({ message: err.message, ...fields }, 400);
  }
  return c.text(`database unavailable: ${err.message}`, 503);
}
