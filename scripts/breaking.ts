/**
 * The breaking-change check: the working tree against the last release (release-baseline/),
 * per vendor — the bundled specs with direction-aware rules (scripts/breaking/rules/) and the
 * type surface with API Extractor reports — and the gate on pending change files.
 *
 *   tsx scripts/breaking.ts                 report (add --verbose for additive changes too)
 *   tsx scripts/breaking.ts --check         exit 1 on a break no pending major change file covers,
 *                                           or when etc/api/ is stale
 *   tsx scripts/breaking.ts --check --release
 *                                           the gate before a release (npm run release:version): also
 *                                           exit 1 when no pending change file bumps the package
 *   tsx scripts/breaking.ts --draft         write .changeset/breaking-changes.md (major) listing the breaks
 *   tsx scripts/breaking.ts --api-report    rewrite etc/api/<entry>.api.md from the working tree
 *   tsx scripts/breaking.ts --update-baseline [--from <git ref>|worktree]
 *                                           snapshot a release into release-baseline/ (default HEAD)
 * Options: --baseline <dir>, --bundles <dir> (holding <vendor>/openapi.json), --changesets <dir>,
 * --no-types (skip the type surface), --report <file> (the check's findings as JSON, for npm test).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { buildReports, generatedNames } from './breaking/api-report.js';
import { type Bump, ChangeFileError, highestBump, pendingChangeFiles, uncoveredBreaks } from './breaking/changesets.js';
import { diffSpecs } from './breaking/diff.js';
import { compareEntryPoints, compareSurfaces, exportKeys } from './breaking/entry-points.js';
import { ExportsError } from './breaking/exports.js';
import { cliFlagsProblem, compareCliFlags, type CliFlags, readCliFlags } from './breaking/cli-flags.js';
import { compareMockPorts, mockPortsProblem } from './breaking/mock-ports.js';
import { comparePackage, type PackagePromises, promisesProblem } from './breaking/package-surface.js';
import { baselineSource, bumpNeeded, bumpWords, draftChangeFile, formatChanges, sentence } from './breaking/report.js';
import { type Change, isObject, type Json, type JsonObject } from './breaking/types.js';
import { readArgs, readCommandLine } from './lib/args.js';
import { loadVendors, root } from './lib/vendors.js';

const BREAKING_USAGE = `usage: npm run breaking [-- --check [--release] | --draft | --api-report | --update-baseline [--from <git ref>|worktree]]
  [--verbose] [--baseline <dir>] [--bundles <dir>] [--changesets <dir>] [--no-types] [--report <file>]`;
const BREAKING_FLAGS = {
  check: { type: 'boolean', default: false },
  release: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  draft: { type: 'boolean', default: false },
  'api-report': { type: 'boolean', default: false },
  'update-baseline': { type: 'boolean', default: false },
  from: { type: 'string', default: 'HEAD' },
  baseline: { type: 'string', default: join(root, 'release-baseline') },
  bundles: { type: 'string' },
  changesets: { type: 'string', default: join(root, '.changeset') },
  types: { type: 'boolean', default: true },
  'no-types': { type: 'boolean', default: false },
  report: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;
const { values: args } = readArgs('breaking', BREAKING_USAGE, () => {
  const read = readCommandLine({ options: BREAKING_FLAGS });
  // An empty folder resolves to the working directory, which --update-baseline would replace whole.
  for (const option of ['baseline', 'bundles', 'changesets', 'report'] as const) {
    if (read.values[option]?.trim() === '') throw new Error(`--${option} must name a ${option === 'report' ? 'file' : 'folder'} (got nothing)`);
  }
  return read;
}, { scripts: ['breaking', 'breaking:check', 'api:report'], flags: BREAKING_FLAGS });
if (args.help) {
  console.log(BREAKING_USAGE);
  process.exit(0);
}

const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports?: unknown } & PackagePromises;
const packageName = packageJson.name;
/** A file the check reads that is missing or not what it should be: a message naming it, exit 2. */
class InputError extends Error {}

const baselineDir = resolve(args.baseline);
const apiDir = join(root, 'etc/api');
const withTypes = args.types && !args['no-types'];

