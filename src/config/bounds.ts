// Limits that keep a hostile or broken config from exhausting Candor before validation starts: the
// file's size, how deep it nests, and how far its aliases expand. Each limit is far above what a real
// config needs (a 10,000-monitor config is about 1.5 MB, nests about 10 deep, expands aliases a little).

import { isAlias, isMap, isPair, isScalar, isSeq, Lexer, Parser, type Alias, type Document, type Node } from 'yaml';

/** Bigger files are refused before they are read. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
/** The YAML parser's own nesting (maps, lists, flow collections); the composer recurses and crashes far deeper. */
export const MAX_NESTING = 64;
/** Values visited when every alias is expanded in place: a billion-laughs document stops here. */
export const MAX_EXPANDED_VALUES = 1_000_000;
/** An alias whose anchored value holds an alias whose value holds one... */
export const MAX_ALIAS_DEPTH = 16;

export interface BoundProblem {
  readonly offset: number;
  readonly message: string;
}

export function sizeProblem(bytes: number): string | undefined {
  if (bytes <= MAX_CONFIG_BYTES) return undefined;
  return `the file is ${bytes} bytes, more than the ${MAX_CONFIG_BYTES} bytes (16 MiB) a config may have`;
}

/** Where the document first nests deeper than MAX_NESTING, found with the parser's explicit stack (no recursion). */
export function nestingProblem(text: string): BoundProblem | undefined {
  const parser = new Parser();
  let offset = 0;
  for (const source of new Lexer().lex(text, false)) {
    for (const _token of parser.next(source));
    if (parser.stack.length > MAX_NESTING) {
      return { offset, message: `expected values nested at most ${MAX_NESTING} levels deep, got deeper here` };
    }
    offset += source.length;
  }
  return undefined;
}

/**
 * The first alias that refers to a value containing it, nests aliases too deep, or makes the document
 * expand past MAX_EXPANDED_VALUES. Also returns each alias's target, so readers need not look them up again.
 */
export function checkAliases(doc: Document): { problem?: BoundProblem; targets: ReadonlyMap<Alias, Node> } {
  const targets = anchorTargets(doc);
  const ancestors = new Set<Node>();
  let visited = 0;

  // `expanding` is where the outermost alias being expanded is written: a problem deep inside points there.
  const walk = (node: unknown, aliasDepth: number, expanding?: number): BoundProblem | undefined => {
    if (node === null || node === undefined) return undefined;
    if (isPair(node)) return walk(node.key, aliasDepth, expanding) ?? walk(node.value, aliasDepth, expanding);
    const current = node as Node;
    const offset = current.range?.[0] ?? 0;
    if (++visited > MAX_EXPANDED_VALUES) {
      return { offset: expanding ?? offset, message: `expected aliases to expand to at most ${MAX_EXPANDED_VALUES} values, got more from here (write the values out, or alias less)` };
    }
    if (isAlias(current)) {
      const target = targets.get(current);
      // An alias without an anchor is a syntax error the parser has reported already.
      if (!target) return undefined;
      if (ancestors.has(target)) {
        return { offset, message: `expected an alias to a value defined elsewhere, got *${current.source} inside the value it refers to (it would never end)` };
      }
      if (aliasDepth >= MAX_ALIAS_DEPTH) {
        return { offset, message: `expected aliases nested at most ${MAX_ALIAS_DEPTH} deep, got *${current.source} deeper` };
      }
      return walk(target, aliasDepth + 1, expanding ?? offset);
    }
    if (!isMap(current) && !isSeq(current)) return undefined;
    ancestors.add(current);
    for (const item of current.items as unknown[]) {
      const problem = walk(item, aliasDepth, expanding);
      if (problem) return problem;
    }
    ancestors.delete(current);
    return undefined;
  };

  const problem = walk(doc.contents, 0);
  return problem ? { problem, targets } : { targets };
}

/** Each alias's value: the closest anchor of that name before it in document order (as YAML defines it). */
function anchorTargets(doc: Document): Map<Alias, Node> {
  const latest = new Map<string, Node>();
  const targets = new Map<Alias, Node>();
  // Iterative pre-order walk: a node's anchor is defined before anything inside it.
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || node === undefined) continue;
    if (isPair(node)) {
      pending.push(node.value, node.key);
      continue;
    }
    if (isAlias(node)) {
      const target = latest.get(node.source);
      if (target) targets.set(node, target);
      continue;
    }
    const anchored = node as Node;
    if (anchored.anchor) latest.set(anchored.anchor, anchored);
    if (isScalar(anchored)) continue;
    if (isMap(anchored) || isSeq(anchored)) {
      const items = anchored.items as unknown[];
      for (let index = items.length - 1; index >= 0; index--) pending.push(items[index]);
    }
  }
  return targets;
}
