import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';

// dist/test/config/ → the repository's examples/.
const examplesDir = fileURLToPath(new URL('../../../examples/', import.meta.url));
const files = readdirSync(examplesDir).filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'));

describe('examples/', () => {
  it('has examples', () => assert.ok(files.length >= 2, `found ${files.join(', ')}`));

  for (const name of files) {
    it(`${name} is valid with an empty environment`, () => {
      try {
        const config = loadConfig(`${examplesDir}${name}`, {});
        assert.ok(config.monitors.length > 0);
      } catch (error) {
        if (error instanceof ConfigError) assert.fail(error.format());
        throw error;
      }
    });
  }
});
