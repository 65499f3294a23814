import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { vendors, type VendorInfo } from '../../src/vendors.js';
import { root } from '../lib/vendors.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON inside a <script> element: `</script>` and `<!--` must not appear literally. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2933}
header{background:#12263a;color:#fff;padding:1.5rem 2rem}header a{color:#cfe3ff}
main{padding:1.5rem 2rem;max-width:70rem}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.5rem .75rem;border-bottom:1px solid #d9e2ec;vertical-align:top}
th{background:#f0f4f8}code{background:#f0f4f8;padding:0 .25rem;border-radius:3px}`;

function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
${head}
</head>
<body>
${body}
</body>
</html>
`;
}

function indexPage(): string {
  const rows = vendors
    .map(
      (v) => `<tr data-vendor="${v.name}">
<td><a href="${v.name}.html">${escapeHtml(v.title)}</a></td>
<td class="operations">${v.operationCount}${v.operationCount === 0 ? ' (not yet documented)' : ''}</td>
<td>${v.auth.map(escapeHtml).join('<br>')}</td>
<td>${v.operationCount > 0 ? `<code>http://127.0.0.1:${v.mockPort}</code>` : '—'}</td>
<td><a href="${v.name}.json" download>${v.name}.json</a></td>
</tr>`,
    )
    .join('\n');
  return page(
    'martech-contracts — API reference',
    `<header><h1>martech-contracts</h1><p>OpenAPI 3.1 contracts for the marketing and loyalty APIs we integrate with.</p></header>
<main>
<table>
<thead><tr><th>Vendor</th><th>Operations</th><th>Auth</th><th>Mock (npm start)</th><th>Bundled spec</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p>Each reference page is rendered by Redoc from the bundled spec in <code>generated/</code>; the site loads nothing from other hosts.</p>
</main>`,
  );
}

function referencePage(vendor: VendorInfo, spec: unknown): string {
  return page(
    `${vendor.title} — API reference`,
    `<div id="redoc"></div>
<script src="assets/redoc.standalone.js"></script>
<script id="spec" type="application/json">${scriptJson(spec)}</script>
<script>
Redoc.init(JSON.parse(document.getElementById('spec').textContent), {
  hideDownloadButton: false,
  expandResponses: '200,201',
  jsonSampleExpandLevel: 3
}, document.getElementById('redoc'));
</script>`,
  );
}

/** Writes the static site: index, one Redoc page and one bundled spec per vendor, the Redoc bundle. */
export async function buildSite(outDir: string, log: (line: string) => void = () => {}): Promise<string[]> {
  await mkdir(join(outDir, 'assets'), { recursive: true });
  const redoc = createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js');
  await copyFile(redoc, join(outDir, 'assets/redoc.standalone.js'));
  const written = ['index.html', 'assets/redoc.standalone.js'];
  for (const vendor of vendors) {
    const text = await readFile(join(root, vendor.bundle), 'utf8');
    await writeFile(join(outDir, `${vendor.name}.json`), text);
    await writeFile(join(outDir, `${vendor.name}.html`), referencePage(vendor, JSON.parse(text)));
    written.push(`${vendor.name}.html`, `${vendor.name}.json`);
    log(`[${vendor.name}] reference page (${vendor.operationCount} operations)`);
  }
  await writeFile(join(outDir, 'index.html'), indexPage());
  log('[all] index.html');
  return written;
}
