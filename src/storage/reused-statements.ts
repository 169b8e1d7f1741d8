// Multi-row statements of the write path, compiled by Kysely once per shape and then reused with new
// parameters. Building and compiling a 200-row insert took longer than running it, and SQLite prepared
// each new text afresh; rows now go in chunks of a few fixed sizes, so each dialect sees a handful of
// texts, compiled once, and SQLite's statement cache (sqlite.ts) keeps them prepared.
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { MAX_PARAMETERS_PER_STATEMENT } from './batching.js';

/** Largest chunk, in rows: beyond it a bigger statement saves nothing measurable. */
const MAX_ROWS_PER_CHUNK = 256;

/**
 * Splits rows into chunks of powers of two (largest first), each under the parameter limit: 200 rows
 * become 128 + 64 + 8, so at most nine statement texts per shape ever exist.
 */
export function fixedSizeChunks<T>(rows: readonly T[], parametersPerRow: number): T[][] {
  const limit = Math.max(1, Math.min(MAX_ROWS_PER_CHUNK, Math.floor(MAX_PARAMETERS_PER_STATEMENT / parametersPerRow)));
  let size = 1;
  while (size * 2 <= limit) size *= 2;
  const chunks: T[][] = [];
  let at = 0;
  while (at < rows.length) {
    while (size > rows.length - at) size /= 2;
    chunks.push(rows.slice(at, at + size));
    at += size;
  }
  return chunks;
}

/**
 * One multi-row statement (an insert, an upsert) of fixed columns. `build` is the Kysely query for some
 * rows; its text is kept per dialect and row count, and later chunks of that count only bind values.
 * The first compile of each text checks that the values bind in the order Kysely put them.
 */
export class ReusedStatement<Row extends Record<string, unknown>> {
  private readonly texts = new WeakMap<object, Map<number, string>>();

  constructor(
    private readonly columns: readonly (keyof Row & string)[],
    private readonly build: (db: Kysely<Database>, rows: Row[]) => Compilable,
  ) {}

  /** Runs the statement over every row, chunk by chunk; returns the rows the chunks returned (RETURNING). */
  async execute<Returned = unknown>(db: Kysely<Database>, rows: readonly Row[]): Promise<Returned[]> {
    const returned: Returned[] = [];
    for (const chunk of fixedSizeChunks(rows, this.columns.length)) {
      const result = await db.executeQuery<Returned>(CompiledQuery.raw(this.textFor(db, chunk), this.parametersOf(chunk)));
      for (const row of result.rows) returned.push(row);
    }
    return returned;
  }

  private parametersOf(rows: readonly Row[]): unknown[] {
    const parameters = new Array<unknown>(rows.length * this.columns.length);
    let i = 0;
    for (const row of rows) for (const column of this.columns) parameters[i++] = row[column] ?? null;
    return parameters;
  }

  private textFor(db: Kysely<Database>, rows: Row[]): string {
    // The adapter stands for the dialect: one per Kysely instance, shared by its transactions.
    const adapter = db.getExecutor().adapter;
    let byCount = this.texts.get(adapter);
    if (!byCount) this.texts.set(adapter, (byCount = new Map()));
    const known = byCount.get(rows.length);
    if (known !== undefined) return known;
    const compiled = this.build(db, rows).compile();
    const parameters = this.parametersOf(rows);
    if (compiled.parameters.length !== parameters.length || compiled.parameters.some((value, i) => value !== parameters[i])) {
      throw new Error(`statement of ${this.columns.join(', ')}: Kysely binds values in another order than the columns given`);
    }
    byCount.set(rows.length, compiled.sql);
    return compiled.sql;
  }
}
