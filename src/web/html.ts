// The one way markup is built: a tagged template that escapes every interpolation unless it is
// already markup (an Html value). Text from config and from targets can therefore never become markup.

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may be interpolated: markup, text (escaped), numbers, nothing, or lists of those. */
export type Interpolation = Html | string | number | null | undefined | false | readonly Interpolation[];

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and for quoted attribute values. */
const SPECIAL = /[&<>"']/;

export function escapeHtml(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] as string) : text;
}

// Concatenation with + (not Array.join): V8 keeps nested results as ropes, so a page built from
// thousands of fragments is copied once, when it is sent, not once per nesting level.
function text(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  let out = '';
  for (const item of value) out += text(item);
  return out;
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0] as string;
  for (let i = 0; i < values.length; i++) out += text(values[i] as Interpolation) + (strings[i + 1] as string);
  return new Html(out);
}

/** Markup Candor itself wrote (icons, generated SVG paths). Never for text from config or targets. */
export function trusted(markup: string): Html {
  return new Html(markup);
}

/**
 * A link target if it is an absolute http(s) URL (or a path on this site), else undefined.
 * Config already refuses other schemes; this is the second line of defence at render time.
 */
export function safeHref(url: string): string | undefined {
  // A local path; not //host or /\\host, which browsers read as another origin.
  if (url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\')) return url;
  if (!URL.canParse(url)) return undefined;
  const { protocol } = new URL(url);
  return protocol === 'http:' || protocol === 'https:' ? url : undefined;
}
