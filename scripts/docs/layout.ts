/**
 * What every page of the docs site shares: file names, escaping, the stylesheet, the page shell
 * and the navigation bar. Everything is inline or relative, so the site works from file:// and
 * from any static host, and nothing is ever loaded from another host.
 */
import { createHash } from 'node:crypto';
import type { SiteVendor } from './model.js';

/** The index page's title; out-dir.ts recognises an earlier build by it, so it stays as it is. */
export const SITE_TITLE = 'martech-contracts — API reference';

/** The files the site writes for one vendor, relative to the site root (all in one folder). */
export function vendorFiles(name: string) {
  return {
    reference: `${name}.html`,
    provenance: `${name}-provenance.html`,
    spec: `${name}.json`,
    postman: `${name}.postman_collection.json`,
  };
}

/**
 * The page of a section of docs/decisions.md that is no vendor's (MOCK-…, CLIENT-…, TEST-…,
 * REL-…): `decisions-mock.html`. Spec text and vendor decisions cite them.
 */
export const decisionsFile = (prefix: string) => `decisions-${prefix.toLowerCase()}.html`;

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON inside a <script> element: `</script>` and `<!--` must not appear literally. */
export const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** "1 operation", "3 operations". */
export const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * An outbound link (a source the spec cites). Only http(s) URLs become links; anything else is
 * shown as text. Links are navigation only: nothing on a page loads them.
 */