try {
  if (args['update-baseline']) updateBaseline(args.from);
  else if (args['api-report']) refreshApiReports();
  else process.exitCode = runCheck();
} catch (error) {
  // What the user can fix (a file, a ref, package.json) is said in one line naming it; anything
  // else is a bug of the check and keeps its stack trace.
  if (error instanceof InputError || error instanceof ExportsError) {
    console.error(`breaking: ${error.message}`);
    process.exitCode = 2;
  } else if (error instanceof ChangeFileError) {
    console.error(`breaking: ${error.message}; fix it or delete it (\`npx changeset\` writes one)`);
    process.exitCode = 2;
  } else throw error;
}

function runCheck(): number {
  if (!existsSync(join(baselineDir, 'manifest.json'))) {
    throw new InputError(`no baseline in ${baselineDir}: snapshot the last release with \`npm run breaking -- --update-baseline --from <tag>\``);
  }
  const manifest = readJson(join(baselineDir, 'manifest.json')) as { version: string; source: string; vendors: string[]; entryPoints?: string[]; package?: Json; mockPorts?: Json; cli?: Json };
  if (!Array.isArray(manifest.vendors) || manifest.vendors.length === 0 || !manifest.vendors.every((v) => typeof v === 'string')) {
    throw new InputError(`${join(baselineDir, 'manifest.json')} lists no vendors (a "vendors" array of names); snapshot the release again with \`npm run breaking -- --update-baseline --from <tag>\``);
  }
  if (manifest.entryPoints !== undefined && !(Array.isArray(manifest.entryPoints) && manifest.entryPoints.every((key) => typeof key === 'string'))) {
    throw new InputError(`${join(baselineDir, 'manifest.json')}: "entryPoints" must be the release's \`exports\` keys (an array of strings); snapshot the release again with \`npm run breaking -- --update-baseline --from <tag>\``);
  }
  const problem = manifest.package === undefined ? undefined : isObject(manifest.package) ? promisesProblem(manifest.package) : 'must be an object';
  if (problem) throw new InputError(`${join(baselineDir, 'manifest.json')}: "package": ${problem} (package.json's \`bin\` and \`engines\` of the release); snapshot the release again with \`npm run breaking -- --update-baseline --from <tag>\``);
  const portsProblem = mockPortsProblem(manifest.mockPorts);
  const cliProblem = cliFlagsProblem(manifest.cli);
  if (cliProblem) throw new InputError(`${join(baselineDir, 'manifest.json')}: "cli" ${cliProblem} (each subcommand's --help of the release); snapshot the release again with \`npm run breaking -- --update-baseline --from <tag>\``);
  if (portsProblem) throw new InputError(`${join(baselineDir, 'manifest.json')}: "mockPorts" ${portsProblem}; snapshot the release again with \`npm run breaking -- --update-baseline --from <tag>\``);
  const baselineReports = new Map<string, string>();
  if (existsSync(join(baselineDir, 'api'))) {
    for (const name of readdirSync(join(baselineDir, 'api')).filter((file) => file.endsWith('.api.md'))) {
      baselineReports.set(name.replace(/\.api\.md$/, ''), readFileSync(join(baselineDir, 'api', name), 'utf8'));
    }
  }
  // A manifest written before entry points were recorded: the entry points it has reports for.
  const released = manifest.entryPoints ?? [...baselineReports.keys()].map((entry) => `./${entry}`);
  const exportedNow = exportKeys(packageJson);
  const vendors = loadVendors();
  const current = new Map(vendors.map((vendor) => [vendor.name, args.bundles ? join(resolve(args.bundles), vendor.name, 'openapi.json') : join(root, vendor.bundle)]));
  const changes: Change[] = [];
  for (const vendor of manifest.vendors) {
    const before = readJson(join(baselineDir, vendor, 'openapi.json'));
    const file = current.get(vendor);
    if (!file || !existsSync(file)) {
      changes.push({ vendor, operation: 'the whole API', where: '', rule: 'vendor-removed', severity: 'breaking', message: `the vendor is gone from the package: code importing martech-contracts/${vendor} breaks` });
      continue;
    }
    changes.push(...diffSpecs(vendor, before, readJson(file)));
  }
  for (const vendor of current.keys()) {
    if (!manifest.vendors.includes(vendor)) changes.push({ vendor, operation: 'the whole API', where: '', rule: 'vendor-added', severity: 'info', message: 'new vendor' });
  }
  changes.push(...compareEntryPoints(packageName, released, exportedNow));
  changes.push(...compareMockPorts(manifest, vendors));
  // A baseline cut before the package's commands and Node range were recorded cannot judge them: said, not passed silently.
  if (isObject(manifest.package)) changes.push(...comparePackage(packageName, manifest.package, packageJson));
  else changes.push({ vendor: 'commands', operation: 'the whole API', where: 'package.json `bin` and `engines`', rule: 'command-removed', severity: 'warning', message: `release ${manifest.version}'s baseline does not record them, so they are not compared: snapshot the release again, or add its "package" to manifest.json` });
  // One cut before the peer dependencies were recorded (0.1.0's were added by hand, from its commit) cannot judge them either.
  if (isObject(manifest.package) && manifest.package.peerDependencies === undefined) changes.push({ vendor: 'peers', operation: 'the whole API', where: 'package.json `peerDependencies`', rule: 'peer-changed', severity: 'warning', message: `release ${manifest.version}'s baseline does not record them, so they are not compared: snapshot the release again, or add its "peerDependencies" (and "peerDependenciesMeta") to manifest.json's "package"` });
  const stale: string[] = [];
  if (withTypes) {
    let reports: Map<string, string>;
    try {
      reports = buildReports(root, root);
    } catch (error) {
      if (error instanceof ExportsError) throw error;
      console.error(`breaking: the type surface could not be reported (API Extractor on tsconfig.build.json's declarations): ${(error as Error).message}`);
      return 1;
    }
    const surfaces = compareSurfaces({ packageName, released, exportedNow, baseline: baselineReports, current: reports, ignore: generatedNames(root, [...current.keys()]) });
    if (surfaces.missing.length) {
      throw new InputError(
        `${join(baselineDir, 'api')} has no API report for ${surfaces.missing.join(', ')}, which release ${manifest.version} exported: its types cannot be compared; snapshot the release again with \`npm run breaking -- --update-baseline --from <tag>\``,
      );
    }
    changes.push(...surfaces.changes);
    if (manifest.cli === undefined) {
      changes.push({ vendor: 'commands', operation: 'the whole API', where: 'command-line flags', rule: 'cli-flag-removed', severity: 'warning', message: `release ${manifest.version}'s baseline does not record them, so they are not compared: snapshot the release again, or add its "cli" to manifest.json` });
    } else {
      try {
        changes.push(...compareCliFlags(packageName, manifest.cli as CliFlags, readCliFlags(root, packageName)));
      } catch (error) {
        console.error(`breaking: the command line's flags could not be read (each subcommand's --help): ${(error as Error).message}`);
        return 1;
      }
    }
    for (const [entry, text] of reports) {
      const committed = join(apiDir, `${entry}.api.md`);
      if (!existsSync(committed) || readFileSync(committed, 'utf8') !== text) stale.push(entry);
    }
  }

  console.log(`Breaking-change check: working tree against release ${manifest.version} (baseline from ${baselineSource(manifest.source)})${withTypes ? '' : ', specs only'}`);
  console.log(formatChanges(changes, { verbose: args.verbose }) || 'no differences');
  const needed = bumpNeeded(changes);
  console.log(`\nSemver: ${bumpWords(changes)}`);
  const breaking = changes.filter((change) => change.severity === 'breaking');
  const files = pendingChangeFiles(args.changesets, packageName);
  if (args.draft) {
    const target = join(args.changesets, 'breaking-changes.md');
    // It is meant to be edited: a second draft would replace the edited wording without a word.
    if (existsSync(target)) {
      console.error(`\nbreaking: ${target} exists (its wording may be edited): delete it to draft it again, or edit it by hand`);
      return 2;
    }
    writeFileSync(target, draftChangeFile(packageName, changes));
    console.log(`\nWrote ${target}: edit the wording, keep the vendor headings.`);
  }
  const warnings = changes.filter((change) => change.severity === 'warning').map((change) => `${change.vendor}: ${sentence(change)}`);
  const pending = highestBump(files);
  const uncovered = uncoveredBreaks(breaking, files);
  const report = () => writeCheckReport({ needed, pending, breaking: breaking.length, uncovered: uncovered.length, warnings });
  if (!args.check && !args.release) {
    report();
    return 0;
  }
  let failed = false;
  // `changeset version` with nothing pending says so, exits 0, and the baseline would then be
  // re-snapshotted from the working tree: breaks not yet released would vanish from the gate.
  if (args.release && pending === 'none') {
    failed = true;
    console.error(`\nNothing to release: no pending change file in ${args.changesets} bumps ${packageName}. Add one (\`npx changeset\`); nothing was written.`);
  }
  // Additive changes released as a patch. (Breaks short of major are the uncovered-breaks
  // message's below, which names what each lacks; nothing pending is "Nothing to release".)
  if (needed === 'minor' && (pending === 'none' || pending === 'patch')) {
    const what = pending === 'none' ? `no pending change file bumps ${packageName}` : `the pending change files bump it patch at most (${files.filter((file) => file.bump === 'patch').map((file) => basename(file.file)).join(', ')})`;
    if (!args.release) {
      const note = `the changes since release ${manifest.version} need a minor release, but ${what}: \`npm run release:version\` refuses until one bumps minor (\`npx changeset\`)`;
      warnings.push(`semver: ${note}`);
      console.log(`\nSemver: ${note}.`);
    } else if (pending === 'patch') {
      failed = true;
      console.error(`\nThe changes since release ${manifest.version} need a minor release (new operations, fields or options), but ${what}: make one of them \`"${packageName}": minor\`; nothing was written.`);
    }
  }
  if (stale.length) {
    failed = true;
    console.error(`\nThe committed API reports are stale for ${stale.join(', ')}: run \`npm run api:report\` and commit etc/api/.`);
  }
  if (uncovered.length) {
    failed = true;
    console.error(`\nBREAKING changes without a pending major change file that tells them under the vendor's heading (${[...new Set(uncovered.map(({ change }) => change.vendor))].join(', ')}):`);
    for (const { change, reason } of uncovered) console.error(`  ${change.vendor}: ${sentence(change)}\n      (${reason})`);
    console.error(
      `\nEither undo them, or record them: \`npm run breaking -- --draft\` writes .changeset/breaking-changes.md\n` +
        `("${packageName}": major, a \`**<vendor>**\` heading per vendor, a list item per break); edit it and commit it with the change.\n` +
        `A break is told by one list item or paragraph under its vendor's heading that names its operationId (or export) and what it is about,\n` +
        `each name the reason above gives: the parameter, header or security scheme, the field (\`data[].date\`, or \`date\`), the enum values.\n` +
        `e.g. "- listRewards: the \`favorite\` query parameter is gone; filter the answer yourself." A sub-heading (\`### listRewards\`) names the operation for the items under it.`,
    );
  } else if (breaking.length) {
    console.log(`\n${breaking.length} breaking change(s), covered by a pending major change file.`);
  } else {
    console.log('\nNo breaking changes.');
  }
  if (failed && args.release) console.error('\nrelease:version stopped before `changeset version`: nothing was bumped, and release-baseline/ and etc/api/ are unchanged.');
  report();
  return failed ? 1 : 0;
}

