// What the bridge needs of a database: queries whose values stay in PostgreSQL's text form (the
// Neon HTTP driver converts them itself), and transactions on one connection.

export interface Field {
  name: string;
  dataTypeID: number;
}

export interface RawResult {
  command: string;
  rowCount: number | null;
  fields: Field[];
  /** Every value as PostgreSQL's text form, or null. */
  rows: (string | null)[][];
}

/** Parameters as the Neon driver sends them: already serialised by node-postgres. */
export type Params = (string | null)[];

export interface TransactionOptions {
  isolationLevel?: "ReadUncommitted" | "ReadCommitted" | "RepeatableRead" | "Serializable";
  readOnly?: boolean;
  deferrable?: boolean;
}

export interface Queryable {
  query(text: string, params?: Params): Promise<RawResult>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: "postgres" | "pglite";
  transaction<T>(work: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

/** The SET TRANSACTION clause for the options, or "" for the defaults. */
export function transactionMode({ isolationLevel, readOnly, deferrable }: TransactionOptions = {}): string {
  const parts: string[] = [];
  if (isolationLevel) parts.push(`ISOLATION LEVEL ${isolationLevel.replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase()}`);
  if (readOnly !== undefined) parts.push(readOnly ? "READ ONLY" : "READ WRITE");
  if (deferrable !== undefined) parts.push(deferrable ? "DEFERRABLE" : "NOT DEFERRABLE");
  return parts.join(", ");
}
