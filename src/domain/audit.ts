// The audit log's vocabulary: one entry per write through the API, whatever its outcome.

export interface AuditEntry {
  /** ULID: sorts by time. */
  readonly id: string;
  readonly at: number;
  /** The name of the API token used; absent when none was (a refused request, an agent's push). */
  readonly token?: string;
  readonly method: string;
  /** The route as declared, like `/api/v1/monitors/:id`. */
  readonly route: string;
  /** The route's path parameters, like `{ "id": "shop" }`. */
  readonly target: Readonly<Record<string, string>>;
  /** The HTTP status answered. */
  readonly status: number;
  /** The source address of the request. */
  readonly address: string;
}

export interface AuditQuery {
  /** Page cursor: only entries older than this entry id. */
  readonly before?: string;
  readonly limit: number;
}
