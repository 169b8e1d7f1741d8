import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './001_initial.js';
import * as evidenceModel from './002_evidence_model.js';
import * as hubGaps from './003_hub_gaps.js';
import * as agents from './004_agents.js';
import * as consensus from './005_consensus.js';
import * as alerting from './006_alerting.js';
import * as tokens from './007_tokens.js';
import * as management from './008_management.js';
import * as provenance from './009_provenance.js';
import * as declared from './010_declared.js';

/** Migrations compiled in, so they run from dist/ without reading a folder at runtime. Keys sort in order. */
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_initial': initial,
  '002_evidence_model': evidenceModel,
  '003_hub_gaps': hubGaps,
  '004_agents': agents,
  '005_consensus': consensus,
  '006_alerting': alerting,
  '007_tokens': tokens,
  '008_management': management,
  '009_provenance': provenance,
  '010_declared': declared,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
