// How often provenance is observed when the config does not say (provenance.interval).
export const DEFAULT_PROVENANCE_INTERVAL_MS = 600_000;
