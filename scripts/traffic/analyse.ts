import type { LoadedSpec } from '../../contract-tests/lib/spec.js';
import { MOCK_PROBLEMS } from '../../src/mock/exchange.js';
import { createChecker, type Mismatch } from './check.js';
import { guessTemplate } from './guess.js';
import type { Exchange } from './har.js';
import { locate } from './match.js';
import { reportedUrl, suggestOperation, type RecordedOperation } from './skeleton.js';

export interface UndocumentedOperation {
  method: string;
  /** The documented path when only the method is missing; otherwise a guessed template. */
  path: string;
  pathDocumented: boolean;
  entries: number[];
  statuses: number[];
  /** A concrete URL, to recognise the call by. */
  example: string;
}

/** One problem, with every recorded call of the operation that showed it. */
export interface MismatchFinding extends Mismatch {
  operationId: string;
  method: string;
  path: string;
  status: number;
  entries: number[];
}

export interface TrafficReport {
  vendor: string;
  har: string;
  spec: string;
  servers: string[];
  /** Where the recorded calls cut into server and path: what the servers' variables stood for. */
  bases: string[];
  counts: { entries: number; documented: number; undocumented: number; outside: number; noResponse: number; noRoute: number };
  undocumented: UndocumentedOperation[];
  mismatches: MismatchFinding[];
  /** Requests that were not checked, and why. */
  skipped: { entry: number; url: string; reason: string }[];
  /** OpenAPI path items for the undocumented operations, ready to adapt into the spec. */
  suggestedPaths: Record<string, Record<string, unknown>>;
  notes: string[];
}

type Group = RecordedOperation & { pathDocumented: boolean };
const statusesOf = (group: Group) => [...new Set(group.calls.map((c) => c.exchange.response.status))].sort((a, b) => a - b);

const NO_RESPONSE = 'no response was recorded';
const PREFLIGHT = "a browser's CORS preflight (OPTIONS with Access-Control-Request-Method), not a call of the API";
const REVALIDATED = "a 304 to a conditional request (a browser revalidating its cache): the answer it stands for is the cached one";
const MOCK_NO_ROUTE = "the mock's own answer to a route it does not serve (its problem document), not the vendor's";
/** The mock's refusal of a route it does not serve: its problem document, whatever port or prefix it came from. */
function mockNoRoute({ response }: Exchange): boolean {
  if ((response.status !== 404 && response.status !== 405) || !response.contentType.startsWith('application/problem+json')) return false;
  try {
    const type: unknown = (JSON.parse(response.text) as { type?: unknown } | null)?.type;
    return typeof type === 'string' && type.startsWith(MOCK_PROBLEMS);
  } catch {
    return false;
  }
}