export function externalLink(url: string, text = url): string {
  if (!/^https?:\/\//i.test(url)) return escapeHtml(text);
  return `<a class="external" href="${escapeHtml(url)}" rel="noopener noreferrer external" referrerpolicy="no-referrer">${escapeHtml(text)}</a>`;
}

/**
 * Defence in depth for "nothing leaves the machine": even if a future Redoc reached for another
 * host, the browser would refuse. Inline style is Redoc's (styled-components); its search runs in
 * a blob: worker. The one inline script a page may have (the Redoc.init call) is allowed by its
 * hash, not by 'unsafe-inline', which had also let any inline event handler in the page run
 * (an <img onerror> that spec text put there, TEST-34).
 */
function contentSecurityPolicy(script: string | undefined): string {
  const inline = script === undefined ? '' : ` 'sha256-${createHash('sha256').update(script).digest('base64')}'`;
  return [
    "default-src 'none'",
    `script-src 'self'${inline}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' data: blob:",
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const NAV_HEIGHT = '3rem';

/*
 * The header is fixed, so whatever the browser scrolls into view (an anchor's target, a link
 * focused by Tab) stops below it; not on reference pages, where Redoc scrolls its own sections and
 * subtracts the header itself (scrollYOffset), which would count it twice. Tables scroll sideways
 * in their own box, so a phone's page does not. Under 60rem (a phone, or 200% zoom) a vendor
 * page's tabs take a second row of the header instead of sitting past its right edge. Redoc takes
 * the focus ring off its search box and some of its buttons and links, so a keyboard reader lost their place.
 */
const STYLE = `:root{--nav-h:${NAV_HEIGHT};--ink:#1f2933;--muted:#52606d;--line:#d9e2ec;--soft:#f0f4f8;--brand:#12263a;--link:#0b5cad}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;margin:0;color:var(--ink);line-height:1.5;padding-top:var(--nav-h)}
a{color:var(--link)}
a.external::after{content:" \\2197";font-size:.8em}
header.site{position:fixed;top:0;left:0;right:0;z-index:100;height:var(--nav-h);background:var(--brand);color:#fff;display:flex;align-items:center;gap:1.5rem;padding:0 1.25rem;overflow-x:auto;white-space:nowrap}
header.site a{color:#cfe3ff;text-decoration:none}
header.site a:hover{text-decoration:underline}
header.site .brand{font-weight:700;color:#fff}
header.site ul{list-style:none;display:flex;gap:.25rem;margin:0;padding:0}
header.site li a{display:block;padding:.3rem .6rem;border-radius:4px}
header.site li a[aria-current="page"]{background:#fff;color:var(--brand)}
header.site .vendor-tabs{margin-left:auto;display:flex;align-items:center;gap:.5rem;min-width:0}
header.site .vendor-tabs ul,header.site nav ul{flex:none}
header.site .vendor-tabs .label{color:#9fb3c8;font-size:.9rem;min-width:4rem;overflow:hidden;text-overflow:ellipsis}
main{padding:1.5rem 2rem 3rem;max-width:84rem;overflow-wrap:break-word}
h1{margin:.25rem 0 .5rem;font-size:1.8rem}
h2{margin-top:2.25rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
h3{margin-top:1.75rem}
p.lead{color:var(--muted);margin-top:0;max-width:60rem}
table{border-collapse:collapse;width:100%;margin:.75rem 0}
th,td{text-align:left;padding:.5rem .75rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft);font-weight:600}
tbody tr:hover{background:#fafcfe}
td ul{margin:0;padding-left:1.1rem}
table.operations{table-layout:fixed}
code{background:var(--soft);padding:0 .25rem;border-radius:3px;font-size:.9em}
pre{background:var(--soft);padding:.75rem;border-radius:4px;overflow-x:auto}
pre code{background:none;padding:0}
small,.muted{color:var(--muted)}
.nowrap{white-space:nowrap}
.badge{display:inline-block;padding:0 .45rem;border-radius:999px;font-size:.8rem;font-weight:600;line-height:1.5;white-space:nowrap}
.badge.high{background:#d5f5e3;color:#14532d}.badge.medium{background:#fff1c2;color:#6b4e00}.badge.low{background:#fde2e1;color:#8a1c1c}
.method{display:inline-block;min-width:4.2rem;text-align:center;padding:0 .4rem;border-radius:4px;font:600 .8rem/1.6 ui-monospace,"DejaVu Sans Mono",monospace;color:#fff;background:#52606d;text-transform:uppercase}
.method.get{background:#1f6feb}.method.post{background:#1a7f37}.method.put{background:#b35900}.method.patch{background:#6f42c1}.method.delete{background:#c62828}
.summary-counts{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0;padding:0;list-style:none}
.summary-counts li{background:var(--soft);border-radius:6px;padding:.5rem .9rem}
.summary-counts strong{font-size:1.25rem}
.note{background:#eef6ff;border-left:4px solid var(--link);padding:.75rem 1rem;margin:1.25rem 0;max-width:60rem}
.warn{background:#fff8e1;border-left:4px solid #d89a00;padding:.75rem 1rem;margin:1rem 0;max-width:60rem}
.links a,.links span{display:block;white-space:nowrap}
.decisions{max-width:62rem}
.decisions h3{border-top:1px solid var(--line);padding-top:1rem}
.decisions h3 a{color:inherit;text-decoration:none}
body:not(.reference) main *{scroll-margin-top:calc(var(--nav-h) + .5rem)}
.wide{overflow-x:auto}
a.skip{position:fixed;top:.5rem;left:.5rem;z-index:200;background:#fff;color:var(--brand);padding:.4rem .8rem;border-radius:4px;transform:translateY(-200%)}
a.skip:focus{transform:none}
main:focus{outline:none}
body.reference main{padding:0;max-width:none}
body.reference #redoc :is(a,input,button,[tabindex]):focus-visible{outline:2px solid var(--link);outline-offset:2px}
@media (max-width:60rem){
body.reference,body.provenance{--nav-h:5.5rem}
header.site{flex-wrap:wrap;align-content:center;row-gap:.25rem;gap:.25rem 1rem;overflow:visible}
header.site nav{min-width:0;flex:1 1 0;overflow-x:auto}
header.site .vendor-tabs{flex:1 0 100%;margin-left:0;overflow-x:auto}
header.site .vendor-tabs .label{display:none}
}`;

function navigation(site: SiteVendor[], current: SiteVendor | undefined, kind: PageKind): string {
  const vendorLinks = site
    .map(({ info }) => {
      const here = current?.info.name === info.name ? ' aria-current="page"' : '';
      return `<li><a href="${escapeHtml(vendorFiles(info.name).reference)}"${here}>${escapeHtml(info.name)}</a></li>`;
    })
    .join('');
  let tabs = '';
  if (current) {
    const files = vendorFiles(current.info.name);
    const tab = (href: string, label: string, active: boolean, download = false) =>
      `<li><a href="${escapeHtml(href)}"${active ? ' aria-current="page"' : ''}${download ? ' download' : ''}>${label}</a></li>`;
    // A long title gives way (cut short, whole on hover) before the tabs leave the screen.
    tabs = `<div class="vendor-tabs"><span class="label" title="${escapeHtml(current.info.title)}">${escapeHtml(current.info.title)}</span><ul>
${tab(files.reference, 'Reference', kind === 'reference')}${tab(files.provenance, 'Provenance', kind === 'provenance')}${tab(files.spec, 'OpenAPI JSON', false, true)}${current.collection ? tab(files.postman, 'Postman', false, true) : ''}
</ul></div>`;
  }
  return `<header class="site">
<a class="brand" href="index.html"${kind === 'index' ? ' aria-current="page"' : ''}>martech-contracts</a>
<nav aria-label="Vendors"><ul>${vendorLinks}</ul></nav>
${tabs}
</header>`;
}

export type PageKind = 'index' | 'reference' | 'provenance' | 'decisions';

export interface PageOptions {
  title: string;
  kind: PageKind;
  site: SiteVendor[];
  /** The vendor the page is about (reference and provenance pages). */
  vendor?: SiteVendor;
  body: string;
  /** The page's one inline script, placed after the body and allowed by the CSP by its hash. */
  script?: string;
}

export function page({ title, kind, site, vendor, body, script }: PageOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(script)}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body class="${kind}">
<a class="skip" href="#content">Skip to content</a>
${navigation(site, vendor, kind)}
${body}${script === undefined ? '' : `\n<script>${script}</script>`}
</body>
</html>
`;
}
