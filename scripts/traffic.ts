/**
 * npm run traffic -- <vendor> <file.har> [--json] [--server <url>]
 * Checks recorded traffic against the vendor's bundled spec: undocumented operations (with
 * suggested paths, which is how a thin spec such as Imprzd's grows) and documented calls that
 * break the contract. Exit 0 when everything matches, 1 on findings, 2 on usage errors and files
 * that cannot be read as a HAR, 3 when the checker itself failed (a bug: never a finding).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSpec } from '../contract-tests/lib/spec.js';
import { callerDir } from '../src/cli/caller-dir.js';
import { npmTookProblem } from '../src/cli/npm-taken.js';
import { findVendor } from '../src/vendors.js';
import { readCommandLine } from './lib/args.js';
import { root, selectVendors } from './lib/vendors.js';
import { analyse } from './traffic/analyse.js';
import { HarError, readHarLog } from './traffic/har.js';
import { formatReport } from './traffic/report.js';

const USAGE = `usage: npm run traffic -- <vendor> <file.har> [options]

Checks recorded traffic (a HAR file) against generated/<vendor>/openapi.json and lists
undocumented operations, with suggested OpenAPI paths, and documented calls whose status,
content type, request body or response body break the contract.

  --json            print the report as JSON
  --server <url>    base URL the traffic was recorded against, used instead of the spec's servers
  -h, --help        this text

Exit code: 0 everything matches, 1 undocumented operations or mismatches, 2 usage error or a
file that is not a readable HAR, 3 the checker failed (a bug in it; the recording was not judged).`;

/** Usage errors exit 2; the usage text is shown only when the command line itself was wrong. */
function fail(message: string, usage = false): never {
  console.error(`traffic: ${message}${usage ? `\n\n${USAGE}` : ''}`);
  process.exit(2);
}

const TRAFFIC_FLAGS = {
  json: { type: 'boolean', default: false },
  server: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function main() {
  let parsed;
  try {
    // `npm run traffic xonvo x.har --server …` gave npm the flag, and the recording was checked without it.
    const taken = npmTookProblem('traffic', ['traffic'], TRAFFIC_FLAGS, process.argv.slice(2));
    if (taken) throw new Error(taken);
    parsed = readCommandLine({ args: process.argv.slice(2), allowPositionals: true, options: TRAFFIC_FLAGS });
  } catch (error) {
    fail((error as Error).message, true);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 2) fail(`expected a vendor and a HAR file, got ${positionals.length} argument(s)`, true);
  const [vendorName, harFile] = positionals as [string, string];
  if (values.server !== undefined && !URL.canParse(values.server)) {
    fail(`--server must be an absolute URL such as https://sandbox.example.com/api (got "${values.server}")`, true);
  }

  let entry;
  try {
    [entry] = selectVendors([vendorName]);
  } catch (error) {
    fail((error as Error).message);
  }
  const vendor = findVendor(entry!.name);
  if (!vendor || !existsSync(`${root}${entry!.bundle}`)) {
    fail(`${entry!.bundle} is missing or not in generated/vendors.json; run npm run build`);
  }

  let exchanges;
  let comment;
  try {
    ({ exchanges, comment } = readHarLog(resolve(callerDir(['traffic'], root), harFile)));
  } catch (error) {
    if (error instanceof HarError) fail(error.message);
    throw error;
  }

  // As URLs compare: a default port written out (`:443`) is the same server as none.
  const server = values.server === undefined ? undefined : ((u) => `${u.origin}${u.pathname.replace(/\/+$/, '')}`)(new URL(values.server));
  const report = analyse(loadSpec(vendor), exchanges, { har: harFile, spec: entry!.bundle }, server);
  // What the recorder left out (entries it dropped) was not checked: a clean result holds for the rest only.
  if (comment !== undefined) report.notes.unshift(`The HAR's log.comment says: "${comment}". Only the entries it holds were checked.`);
  // A recording with nothing to check is almost always the wrong file or the wrong host, not a pass.
  if (report.counts.documented + report.counts.undocumented === 0) {
    const hosts = [...new Set(exchanges.map((e) => e.url.host))].join(', ');
    fail(
      report.counts.noRoute > 0
        ? `every request in ${harFile} that went to the ${vendor.name} spec's servers was the mock's own answer to a route it does not serve; if the API was called at another base path, pass --server <base URL>`
        : report.counts.noResponse > 0
        ? `no request in ${harFile} that went to the ${vendor.name} spec's servers has a recorded response; record the traffic again and let the responses arrive before exporting`
        : `no request in ${harFile} went to a server of the ${vendor.name} spec (${report.servers.join(', ')}); ` +
            `the recording's hosts are ${hosts}. If the API was called at another base URL, pass --server <base URL>.`,
    );
  }

  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report, entry!.spec));
  process.exitCode = report.undocumented.length || report.mismatches.length ? 1 : 0;
}

/**
 * A failure of the checker's own is not a finding: exit 1 told a script the traffic had drifted.
 * It is said in one line, with where it came from for the bug report, and exits 3.
 */
try {
  main();
} catch (error) {
  const where = (error as Error)?.stack?.split('\n').find((line) => /^\s+at /.test(line))?.trim();
  console.error(`traffic: the checker failed, so the recording was not judged (a bug; please report it with the HAR file): ${String((error as Error)?.message ?? error)}${where ? ` (${where})` : ''}`);
  process.exitCode = 3;
}