export function analyse(spec: LoadedSpec, exchanges: Exchange[], files: { har: string; spec: string }, serverOverride?: string): TrafficReport {
  const check = createChecker(spec);
  const skipped: TrafficReport['skipped'] = [];
  const mismatches = new Map<string, MismatchFinding>();
  const undocumented = new Map<string, Group>();
  const bases = new Set<string>();
  let documented = 0;
  let noRoute = 0;
  let unrecordedBodies = 0;
  // Said once per entry: why each one's body was not judged.
  const incomplete: string[] = [];
  // Operations the spec makes public (`security: []`) that answered 401, by entry.
  const publicRefused = new Map<string, number[]>();

  for (const located of locate(spec.doc, spec.operations, exchanges, serverOverride)) {
    const { exchange } = located;
    const url = reportedUrl(exchange.url);
    if (located.kind === 'outside') {
      skipped.push({ entry: exchange.index, url, reason: located.reason });
    } else if (exchange.method === 'OPTIONS' && exchange.requestHeaders.has('access-control-request-method')) {
      skipped.push({ entry: exchange.index, url, reason: PREFLIGHT });
    } else if (
      // Only for a documented read: a 304 hides nothing else (an undocumented call is still reported as one).
      located.kind === 'documented' &&
      (exchange.method === 'GET' || exchange.method === 'HEAD') &&
      exchange.response.status === 304 &&
      (exchange.requestHeaders.has('if-none-match') || exchange.requestHeaders.has('if-modified-since'))
    ) {
      skipped.push({ entry: exchange.index, url, reason: REVALIDATED });
    } else if (exchange.response.status === 0) {
      // The client recorded no response (aborted, blocked): nothing to hold against the contract.
      skipped.push({ entry: exchange.index, url, reason: NO_RESPONSE });
    } else if (located.kind === 'undocumented' && mockNoRoute(exchange)) {
      skipped.push({ entry: exchange.index, url, reason: MOCK_NO_ROUTE });
      noRoute++;
    } else if (located.kind === 'documented') {
      bases.add(located.split.base);
      documented++;
      const { incomplete: why } = exchange.response;
      if (why !== undefined) incomplete.push(`log.entries[${exchange.index}] holds no whole response body (${why.slice(0, 200)}): its status and content type were checked, its body was not.`);
      else if (!exchange.response.bodyRecorded) unrecordedBodies++;
      const unsent = exchange.requestBody?.incomplete;
      if (unsent !== undefined) incomplete.push(`log.entries[${exchange.index}] holds no whole request body (${unsent.slice(0, 200)}): its content type was checked, its body was not.`);
      const { op } = located;
      const { status } = exchange.response;
      if (status === 401 && op.operation.security?.length === 0) {
        const key = `${op.method.toUpperCase()} ${op.path} (${op.operation.operationId})`;
        publicRefused.set(key, [...(publicRefused.get(key) ?? []), exchange.index]);
      }
      for (const mismatch of check(op, exchange)) {
        const key = JSON.stringify([op.method, op.path, status, mismatch.in, mismatch.message]);
        const found = mismatches.get(key);
        // One body can break a rule twice in the same words (two anyOf groups at its root): one finding, the entry named once.
        // An entry's findings come together, so only the last one named can be it: a search of the
        // whole list made a recording of 100,000 such entries take 21 s instead of 3.
        if (found) {
          if (found.entries.at(-1) !== exchange.index) found.entries.push(exchange.index);
        } else {
          const operation = { operationId: op.operation.operationId, method: op.method.toUpperCase(), path: op.path };
          mismatches.set(key, { ...operation, status, ...mismatch, entries: [exchange.index] });
        }
      }
    } else {
      bases.add(located.split.base);
      const path = located.documentedPath ?? guessTemplate(located.split.path);
      const key = `${exchange.method} ${path}`;
      const group = undocumented.get(key) ?? { method: exchange.method, path, pathDocumented: Boolean(located.documentedPath), calls: [] };
      group.calls.push({ exchange, path: located.split.path });
      undocumented.set(key, group);
    }
  }

  // A vendor's 404 stays evidence: it may be a real route that found nothing for the id sent (the
  // Imprzd worked example). Only the mock's own refusal, told by its problem type, is no operation.
  const groups = [...undocumented.values()];
  skipped.sort((a, b) => a.entry - b.entry);
  const noResponse = skipped.filter((s) => s.reason === NO_RESPONSE).length;
  const harName = files.har.split(/[\\/]/).pop()!;
  const suggestedPaths: TrafficReport['suggestedPaths'] = {};
  for (const group of [...groups].sort((a, b) => a.path.localeCompare(b.path))) {
    (suggestedPaths[group.path] ??= {})[group.method.toLowerCase()] = suggestOperation(spec.doc, group, harName);
  }

  const notes: string[] = [];
  if (unrecordedBodies) notes.push(`${unrecordedBodies} response(s) were recorded without their body; those bodies were not checked.`);
  notes.push(...incomplete);
  // A 401 there says the spec's security is wrong (Imprzd's image call, IMPRZD-7), while the notes below
  // ask for a 401 on secured calls: adding one would leave the call documented as public.
  for (const [operation, entries] of publicRefused) {
    const more = entries.length > 5 ? ` and ${entries.length - 5} more` : '';
    notes.push(`${operation} answered 401 (${entries.slice(0, 5).map((i) => `log.entries[${i}]`).join(', ')}${more}), yet the spec documents it as public (security: []): if the vendor wants credentials there, change its security, not only its statuses.`);
  }
  const guessed = groups.filter((g) => !g.pathDocumented).map((g) => g.path);
  const prefix = guessed.length > 1 ? commonPrefix(guessed) : '';
  // A server URL starts every path: moving the prefix there is right only for a spec that documents
  // no path yet. A spec whose paths are all outside it (Imprzd's image call) would have them moved too.
  if (prefix && spec.operations.length === 0) {
    notes.push(`Every suggested path starts with ${prefix}: if that is the API's base path, put it in the server URL instead and drop it from the paths.`);
  } else if (prefix && !spec.operations.some((op) => op.path.startsWith(`${prefix}/`))) {
    const outside = spec.operations.slice(0, 3).map((op) => `${op.method.toUpperCase()} ${op.path}`);
    const more = spec.operations.length > outside.length ? ` and ${spec.operations.length - outside.length} more` : '';
    notes.push(`Every suggested path starts with ${prefix}, and the documented ${outside.join(', ')}${more} ${spec.operations.length === 1 ? 'does' : 'do'} not: keep ${prefix} in the paths (a server URL is the start of every path, documented ones too).`);
  }
  if (groups.length) {
    notes.push(
      'The suggestions hold only the statuses that were recorded; docs/spec-style.md also asks for 401 on secured calls and 400 (or 422) on calls that take input.',
      'Suggested examples are copied from the recording with secret-looking values redacted; check them for personal data before committing.',
    );
  }

  return {
    vendor: spec.vendor.name,
    har: files.har,
    spec: files.spec,
    servers: serverOverride ? [serverOverride] : (spec.doc.servers ?? []).map((s) => s.url),
    bases: [...bases],
    counts: {
      entries: exchanges.length,
      documented,
      undocumented: groups.reduce((n, g) => n + g.calls.length, 0),
      outside: skipped.length - noResponse - noRoute,
      noResponse,
      noRoute,
    },
    undocumented: groups.map((g) => ({
      method: g.method,
      path: g.path,
      pathDocumented: g.pathDocumented,
      entries: g.calls.map((c) => c.exchange.index),
      statuses: statusesOf(g),
      example: reportedUrl(g.calls[0]!.exchange.url),
    })),
    mismatches: [...mismatches.values()],
    skipped,
    suggestedPaths,
    notes,
  };
}

/** The leading literal segments all paths share (`/api/v1`), or '' when there are none. */
function commonPrefix(paths: string[]): string {
  const split = paths.map((p) => p.split('/').slice(1));
  const shared: string[] = [];
  // Stops before any path's last segment: a prefix must leave every path something of its own.
  for (let i = 0; split.every((s) => s.length > i + 1 && s[i] === split[0]![i] && !s[i]!.startsWith('{')); i++) {
    shared.push(split[0]![i]!);
  }
  return shared.length ? `/${shared.join('/')}` : '';
}
