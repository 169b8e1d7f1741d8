// The subscription pages: a plain form (works without JavaScript) and the pages that confirm,
// acknowledge and unsubscribe. Addresses are never shown back, not even to the one who typed them.
import { pageAssets } from '../assets.js';
import { html, type Html } from '../html.js';

export interface SubscribeFormInput {
  readonly title: string;
  readonly page: string;
  readonly components: readonly string[];
  readonly regions: readonly string[];
  /** Shown above the form after a refused submission. */
  readonly problem?: string;
  /** Offer a webhook URL as well as an email address. */
  readonly webhooks: boolean;
}

export function shell(title: string, siteTitle: string, main: Html): Html {
  const assets = pageAssets();
  return html`<!doctype html>
<html lang="en" data-theme="auto">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${siteTitle}</title>
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assets.css.path}">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><div class="wrap"><a class="brand" href="/"><span>${siteTitle}</span></a></div></header>
<main id="main" tabindex="-1"><div class="wrap form-page">
<h1>${title}</h1>
${main}
</div></main>
</body>
</html>
`;
}

export function renderSubscribeForm(input: SubscribeFormInput): Html {
  const choice = (name: string, value: string, index: number) =>
    html`<li><input type="checkbox" name="${name}" value="${value}" id="${name}-${index}"> <label for="${name}-${index}">${value}</label></li>`;
  return shell(
    'Subscribe to updates',
    input.title,
    html`${input.problem ? html`<p role="alert" class="problem">${input.problem}</p>` : ''}
<p>Get an email when something you follow goes down and when it recovers. You confirm by following a link we send; until then nothing is stored. Every email has a link to unsubscribe at once.</p>
<form class="subscribe" method="post" action="/subscribe">
<input type="hidden" name="page" value="${input.page}">
<p><label for="email">Email address</label><br><input type="email" id="email" name="email"${input.webhooks ? '' : html` required`} maxlength="254" autocomplete="email"></p>
${input.webhooks ? html`<p><label for="webhook">Or a webhook URL</label><br><input type="url" id="webhook" name="webhook" maxlength="2000" placeholder="https://"></p>` : ''}
<fieldset><legend>Components (none ticked: all of them)</legend><ul>${input.components.map((name, index) => choice('components', name, index))}</ul></fieldset>
${input.regions.length > 0 ? html`<fieldset><legend>Regions (none ticked: everywhere)</legend><ul>${input.regions.map((name, index) => choice('regions', name, index))}</ul></fieldset>` : ''}
<p><button type="submit">Subscribe</button></p>
</form>`,
  );
}

/** A page with one button that POSTs `token` to `action` (links in emails never act on GET). */
export function renderConfirmStep(title: string, siteTitle: string, text: string, action: string, token: string, button: string): Html {
  return shell(
    title,
    siteTitle,
    html`<p>${text}</p>
<form method="post" action="${action}"><input type="hidden" name="token" value="${token}"><p><button type="submit">${button}</button></p></form>`,
  );
}

export function renderMessage(title: string, siteTitle: string, text: string, link?: { href: string; label: string }): Html {
  return shell(title, siteTitle, html`<p role="status">${text}</p>${link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ''}`);
}
