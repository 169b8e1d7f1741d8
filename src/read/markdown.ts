// Operators write incident updates and postmortems in Markdown; the public sees them as HTML. One
// well-kept renderer (markdown-it) with raw HTML off, so nothing an operator types becomes markup of
// its own: tags are shown as text, and links with javascript:, vbscript:, file: or data: targets are
// not made (markdown-it's validateLink). Images are off too: a status page loads nothing from elsewhere.
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false }).disable(['image']);

// Links leave the status page: they must not hand it to the page they open, nor vouch for it.
const defaultLinkOpen = markdown.renderer.rules['link_open'] ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules['link_open'] = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'nofollow noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Safe HTML of an operator's Markdown. */
export function renderMarkdown(text: string): string {
  return markdown.render(text);
}
