// A strict XML reader for tests: sax (strict mode, the parser under xml-js, which `feed` uses) plus the checks sax
// leaves out, so a feed or badge that is not well-formed XML fails the test. Returns a small element tree.
import { createRequire } from 'node:module';

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Text and CDATA directly inside, entities decoded. */
  text: string;
}

interface SaxParser {
  onerror: (error: Error) => void;
  onopentag: (tag: { name: string; attributes: Record<string, string> }) => void;
  onclosetag: () => void;
  ontext: (text: string) => void;
  oncdata: (text: string) => void;
  write(xml: string): SaxParser;
  close(): SaxParser;
}

const sax = createRequire(import.meta.url)('sax') as { parser(strict: boolean, options: object): SaxParser };

/** Characters outside XML 1.0's Char production (sax lets them through). */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Parses well-formed XML (one root, matched tags, known entities, legal characters) or throws. */
export function parseXml(xml: string): XmlElement {
  const bad = NOT_XML_CHAR.exec(xml);
  if (bad) throw new Error(`character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} is not allowed in XML (offset ${bad.index})`);
  const parser = sax.parser(true, {});
  const roots: XmlElement[] = [];
  const stack: XmlElement[] = [];
  parser.onerror = (error) => {
    throw error;
  };
  parser.onopentag = (tag) => {
    const element: XmlElement = { name: tag.name, attributes: tag.attributes, children: [], text: '' };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else roots.push(element);
    stack.push(element);
  };
  parser.onclosetag = () => {
    stack.pop();
  };
  parser.ontext = parser.oncdata = (text) => {
    const current = stack.at(-1);
    if (current) current.text += text;
    else if (text.trim() !== '') throw new Error(`text outside the root element: ${JSON.stringify(text)}`);
  };
  parser.write(xml).close();
  if (roots.length !== 1) throw new Error(`expected one root element, got ${roots.length}`);
  return roots[0]!;
}

/** Every descendant element with this name, in document order. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...findAll(child, name)]);
}

export function findOne(element: XmlElement, name: string): XmlElement {
  const [found] = findAll(element, name);
  if (!found) throw new Error(`no <${name}> in <${element.name}>`);
  return found;
}