/** What npm test reads of the check (scripts/lib/test-summary.ts): its "Needs a look" findings among them. */
function writeCheckReport(report: { needed: Bump; pending: Bump; breaking: number; uncovered: number; warnings: string[] }) {
  if (!args.report) return;
  mkdirSync(dirname(resolve(args.report)), { recursive: true });
  writeFileSync(resolve(args.report), `${JSON.stringify(report, null, 2)}\n`);
}

function readJson(file: string): JsonObject {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as JsonObject;
  } catch (error) {
    throw new InputError(`${file} is not a JSON object (${(error as Error).message}); rebuild it (\`npm run build\` for bundles, \`npm run breaking -- --update-baseline --from <tag>\` for a baseline)`);
  }
}

function refreshApiReports() {
  const reports = buildReports(root, root);
  writeReports(apiDir, reports);
  console.log(`Wrote ${[...reports.keys()].map((entry) => `${entry}.api.md`).join(', ')} to ${apiDir}`);
}

function writeReports(dir: string, reports: Map<string, string>) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [entry, text] of reports) writeFileSync(join(dir, `${entry}.api.md`), text);
}

/**
 * Copies a release's bundles and API reports into the baseline; reads git, never changes it. The
 * snapshot is written into a scratch folder beside the baseline and swapped in only when complete:
 * a failure leaves the old baseline as it was.
 */
