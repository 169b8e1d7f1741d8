// Reads YAML nodes as typed values while collecting every problem with its line and column.
// Typed readers return undefined after reporting a problem, so callers go on and find the next one.

import { isAlias, isMap, isScalar, isSeq, type Alias, type LineCounter, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { interpolateEnv } from './env.js';
import type { ConfigProblem } from './problems.js';
import { closestWord } from './suggest.js';

/** A node (or its absence) together with where it sits in the file and in the document. */
export interface Located {
  readonly node: Node | null;
  /** Character offset that problems about this value point at. */
  readonly offset: number;
  readonly path: string;
}

/** What a located node holds once aliases are resolved and `${VAR}`s are filled in. */
export type Seen =
  /** `written` is the text as written when `${VAR}`s were filled in; the value is then text of no YAML type yet. */
  | { readonly kind: 'scalar'; readonly value: unknown; readonly written?: string; readonly fromEnv?: readonly string[] }
  | { readonly kind: 'map'; readonly node: YAMLMap }
  | { readonly kind: 'list'; readonly node: YAMLSeq }
  | { readonly kind: 'invalid' };

export class Reader {
  readonly problems: ConfigProblem[] = [];
  /** Environment values read as text (URLs, headers, names): treated as secrets wherever they would be shown. */
  readonly textFromEnv = new Set<string>();
  private readonly seenScalars = new Map<Node, Seen>();

  constructor(
    readonly file: string,
    private readonly lineCounter: LineCounter,
    /** Each alias's value, found once (src/config/bounds.ts checked that none loops or explodes). */
    private readonly aliasTargets: ReadonlyMap<Alias, Node>,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  report(at: Pick<Located, 'offset' | 'path'>, message: string): void {
    const { line, col } = this.lineCounter.linePos(at.offset);
    this.problems.push({ file: this.file, line, col, path: at.path, message });
  }

  lineOf(offset: number): number {
    return this.lineCounter.linePos(offset).line;
  }

  /** Reads a node once: a scalar's `${VAR}`s are filled in (and reported) the first time only. */
  see(at: Located): Seen {
    let node = at.node;
    if (node && isAlias(node)) node = this.aliasTargets.get(node) ?? null;
    if (node === null) return { kind: 'scalar', value: null };
    if (isMap(node)) return { kind: 'map', node };
    if (isSeq(node)) return { kind: 'list', node };
    if (!isScalar(node)) return { kind: 'invalid' };
    const cached = this.seenScalars.get(node);
    if (cached) return cached;
    let seen: Seen = { kind: 'scalar', value: node.value };
    if (typeof node.value === 'string') {
      const filled = interpolateEnv(node.value, this.env);
      if (!filled.ok) {
        this.report(at, filled.problem);
        seen = { kind: 'invalid' };
      } else if (filled.changed) {
        seen = { kind: 'scalar', value: filled.text, written: node.value, fromEnv: filled.fromEnv };
      }
    }
    this.seenScalars.set(node, seen);
    return seen;
  }

  /** A plain JavaScript value for free-form data (e.g. `equals:` in a JSON assertion). */
  toPlain(at: Located): unknown {
    const seen = this.see(at);
    if (seen.kind === 'scalar') return seen.value;
    if (seen.kind === 'list') return seen.node.items.map((item, index) => this.toPlain(itemAt(seen.node, item, index, at.path)));
    if (seen.kind === 'map') {
      const out: Record<string, unknown> = {};
      for (const pair of seen.node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        out[key] = this.toPlain(valueAt(pair, key, at));
      }
      return out;
    }
    return undefined;
  }
}

export function offsetOf(node: Node | null | undefined, fallback: number): number {
  return node?.range?.[0] ?? fallback;
}

export function childPath(parent: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

function itemAt(list: YAMLSeq, item: unknown, index: number, parentPath: string): Located {
  const node = (item ?? null) as Node | null;
  return { node, offset: offsetOf(node, offsetOf(list, 0)), path: `${parentPath}[${index}]` };
}

function valueAt(pair: { key: unknown; value: unknown }, key: string, parent: Pick<Located, 'offset' | 'path'>): Located {
  const keyNode = pair.key as Node | null;
  const node = (pair.value ?? null) as Node | null;
  return { node, offset: offsetOf(node, offsetOf(keyNode, parent.offset)), path: childPath(parent.path, key) };
}

/** How a found value reads in a message: strings quoted, maps and lists by kind. */
export function describe(seen: Seen): string {
  if (seen.kind === 'map') return 'a map';
  if (seen.kind === 'list') return 'a list';
  if (seen.kind === 'invalid') return 'an unreadable value';
  const { value } = seen;
  if (value === null || value === undefined) return 'nothing';
  // Filled-in values may be secrets, so a message shows what was written, not what it became.
  if (seen.written !== undefined) return `${quote(seen.written)} as filled in from the environment`;
  if (typeof value === 'string') return quote(value);
  return String(value);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/**
 * The number or boolean a scalar holds. Text filled in from `${VAR}` has no YAML type of its own,
 * so `port: ${PORT}` and `port: "${PORT}"` both read as the number the variable holds.
 */
export function typedValue(seen: Seen, type: 'number' | 'boolean'): unknown {
  if (seen.kind !== 'scalar') return undefined;
  if (seen.written === undefined || typeof seen.value !== 'string') return seen.value;
  if (type === 'number') return /^[-+]?\d+(\.\d+)?$/.test(seen.value) ? Number(seen.value) : seen.value;
  return seen.value === 'true' ? true : seen.value === 'false' ? false : seen.value;
}

/** The keys of a map, each located; unknown keys and non-string keys are reported. */
export class Fields {
  private constructor(
    readonly path: string,
    readonly offset: number,
    private readonly entries: Map<string, Located>,
    private readonly keyOffsets: ReadonlyMap<string, number>,
  ) {}

  /** `allowed: 'any'` keeps every key; call `rejectUnknown` later when the allowed keys depend on a value. */
  static read(
    reader: Reader,
    at: Located,
    allowed: readonly string[] | 'any',
    explainUnknown?: (key: string) => string | undefined,
  ): Fields | undefined {
    const seen = reader.see(at);
    if (seen.kind !== 'map') {
      if (seen.kind !== 'invalid') reader.report(at, `expected a map, got ${describe(seen)}`);
      return undefined;
    }
    const entries = new Map<string, Located>();
    const keyOffsets = new Map<string, number>();
    for (const pair of seen.node.items) {
      const keyNode = pair.key as Node | null;
      const keyOffset = offsetOf(keyNode, at.offset);
      if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
        reader.report({ offset: keyOffset, path: at.path }, 'expected a plain key, got a complex key');
        continue;
      }
      const key = String(keyNode.value);
      entries.set(key, valueAt(pair, key, at));
      keyOffsets.set(key, keyOffset);
    }
    const fields = new Fields(at.path, offsetOf(seen.node, at.offset), entries, keyOffsets);
    if (allowed !== 'any') fields.rejectUnknown(reader, allowed, explainUnknown);
    return fields;
  }

  /** Reports (at the key) and drops every key not in `allowed`. */
  rejectUnknown(reader: Reader, allowed: readonly string[], explainUnknown?: (key: string) => string | undefined): void {
    for (const [key, located] of [...this.entries]) {
      if (allowed.includes(key)) continue;
      const keyAt = { offset: this.keyOffsets.get(key) ?? located.offset, path: located.path };
      const guess = closestWord(key, allowed);
      const hint = guess ? ` (did you mean "${guess}"?)` : '';
      reader.report(keyAt, explainUnknown?.(key) ?? `unknown key "${key}"${hint}; expected one of: ${allowed.join(', ')}`);
      this.entries.delete(key);
    }
  }

  get(key: string): Located | undefined {
    return this.entries.get(key);
  }

  /** Where a key itself is written (problems about a key point there, problems about its value at the value). */
  keyAt(key: string): Pick<Located, 'offset' | 'path'> | undefined {
    const located = this.entries.get(key);
    return located && { offset: this.keyOffsets.get(key) ?? located.offset, path: located.path };
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** The located value of a key that must be present; reports it (at the map) when missing. */
  required(reader: Reader, key: string, hint = ''): Located | undefined {
    const found = this.entries.get(key);
    if (!found) reader.report({ offset: this.offset, path: childPath(this.path, key) }, `missing required key "${key}"${hint}`);
    return found;
  }
}

/** The items of a list, each located. */
export function readList(reader: Reader, at: Located, expected = 'a list'): Located[] | undefined {
  const seen = reader.see(at);
  if (seen.kind !== 'list') {
    if (seen.kind !== 'invalid') reader.report(at, `expected ${expected}, got ${describe(seen)}`);
    return undefined;
  }
  return seen.node.items.map((item, index) => itemAt(seen.node, item, index, at.path));
}

export function readString(
  reader: Reader,
  at: Located,
  rule?: { readonly test: (text: string) => boolean; readonly expected: string },
): string | undefined {
  const seen = reader.see(at);
  if (seen.kind === 'invalid') return undefined;
  const expected = rule?.expected ?? 'a string';
  if (seen.kind !== 'scalar' || typeof seen.value !== 'string') {
    const quoteHint =
      seen.kind === 'scalar' && (typeof seen.value === 'number' || typeof seen.value === 'boolean')
        ? ` (quote it to use it as text: "${String(seen.value)}")`
        : '';
    reader.report(at, `expected ${expected}, got ${describe(seen)}${rule ? '' : quoteHint}`);
    return undefined;
  }
  if (rule && !rule.test(seen.value)) {
    reader.report(at, `expected ${expected}, got ${describe(seen)}`);
    return undefined;
  }
  for (const value of seen.fromEnv ?? []) reader.textFromEnv.add(value);
  return seen.value;
}

export function readInteger(reader: Reader, at: Located, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const seen = reader.see(at);
  if (seen.kind === 'invalid') return undefined;
  const value = typedValue(seen, 'number');
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    reader.report(at, `expected an integer ${range}, got ${describe(seen)}`);
    return undefined;
  }
  return value;
}

export function readBoolean(reader: Reader, at: Located): boolean | undefined {
  const seen = reader.see(at);
  if (seen.kind === 'invalid') return undefined;
  const value = typedValue(seen, 'boolean');
  if (typeof value !== 'boolean') {
    reader.report(at, `expected true or false, got ${describe(seen)}`);
    return undefined;
  }
  return value;
}

export function readChoice<T extends string>(reader: Reader, at: Located, choices: readonly T[]): T | undefined {
  const seen = reader.see(at);
  if (seen.kind === 'invalid') return undefined;
  if (seen.kind !== 'scalar' || !choices.includes(seen.value as T)) {
    reader.report(at, `expected one of ${choices.join(', ')}, got ${describe(seen)}`);
    return undefined;
  }
  return seen.value as T;
}

/** A string or a list of strings, always returned as a list. */
export function readStringOrList(reader: Reader, at: Located): string[] | undefined {
  const seen = reader.see(at);
  if (seen.kind === 'scalar') {
    const text = readString(reader, at, { test: () => true, expected: 'a string or a list of strings' });
    return text === undefined ? undefined : [text];
  }
  return readStringList(reader, at);
}

export function readStringList(reader: Reader, at: Located): string[] | undefined {
  const items = readList(reader, at, 'a list of strings');
  if (!items) return undefined;
  const strings = items.map((item) => readString(reader, item));
  return strings.every((text): text is string => text !== undefined) ? strings : undefined;
}
