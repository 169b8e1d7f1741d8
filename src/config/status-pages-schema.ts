// `statusPages:` — the public pages: which components each shows, how it looks, which zone its times are in.

import type { MonitorSpec, StatusPageLink, StatusPageSpec, Theme } from '../domain/monitor.js';
import { isHttpUrl } from './http-schema.js';
import { isTimeZone } from './maintenance-schema.js';
import { Fields, readBoolean, readChoice, readList, readString, type Located, type Reader } from './reader.js';
import { closestWord } from './suggest.js';

const PAGE_KEYS = ['slug', 'title', 'description', 'logo', 'links', 'theme', 'timezone', 'components', 'default'] as const;
const LINK_KEYS = ['title', 'url'] as const;
const THEMES: readonly Theme[] = ['auto', 'light', 'dark'];
const SLUG = /^[a-z0-9-]{1,64}$/;
const HTTP_URL = { test: isHttpUrl, expected: 'an http:// or https:// URL' } as const;

/**
 * Reads the list of pages. `monitors` is undefined when the monitors had problems of their own:
 * component names are then not checked (the list they must come from is unknown).
 * Exactly one page of the result is the default: the one marked `default: true`, else the first.
 */
export function readStatusPages(
  reader: Reader,
  at: Located,
  monitors: readonly MonitorSpec[] | undefined,
  configTitle: string,
): StatusPageSpec[] | undefined {
  const items = readList(reader, at, 'a list of status pages');
  if (!items) return undefined;
  if (items.length === 0) {
    reader.report(at, 'expected at least one status page, got an empty list (leave "statusPages" out for the default page)');
    return undefined;
  }
  const components = monitors && [...new Set(monitors.map((m) => m.component))];
  const firstBySlug = new Map<string, Located>();
  let firstDefault: Located | undefined;
  const pages: StatusPageSpec[] = [];
  let ok = true;
  for (const item of items) {
    const read = readPage(reader, item, components, configTitle);
    if (read.slug !== undefined && read.slugAt) {
      const first = firstBySlug.get(read.slug);
      if (first) {
        reader.report(read.slugAt, `expected a unique slug, got "${read.slug}" again (first used by ${pageOf(first)} on line ${reader.lineOf(first.offset)})`);
        ok = false;
      } else firstBySlug.set(read.slug, read.slugAt);
    }
    if (read.defaultAt) {
      if (firstDefault) {
        reader.report(read.defaultAt, `expected at most one page with "default: true", got another (${pageOf(firstDefault)} on line ${reader.lineOf(firstDefault.offset)} is the default)`);
        ok = false;
      } else firstDefault = read.defaultAt;
    }
    if (read.page) pages.push(read.page);
    else ok = false;
  }
  if (!ok) return undefined;
  const marked = pages.findIndex((page) => page.isDefault);
  const defaultIndex = marked === -1 ? 0 : marked;
  return pages.map((page, index) => ({ ...page, isDefault: index === defaultIndex }));
}

const pageOf = (at: Located): string => at.path.replace(/\.[a-z]+$/, '');

interface PageRead {
  readonly page?: StatusPageSpec;
  readonly slug?: string;
  readonly slugAt?: Located;
  /** Where `default: true` is written, when it is. */
  readonly defaultAt?: Located;
}

function readPage(reader: Reader, at: Located, components: readonly string[] | undefined, configTitle: string): PageRead {
  const fields = Fields.read(reader, at, PAGE_KEYS);
  if (!fields) return {};
  const problemsBefore = reader.problems.length;
  const slugAt = fields.required(reader, 'slug', ' (lower-case letters, digits and -, like "status"; the page is served at /s/SLUG)');
  const slug = slugAt && readString(reader, slugAt, { test: (text) => SLUG.test(text), expected: 'a slug of lower-case letters, digits and - like "status"' });
  const titleAt = fields.get('title');
  const title = titleAt ? readString(reader, titleAt) : configTitle;
  const descriptionAt = fields.get('description');
  const description = descriptionAt && readString(reader, descriptionAt);
  const logoAt = fields.get('logo');
  const logo = logoAt && readString(reader, logoAt, HTTP_URL);
  const linksAt = fields.get('links');
  const links = linksAt ? readLinks(reader, linksAt) : [];
  const themeAt = fields.get('theme');
  const theme = themeAt ? readChoice(reader, themeAt, THEMES) : 'auto';
  const timezoneAt = fields.get('timezone');
  const timezone = timezoneAt ? readString(reader, timezoneAt, { test: isTimeZone, expected: 'an IANA time zone like "Europe/Berlin"' }) : 'UTC';
  const componentsAt = fields.get('components');
  const shown = componentsAt ? readComponents(reader, componentsAt, components) : [];
  const defaultAtRaw = fields.get('default');
  const isDefault = defaultAtRaw ? readBoolean(reader, defaultAtRaw) : false;
  const defaultAt = isDefault === true ? defaultAtRaw : undefined;
  const base = { ...(slug !== undefined ? { slug } : {}), ...(slugAt ? { slugAt } : {}), ...(defaultAt ? { defaultAt } : {}) };
  if (reader.problems.length !== problemsBefore || slug === undefined || title === undefined || links === undefined) return base;
  if (theme === undefined || timezone === undefined || shown === undefined || isDefault === undefined) return base;
  const page: StatusPageSpec = {
    slug,
    title,
    ...(description !== undefined ? { description } : {}),
    ...(logo !== undefined ? { logo } : {}),
    links,
    theme,
    timezone,
    components: shown,
    isDefault,
  };
  return { ...base, page };
}

function readLinks(reader: Reader, at: Located): StatusPageLink[] | undefined {
  const items = readList(reader, at, 'a list of links like { title: Docs, url: "https://example.org/docs" }');
  if (!items) return undefined;
  const links = items.map((item): StatusPageLink | undefined => {
    const fields = Fields.read(reader, item, LINK_KEYS);
    if (!fields) return undefined;
    const titleAt = fields.required(reader, 'title');
    const title = titleAt && readString(reader, titleAt);
    const urlAt = fields.required(reader, 'url');
    const url = urlAt && readString(reader, urlAt, HTTP_URL);
    return title === undefined || url === undefined ? undefined : { title, url };
  });
  return links.every((link): link is StatusPageLink => link !== undefined) ? links : undefined;
}

function readComponents(reader: Reader, at: Located, known: readonly string[] | undefined): string[] | undefined {
  const items = readList(reader, at, 'a list of component names');
  if (!items) return undefined;
  const names: string[] = [];
  let ok = true;
  for (const item of items) {
    const name = readString(reader, item);
    if (name === undefined) {
      ok = false;
      continue;
    }
    if (known && !known.includes(name)) {
      const guess = closestWord(name, known);
      const hint = guess ? ` (did you mean "${guess}"?)` : '';
      reader.report(item, `unknown component "${name}"${hint}; the monitors' components are: ${known.join(', ')}`);
      ok = false;
    } else if (names.includes(name)) {
      reader.report(item, `expected each component once, got "${name}" again`);
      ok = false;
    } else names.push(name);
  }
  return ok ? names : undefined;
}
