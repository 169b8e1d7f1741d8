/** Exit codes: 0 ok, 1 a check failed (or a runtime failure), 2 usage or configuration error. */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2 } as const;
