/**
 * Bound parameters per statement. Below SQLite's limit (32766 variables) and PostgreSQL's (65535),
 * so one chunking rule works on both.
 */
export const MAX_PARAMETERS_PER_STATEMENT = 30_000;

/** Splits rows so that rows × parametersPerRow stays under MAX_PARAMETERS_PER_STATEMENT. */
export function chunkForParameters<T>(rows: readonly T[], parametersPerRow: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS_PER_STATEMENT / parametersPerRow));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