function updateBaseline(from: string) {
  refuseToReplace(baselineDir);
  const kept = `${baselineDir} is kept as it was`;
  let tree = root;
  let scratch: string | undefined;
  let source = `the working tree at commit ${git(['rev-parse', '--short=12', 'HEAD']).toString().trim()}`;
  if (from !== 'worktree') {
    let commit: string;
    try {
      commit = git(['rev-parse', '--verify', '--quiet', `${from}^{commit}`]).toString().trim();
    } catch {
      throw new InputError(`--from ${from}: not a commit in this repository (a tag such as v0.1.0, a branch, a commit, or \`worktree\`); ${kept}`);
    }
    scratch = mkdtempSync(join(tmpdir(), 'release-baseline-'));
    const tar = spawnSync('tar', ['-x', '-C', scratch], { input: git(['archive', '--format=tar', commit]) });
    if (tar.status !== 0) throw new Error(`tar: ${tar.stderr}`);
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));
    tree = scratch;
    source = `commit ${commit.slice(0, 12)}`;
  }
  // Beside the baseline, so that the swap is a rename on one file system.
  mkdirSync(dirname(baselineDir), { recursive: true });
  const work = mkdtempSync(join(dirname(baselineDir), `.${basename(baselineDir)}-update-`));
  const next = join(work, 'new');
  try {
    const version = (readJson(join(tree, 'package.json')) as { version: string }).version;
    const vendors = loadVendors(join(tree, 'redocly.yaml'));
    for (const vendor of vendors) {
      mkdirSync(join(next, vendor.name), { recursive: true });
      writeFileSync(join(next, vendor.name, 'openapi.json'), readBundle(join(tree, vendor.bundle)));
    }
    writeReports(join(next, 'api'), buildReports(tree, root));
    const released = readJson(join(tree, 'package.json'));
    const manifest = { version, source, vendors: vendors.map((vendor) => vendor.name), entryPoints: exportKeys(released), package: { bin: released.bin, engines: released.engines, peerDependencies: released.peerDependencies ?? {}, peerDependenciesMeta: released.peerDependenciesMeta ?? {} }, mockPorts: Object.fromEntries(vendors.map((vendor) => [vendor.name, vendor.mockPort])), cli: readCliFlags(tree, packageName) };
    writeFileSync(join(next, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    swapIn(next, baselineDir, join(work, 'old'));
    console.log(`Baseline ${version} from ${source}: ${manifest.vendors.join(', ')} (${readdirSync(join(baselineDir, 'api')).length} API reports)`);
  } catch (error) {
    if (error instanceof InputError || error instanceof ExportsError) error.message = `${error.message}; ${kept}`;
    else console.error(`breaking: --update-baseline failed; ${kept}`);
    throw error;
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

function readBundle(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new InputError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): the release's bundles are needed (\`npm run build\` writes them; \`--from <ref>\` reads them as committed)`);
  }
}

/** Puts the finished snapshot in the baseline's place; the old one goes to `aside` (removed with it), or back if the move fails. */
function swapIn(next: string, target: string, aside: string) {
  const hadOne = existsSync(target);
  if (hadOne) renameSync(target, aside);
  try {
    renameSync(next, target);
  } catch (error) {
    if (hadOne) renameSync(aside, target);
    throw error;
  }
}

/**
 * What --update-baseline may replace: a baseline (its manifest.json lists vendors), an empty
 * folder, or none. Never the working directory, the repository or a folder holding either: an
 * empty `--baseline` resolved to the working directory, which under `npm run` is the repository.
 */
function refuseToReplace(dir: string) {
  const real = (path: string) => (existsSync(path) ? realpathSync(path) : resolve(path));
  const holds = (folder: string, path: string) => {
    const rel = relative(real(folder), real(path));
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  };
  const refuse = (why: string) => new InputError(`--baseline ${dir} ${why}: refusing to replace it; name the baseline folder (release-baseline/), an empty one or a new one`);
  if (holds(dir, process.cwd()) || holds(dir, root)) throw refuse('is the working directory or the repository, or holds one of them');
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw refuse('is a file');
  if (readdirSync(dir).length && !isBaseline(dir)) throw refuse('holds files and is no baseline (no manifest.json listing "vendors")');
}

function isBaseline(dir: string): boolean {
  try {
    const manifest: unknown = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    return typeof manifest === 'object' && manifest !== null && Array.isArray((manifest as { vendors?: unknown }).vendors);
  } catch {
    return false;
  }
}

function git(argv: string[]): Buffer {
  const result = spawnSync('git', ['-C', root, ...argv], { maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`git ${argv.join(' ')}: ${result.stderr.toString().trim()}`);
  return result.stdout;
}
