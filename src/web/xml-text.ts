// Text that XML (Atom, RSS, SVG) can carry. Names come from the config and messages from monitored targets.
import { escapeHtml as escapePageText } from './html.js';

/** Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces what XML cannot carry with U+FFFD; escaping is left to the writer. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, '\uFFFD');
}

/** HTML-escapes text (which also keeps "]]>" out of CDATA sections) and drops what XML cannot carry. */
export function escapeHtml(text: string): string {
  return escapePageText(xmlText(text));
}
