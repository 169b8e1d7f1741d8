// The page's CSS and JS, served under content-hashed names (/assets/app.<hash>.css) so they can be
// cached for a year: a new build changes the name. Read once, on first use.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Asset {
  /** e.g. "app.3f2a9c1b.css". */
  readonly fileName: string;
  readonly path: string;
  readonly contentType: string;
  readonly body: Buffer;
}

export interface Assets {
  readonly css: Asset;
  readonly js: Asset;
  byFileName(name: string): Asset | undefined;
}

// Compiled code runs from dist/src/web/; the asset files stay in src/web/assets/.
const CANDIDATE_DIRS = ['../../../src/web/assets/', './assets/'];

function assetDir(): string {
  for (const relative of CANDIDATE_DIRS) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(`${dir}app.css`)) return dir;
  }
  throw new Error(`status page assets not found next to ${fileURLToPath(import.meta.url)}`);
}

function load(dir: string, name: string, ext: string, contentType: string): Asset {
  const body = readFileSync(`${dir}${name}.${ext}`);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
  const fileName = `${name}.${hash}.${ext}`;
  return { fileName, path: `/assets/${fileName}`, contentType, body };
}

let loaded: Assets | undefined;

export function pageAssets(): Assets {
  if (!loaded) {
    const dir = assetDir();
    const css = load(dir, 'app', 'css', 'text/css; charset=utf-8');
    const js = load(dir, 'app', 'js', 'text/javascript; charset=utf-8');
    const byName = new Map([css, js].map((asset) => [asset.fileName, asset]));
    loaded = { css, js, byFileName: (name) => byName.get(name) };
  }
  return loaded;
}
