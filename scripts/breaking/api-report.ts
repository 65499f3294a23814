/**
 * The type surface: an API Extractor report per package entry point (`exports` in package.json),
 * made from the declarations `tsc -p tsconfig.build.json` emits, and the comparison of two
 * reports declaration by declaration.
 *
 * The spec-derived declarations (what openapi-typescript writes: `paths`, `components`,
 * `operations`, …) are compared only to tell a line changed or gone as one to look at: the spec
 * check classifies spec changes with their direction, which a text diff cannot know, but a change
 * of the generator shows nowhere else.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportsError, resolveExports } from './exports.js';
import type { Change } from './types.js';

const require = createRequire(import.meta.url);

/**
 * Entry points from package.json `exports` (`./xonvo` → `xonvo`) that a consumer can import, each
 * with the declaration file TypeScript reads for it (a `types` condition, nested or not, or the
 * `.d.ts` beside a JavaScript target).
 */
export function entryPoints(projectRoot: string): Array<{ name: string; types: string }> {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { exports?: unknown };
  return resolveExports(pkg).flatMap(({ key, runtime, types }) => (runtime !== undefined && types ? [{ name: key.replace(/^\.\//, ''), types }] : []));
}

/**
 * Builds `projectRoot`'s declarations into a scratch folder (never its dist/) and reports every
 * entry point. `modulesRoot` holds node_modules (the project itself, or the working tree when
 * reporting a commit checked out elsewhere).
 */
export function buildReports(projectRoot: string, modulesRoot: string): Map<string, string> {
  const scratch = mkdtempSync(join(tmpdir(), 'api-report-'));
  // A minute or more on two cores with nothing said: progress goes to stderr, the report to stdout.
  process.stderr.write('api report: building the declarations (tsc -p tsconfig.build.json)…\n');
  try {
    const tsc = spawnSync(process.execPath, [join(modulesRoot, 'node_modules/typescript/bin/tsc'), '-p', join(projectRoot, 'tsconfig.build.json'), '--outDir', join(scratch, 'dist')], {
      encoding: 'utf8',
    });
    // Emit happens despite type errors; the typecheck step reports those, the report still reflects the declarations.
    if (tsc.status !== 0) process.stderr.write(`api report: tsc reported errors (the typecheck step covers them):\n${tsc.stdout.split('\n').slice(0, 5).join('\n')}\n`);
    symlinkSync(join(projectRoot, 'generated'), join(scratch, 'generated'));
    symlinkSync(join(modulesRoot, 'node_modules'), join(scratch, 'node_modules'));
    writeFileSync(join(scratch, 'package.json'), readFileSync(join(projectRoot, 'package.json')));
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: ['node'], strict: true, skipLibCheck: true }, include: ['dist/**/*.d.ts'] }),
    );
    mkdirSync(join(scratch, 'etc'));
    const { Extractor, ExtractorConfig } = require(join(modulesRoot, 'node_modules/@microsoft/api-extractor')) as typeof import('@microsoft/api-extractor');
    const reports = new Map<string, string>();
    const entries = entryPoints(projectRoot);
    for (const [index, entry] of entries.entries()) {
      process.stderr.write(`api report: ${entry.name} (${index + 1} of ${entries.length}), API Extractor…\n`);
      // API Extractor would stop with "mainEntryPointFilePath does not exist" and a stack trace.
      if (!existsSync(join(scratch, entry.types))) {
        throw new ExportsError(`package.json exports "./${entry.name}": its types, ${entry.types}, are not among the declarations tsc -p tsconfig.build.json emits`);
      }
      const config = ExtractorConfig.prepare({
        configObject: {
          projectFolder: scratch,
          mainEntryPointFilePath: join(scratch, entry.types),
          compiler: { tsconfigFilePath: join(scratch, 'tsconfig.json') },
          apiReport: { enabled: true, reportFileName: `${entry.name}.api.md`, reportFolder: join(scratch, 'etc'), reportTempFolder: join(scratch, 'temp'), includeForgottenExports: true },
          docModel: { enabled: false },
          dtsRollup: { enabled: false },
          tsdocMetadata: { enabled: false },
          messages: {
            extractorMessageReporting: { default: { logLevel: 'none' as never } },
            tsdocMessageReporting: { default: { logLevel: 'none' as never } },
            compilerMessageReporting: { default: { logLevel: 'none' as never } },
          },
        },
        configObjectFullPath: join(scratch, 'api-extractor.json'),
        packageJsonFullPath: join(scratch, 'package.json'),
      });
      Extractor.invoke(config, { localBuild: true, messageCallback: (message) => void (message.handled = true) });
      reports.set(entry.name, readFileSync(join(scratch, 'etc', `${entry.name}.api.md`), 'utf8'));
    }
    return reports;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Names openapi-typescript declares in generated/<vendor>/schema.d.ts. */
export function generatedNames(projectRoot: string, vendors: string[]): Set<string> {
  const names = new Set<string>();
  for (const vendor of vendors) {
    let text = '';
    try {
      text = readFileSync(join(projectRoot, 'generated', vendor, 'schema.d.ts'), 'utf8');
    } catch {
      continue;
    }
    for (const match of text.matchAll(/^export (?:interface|type|declare const|const|declare function|function) ([\w$]+)/gm)) names.add(match[1]!);
    for (const match of text.matchAll(/^type ([\w$]+)/gm)) names.add(match[1]!);
  }
  return names;
}

/** A report's declarations by name (the ```ts block split at blank lines between top-level items). */
export function declarations(report: string): Map<string, string[]> {
  const body = report.split('```ts')[1]?.split('```')[0] ?? '';
  const result = new Map<string, string[]>();
  for (const block of body.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((line) => line.trim() && !line.trim().startsWith('//'));
    const head = lines[0];
    if (!head || head.startsWith('import ')) continue;
    const name = /^(?:export\s+)?(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:interface|type|class|function|const|let|var|enum|namespace)\s+([\w$]+)/.exec(head)?.[1];
    if (!name) continue;
    result.set(name, [...(result.get(name) ?? []), ...lines.map((line) => line.trimEnd())]);
  }
  return result;
}

/**
 * What each name a report imports stands for (`import type { Client as Client_2 } from 'openapi-fetch'`
 * → `Client_2`: `` `Client` of openapi-fetch ``): the declarations use it by that name.
 */
export function importedNames(report: string): Map<string, string> {
  const body = report.split('```ts')[1]?.split('```')[0] ?? '';
  const result = new Map<string, string>();
  for (const [, clause, , module] of body.matchAll(/^import\s+(?:type\s+)?(.+?)\s+from\s+(['"])(.+?)\2;?\s*$/gm)) {
    const namespace = /^\*\s+as\s+([\w$]+)$/.exec(clause!)?.[1];
    if (namespace) result.set(namespace, `the namespace of ${module}`);
    else if (/^[\w$]+$/.test(clause!)) result.set(clause!, `the default export of ${module}`);
    for (const item of /^\{(.*)\}$/.exec(clause!)?.[1]?.split(',') ?? []) {
      const [imported, local] = item.replace(/^\s*type\s+/, '').split(/\s+as\s+/).map((part) => part.trim());
      if (imported) result.set(local || imported, `\`${imported}\` of ${module}`);
    }
  }
  return result;
}

const optionalMember = /^\s*(?:readonly\s+)?(?:[\w$]+|"[^"]*"|'[^']*')\?\s*:/;

/** The member a line of a declaration declares (`clubSlug?: string;`, `asUser(id: string): …`); none for the declaration's own head (`interface X {`, `type X = …`) or its end. */
function memberName(line: string): string | undefined {
  const match = /^\s*(?:readonly\s+)?([\w$]+|"[^"]*"|'[^']*')\??\s*[:(<]/.exec(line);
  return match?.[1]?.replace(/^["']|["']$/g, '');
}
/**
 * Declarations consumers fill in: options objects by name, and any type a function or method of
 * the report takes as a parameter (`verifyPlacewiseWebhook(input: Request | RawWebhook, …)`,
 * `loyaltyClub: LoyaltyClubRef`), whatever it is called. The rest they receive (clients, errors,
 * descriptors); a callback's own parameters are received too, so they are not counted.
 */
export function inputNames(report: Map<string, string[]>): Set<string> {
  const names = new Set([...report.keys()].filter((name) => /(Options|Settings|Input|Params)$/.test(name)));
  for (const line of [...report.values()].flat()) {
    const signature = /^\s*(?:export\s+)?(?:declare\s+)?(?:function\s+)?[\w$]+\??\s*(?:<[^(]*>)?\(/.exec(line);
    // Classes here are errors the package throws: their constructors are its own to call.
    if (!signature || /^\s*(?:export\s+)?(?:type|interface|class|const|let|var|constructor)\b/.test(line)) continue;
    let depth = 1;
    let parameters = '';
    for (const char of line.slice(signature[0].length)) {
      if (char === '(') depth++;
      else if (char === ')' && --depth === 0) break;
      // Only the signature's own parameters: a callback's (depth 2 and more) are what consumers receive.
      if (depth === 1 && char !== '(') parameters += char;
    }
    for (const type of parameters.split(',').map((parameter) => parameter.split(':').slice(1).join(':'))) {
      for (const match of type.matchAll(/[A-Za-z_$][\w$]*/g)) if (report.has(match[0])) names.add(match[0]);
    }
  }
  // What an input holds is written by the same caller: a type named by its members (array
  // elements, records, unions) or its `extends`/alias is an input too (StartMocksOptions →
  // `subscribers?: Record<string, Subscriber[]>` → Subscriber), and so on down.
  const queue = [...names];
  while (queue.length) {
    for (const name of reachable(report.get(queue.pop()!) ?? [])) {
      if (report.has(name) && !names.has(name)) {
        names.add(name);
        queue.push(name);
      }
    }
  }
  return names;
}

/**
 * The declarations a declaration's lines name as types: after `extends`/`=` on its head line, and
 * after the member name on the others. Parenthesised text is left out: a method's or callback's
 * parameters are handed to the caller's code, not written by it (its return type is).
 */
function reachable(lines: string[]): string[] {
  const found: string[] = [];
  lines.forEach((line, index) => {
    let text = line;
    // Innermost parentheses first, until none are left.
    while (/\([^()]*\)/.test(text)) text = text.replace(/\([^()]*\)/g, '');
    text = text.replace(/\[[^\]]*\]\s*\??:/, ':');
    const type = index === 0 ? (/\b(?:extends|implements)\b(.*)|=(.*)/.exec(text)?.slice(1).join('') ?? '') : text.split(':').slice(1).join(':');
    for (const match of type.matchAll(/[A-Za-z_$][\w$]*/g)) found.push(match[0]);
  });
  return found;
}

/**
 * A report line as compared: `export` dropped (a type becoming exported is additive) and API
 * Extractor's collision suffixes (`Fetch_2`) removed, so renumbering is not a change.
 */
const normalize = (line: string) => line.replace(/^export\s+/, '').replace(/\b([A-Za-z]\w*)_\d+\b/g, '$1');

/**
 * Declaration-level classification: removed → breaking (imports of it stop compiling); added →
 * additive; changed → breaking when a line was removed or altered, or when an options object
 * (an input) gained a required member; new members of what consumers receive, and new optional
 * members of options, are additive. To look at: a spec-derived declaration with a line changed or
 * gone, and a name whose import changed or that is now declared here instead of imported.
 */
export function compareReports(entry: string, before: string, after: string, ignore: Set<string>): Change[] {
  const old = declarations(before);
  const now = declarations(after);
  const oldAliases = expandAliases(old, ignore);
  const newAliases = expandAliases(now, ignore);
  const inputs = inputNames(now);
  const isInput = (name: string) => inputs.has(name);
  const changes: Change[] = [];
  const at = (name: string, exported: boolean) => ({ vendor: entry, operation: `types: martech-contracts/${entry}`, where: `${exported ? 'export' : 'type'} \`${name}\`` });
  const isExported = (lines: string[] | undefined) => Boolean(lines?.[0]?.startsWith('export'));
  /**
   * A spec-derived declaration with members whose type text changed. The spec check tells what a
   * spec change did, with its direction (a member gone or added is always one); a member written
   * another way for the same spec is the type generator's (`?: T | undefined`), seen only here.
   */
  const generatedChange = (name: string, lines: string[], next: string[] | undefined): Change[] => {
    if (!next) return [];
    const removed = multisetMinus(lines.map(normalize).map(oldAliases), next.map(normalize).map(newAliases));
    const added = new Map(multisetMinus(next.map(normalize).map(newAliases), lines.map(normalize).map(oldAliases)).map((line) => [memberName(line), line]));
    const changed = removed.filter((line) => memberName(line) !== undefined && added.has(memberName(line)));
    if (!changed.length) return [];
    const detail = changed.slice(0, 3).map((line) => `\`${line.trim()}\` → \`${added.get(memberName(line))!.trim()}\``).join(', ');
    return [
      {
        ...at(name, isExported(next)),
        rule: 'type-surface',
        severity: 'warning',
        message: `has ${changed.length} member line(s) whose type changed (${detail}${changed.length > 3 ? ', …' : ''}): those no spec change explains are the type generator's, and may break code written against them`,
      },
    ];
  };
  for (const [name, lines] of old) {
    if (ignore.has(name)) {
      changes.push(...generatedChange(name, lines, now.get(name)));
      continue;
    }
    const next = now.get(name);
    if (!next) {
      changes.push({ ...at(name, isExported(lines)), rule: 'type-surface', severity: 'breaking', message: 'was removed: code that uses it no longer compiles' });
      continue;
    }
    // Still declared (API Extractor keeps a type the exports use, unexported, as a forgotten
    // export) but no longer exported: `normalize` drops `export`, so say it here or not at all.
    if (isExported(lines) && !isExported(next)) {
      changes.push({ ...at(name, true), rule: 'type-surface', severity: 'breaking', message: `is no longer exported: \`import type { ${name} }\` no longer compiles` });
      continue;
    }
    const removed = multisetMinus(lines.map(normalize).map(oldAliases), next.map(normalize).map(newAliases));
    const added = multisetMinus(next.map(normalize).map(newAliases), lines.map(normalize).map(oldAliases));
    if (!removed.length && !added.length) continue;
    const additive = !removed.length && (!isInput(name) || added.every((line) => optionalMember.test(line)));
    if (additive) {
      changes.push({ ...at(name, isExported(next)), rule: 'type-surface', severity: 'info', message: `gained ${added.map((line) => `\`${line.trim()}\``).join(' ')}` });
    } else {
      const detail = [...removed.map((line) => `was \`${line.trim()}\``), ...added.map((line) => `now \`${line.trim()}\``)].slice(0, 6).join(', ');
      // What broke is a member altered or gone, or one an input newly requires; a member added to what consumers receive, or an optional one, is the additive part.
      const required = isInput(name) ? added.filter((line) => !optionalMember.test(line)) : [];
      const members = [...new Set([...removed, ...required].map(memberName).filter((member) => member !== undefined))];
      // The lines shown stop at six: the members that broke are named all the same, so a drafted change file tells them.
      const more = removed.length + added.length > 6 && members.length ? `; members that broke: ${members.map((member) => `\`${member}\``).join(', ')}` : '';
      changes.push({ ...at(name, isExported(next)), rule: 'type-surface', severity: 'breaking', message: `changed (${detail}${more}): code written against the old declaration may no longer compile`, members });
    }
  }
  const oldImports = importedNames(before);
  const nowImports = importedNames(after);
  for (const [name, lines] of now) {
    if (ignore.has(name) || old.has(name)) continue;
    // A name the release imported and now declared here (openapi-fetch's `Client` → our own): what
    // uses it reads the same and means another type. The library's text is not in the report, so
    // the two cannot be compared line by line.
    const was = oldImports.get(name);
    if (was) changes.push({ ...at(name, isExported(lines)), rule: 'type-surface', severity: 'warning', message: `was ${was} and is now declared here (\`${normalize(lines[0]!).trim()}\`): the declarations naming it mean the new one; see whether code written against the old one still compiles` });
    else changes.push({ ...at(name, isExported(lines)), rule: 'type-surface', severity: 'info', message: 'is new' });
  }
  for (const [name, was] of oldImports) {
    const is = nowImports.get(name);
    if (is !== undefined && is !== was) changes.push({ ...at(name, false), rule: 'type-surface', severity: 'warning', message: `was ${was} and is now ${is}: see whether code written against the old one still compiles` });
  }
  return changes;
}

/** A type that an operator next to it would cut into: a function type, a union or an intersection. */
const compound = /=>|[|&]/;

/**
 * Writes one-line type aliases out (`fetch?: Fetch` → `fetch?: (input: Request) => Promise<Response>`)
 * so that naming a type that was spelled out before is not a change.
 */
function expandAliases(report: Map<string, string[]>, ignore: Set<string>): (line: string) => string {
  const aliases = new Map<string, string>();
  for (const [name, lines] of report) {
    // Spec-derived aliases stay by name: their changes belong to the spec check.
    const match = lines.length === 1 && !ignore.has(name) ? /^(?:export\s+)?type\s+[\w$]+\s*=\s*(.+);$/.exec(lines[0]!.trim()) : null;
    if (match) aliases.set(normalize(name), match[1]!);
  }
  return (line) => {
    if (/^\s*(?:export\s+)?type\s/.test(line)) return line;
    let result = line;
    for (const [name, body] of aliases) {
      result = result.replace(new RegExp(`(?<![\\w$.])${name}(?![\\w$<])`, 'g'), (_, at: number, whole: string) =>
        // In a union, an intersection or an array the body keeps its bounds: `Fetch | undefined` is
        // `((input: Request) => Promise<Response>) | undefined`, not a function that may return undefined.
        compound.test(body) && (/[|&]\s*$/.test(whole.slice(0, at)) || /^\s*[|&[]/.test(whole.slice(at + name.length))) ? `(${body})` : body,
      );
    }
    return result;
  };
}

function multisetMinus(left: string[], right: string[]): string[] {
  const counts = new Map<string, number>();
  for (const line of right) counts.set(line, (counts.get(line) ?? 0) + 1);
  return left.filter((line) => {
    const n = counts.get(line) ?? 0;
    if (n > 0) {
      counts.set(line, n - 1);
      return false;
    }
    return true;
  });
}
