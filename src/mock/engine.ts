import { isUtf8 } from 'node:buffer';
import { isDeepStrictEqual } from 'node:util';
import { basicAuthorization, readBasicAuthorization } from '../auth/basic.js';
import { measureJson } from '../json-shape.js';
import { recentlyUsed } from '../recently-used.js';
import { checkContentEncoding, checkContentType, checkFormBody, checkJsonBody, checkMediaType, checkMultipartBytes, checkPath, LIMITS, measureForm, readableAccept, readMultipart, tooLarge, unreadableForm } from './guard.js';
import { createBodyCheck, createInexactCheck, createQueryCheck, createSchemaCheck, createValueCheck, OWN_RULE, type InexactNumber, type OwnRefusal } from './body-check.js';
import { isJson, mediaTypeOf } from '../guard/documented.js';
import { createContract, schemaValidators } from './contract.js';
import { createVerdicts } from './verdicts.js';
import { problem, type MockRequest, type MockResponse } from './exchange.js';
import { ownReason, printable } from './log-line.js';
import { createUnsetCredential } from './unset-credential.js';
import { createPrism, multipartBoundary, preferences, type Operation, type PrismInput, type PreferConfig, type Violation } from './prism.js';
import { CallbackFailure } from './callbacks.js';
import { createMemo, memoKey } from './memo.js';
import { createReadAnswers, type ReadTicket } from './read-answers.js';
import { createRecordCheck, recordSchemasFrom, requestShape } from './record-schemas.js';
import { createRouter } from './router.js';
import { documentedPaths } from './documented-paths.js';
import { linksFrom, seedsFrom } from './seeds.js';
import { apply, chooseExample, identityOf, LARGEST_WHOLE, mergesTooMuch, mintedFor, present, type Change, type Notify } from './state/apply.js';
import { onlyDoes, type MockBehaviour } from './state/behaviour.js';
import { formFields, type RequestView } from './state/request-values.js';
import { tokens } from './state/pointer.js';
import { Store, StoreFull } from './state/store.js';
import { quotingSent, violationAnswer } from './state/violations.js';

export interface EngineOptions {
  vendor: string;
  /** The bundled spec, parsed. */
  document: object;
  /** Prism's view of the same spec (getHttpOperationsFromSpec). */
  operations: Operation[];
  /** false: every answer is the documented example, as plain Prism gives it. */
  stateful?: boolean;
  dynamic?: boolean;
  seed?: string;
  /** One line per request, and the reason for every 5xx. */
  log?: (line: string) => void;
  /**
   * Writes that changed state; `notify` when the spec says the vendor announces it by webhook.
   * A promise it returns is awaited before the write is answered; a CallbackFailure it throws is the caller's, not the mock's.
   */
  onChange?: (change: Change & { vendor: string; session: string; notify?: Notify }) => unknown;
  /** The records and links one session, and all together, may hold; RECORDS_KEPT and RECORDS_KEPT_IN_ALL unless a test fills smaller ones with a few writes. */
  recordsKept?: { session: number; total: number };
}

export interface Engine {
  vendor: string;
  handle(request: MockRequest): Promise<MockResponse>;
  /** Forgets every change: one session, or all of them (no name, or an empty one). */
  reset(session?: string): void;
}

const SESSION_HEADER = 'x-mock-session';
/**
 * Sessions whose data the mock keeps: far more than a test suite uses at once (one per test file,
 * or per test, each idle only while it runs), few enough that their data stays small beside the
 * mock's own (2.6 MB for 1,000 sessions holding one change each).
 */
export const SESSIONS_KEPT = 1_000;
/**
 * Records and links one session may hold (MOCK-183): a load test creating records in one session
 * held every one (0.8 kB of heap each for Perx vouchers), and a reset is the only way to drop what
 * a user made. Ten times the bulk writes MOCK-22 measured (60,000 leads), about 80 MB at most.
 */
export const RECORDS_KEPT = 100_000;
/**
 * Records and links all sessions hold together (MOCK-185), the default one's included: no less than
 * one session may hold, which a session alone must still reach; 100,000 Perx vouchers are about 76 MB
 * of heap, beside the mock's own 150 MB within its 250 MB target, so no more either.
 */
export const RECORDS_KEPT_IN_ALL = RECORDS_KEPT;
/**
 * An empty session name names no session, as the admin route's `?session=` always read it: its data
 * is the default session's, and its reset forgets every session. It was a session "" of its own
 * for data while its reset forgot every other test's.
 */
const DEFAULT_SESSION = 'default';
const sessionOf = (name: string | undefined) => name || DEFAULT_SESSION;

/** The rule a body sent to a call that takes none breaks: no schema names it, so it gets `symbols`' `*`. */
const NO_BODY = 'noBody';

const READS = new Set(['list', 'read', 'token']);
/** Whether an operation only reads state, whichever of its cases applies. */
const onlyReads = (behaviour: MockBehaviour) => onlyDoes(behaviour, READS);

/** One vendor's mock: guard → route → Prism (security, validation, examples) → state → contract check. */
export function createEngine(options: EngineOptions): Engine {
  const { vendor, operations } = options;
  const log = options.log ?? (() => {});
  const route = createRouter(operations);
  const documented = documentedPaths(operations);
  const prism = createPrism({ dynamic: options.dynamic ?? false, seed: options.seed });
  const validators = schemaValidators(options.document, vendor);
  const contract = createContract(options.document, vendor, validators);
  const asPrism = schemaValidators(options.document, vendor, { asPrism: true });
  const logged = loggedQuery(options.document);
  const checkBody = createBodyCheck(options.document, asPrism);
  const checkValue = createValueCheck(options.document, asPrism);
  const checkSchema = createSchemaCheck(options.document, asPrism);
  const checkQuery = createQueryCheck(options.document, asPrism);
  const checkInexact = createInexactCheck(options.document, asPrism);
  /** The body's first violation, else that of a query or path parameter Prism found broken or the mock refused itself (`own`): what a `violations` answer names. */
  const namedViolation = (operation: Operation, mediaType: string, fields: unknown, shown: unknown, query: URLSearchParams, path: Record<string, string>, found: Partial<Violation>[], own: OwnRefusal | undefined, inexact: InexactNumber | undefined) => {
    // Its value is not quoted: the mock holds another number.
    if (inexact) return { error: { keyword: OWN_RULE, instancePath: inexact.path, schemaPath: '', params: {}, message: `must be ${inexactDetail(inexact)}` }, given: {} };
    // A body sent to a call that takes none breaks no schema of the spec's: the fault is the body as a whole.
    if (fields !== undefined && !operation.request?.body) return { error: { keyword: NO_BODY, instancePath: '', schemaPath: '', params: {}, message: 'must not be sent: this call takes no body' }, given: fields };
    // Judged as Prism was shown it (a number past what JSON reads as null), quoted as it was sent.
    const error = fields !== undefined && isJson(mediaType) ? checkSchema(operation, mediaType, shown) : undefined;
    if (error) return { error, given: fields };
    // Prism lower-cases a path parameter's name where it files the violation.
    const names = Object.keys(path);
    const flagged = found.flatMap(({ location = [] }) => {
      const [from, where, name] = location;
      if (from !== 'request' || name === undefined) return [];
      if (where === 'query') return [name];
      return where === 'path' ? names.filter((declared) => declared.toLowerCase() === String(name).toLowerCase()) : [];
    });
    return checkQuery(operation, query, path, flagged, own);
  };
  const behaviourOf = (operation: Operation) => (operation.extensions as Record<string, unknown> | undefined)?.['x-mock'] as MockBehaviour | undefined;
  const fits = createRecordCheck(options.document, recordSchemasFrom(options.document, operations, behaviourOf), validators);
  const shapes = new Map(operations.map((operation) => [operation, requestShape(operation, behaviourOf(operation))]));
  // A client sends the same credentials on every call: each is decoded and encoded again once, not per request.
  const basics = createMemo<string | undefined>();
  const prismBasic = (authorization: string | undefined) => (authorization === undefined ? undefined : basics.remembered(authorization, () => basicForPrism(authorization)));
  const unsetCredential = createUnsetCredential();
  const numerics = new Map(operations.map((operation) => [operation, numericParams(operation)]));
  const seeds = seedsFrom(operations, behaviourOf);
  const links = linksFrom(operations, behaviourOf);
  const memo = createMemo<Awaited<ReturnType<typeof prism>>>();
  // The same answer always gets the same verdict: a repeated list is checked once, not per request.
  const checkAnswer = createVerdicts(contract);
  const reads = createReadAnswers(operations, behaviourOf);
  // A load test writing in a new session each time held every one (2.6 kB for one favourite, 280 MB
  // after 100,000): only the most recently used are kept, and one pushed out reads the seeds again,
  // as if reset, its kept answers with it (MOCK-182). The default session is not among them: it is
  // the data of whoever sends no session (a frontend on `npm start`), which a load test's sessions
  // must not push out.
  const sessions = recentlyUsed<string, Store>(SESSIONS_KEPT, (session, store) => forget(session, store, `the mock keeps the data of the ${SESSIONS_KEPT} sessions used most recently (MOCK-182)`));
  const kept = options.recordsKept ?? { session: RECORDS_KEPT, total: RECORDS_KEPT_IN_ALL };
  // Records and links all sessions hold, counted as each store counts its own: a write looks at no other session.
  let held = 0;
  const tally = (by: number) => void (held += by);
  const forget = (session: string, store: Store, why: string) => {
    held -= store.size;
    reads.reset(session);
    log(`[${vendor}] session "${session}" forgotten, its data the seeds again as after a reset: ${why}`);
  };
  // 1,000 sessions could each hold RECORDS_KEPT (MOCK-183): once a write has made all together hold
  // more than the total, the least recently used sessions go as MOCK-182's do, never the writer's,
  // never the default session (MOCK-185). After the write, so a write refused or put back pushes out none.
  const makeRoom = (writer: Store) => {
    while (held > kept.total) {
      const [session, store] = sessions.oldest() ?? [];
      if (!store || store === writer) return;
      sessions.delete(session!);
      forget(session!, store, `the mock keeps ${kept.total} records and links in all its sessions together, and this one was used least recently (MOCK-185)`);
    }
  };
  let defaults: Store | undefined;
  // What a session that has written nothing reads: the seeds. A read names no new session's store,
  // so a client sending a fresh session header on every read allocates nothing.
  const untouched = new Store(seeds, links);
  const storeFor = (session: string, behaviour: MockBehaviour) => {
    const store = session === DEFAULT_SESSION ? defaults : sessions.find(session);
    if (store) return store;
    if (onlyReads(behaviour)) return untouched;
    const made = () => new Store(seeds, links, kept.session, tally);
    return session === DEFAULT_SESSION ? (defaults = made()) : sessions.get(session, made);
  };

  async function answer(request: MockRequest): Promise<MockResponse> {
    const reuse = options.dynamic ? undefined : reads.lookup(request, sessionOf(request.headers[SESSION_HEADER]));
    if (reuse?.answer) return reuse.answer;
    const response = await build(request, reuse);
    reuse?.keep(response);
    return response;
  }

  async function build(request: MockRequest, reuse: ReadTicket | undefined): Promise<MockResponse> {
    const refusal = checkPath(request.path);
    if (refusal) return refusal;
    if ((request.body?.byteLength ?? 0) > LIMITS.bodyBytes) return tooLarge(request.body!.byteLength);

    let method = request.method.toLowerCase();
    let routed = route(method, request.path);
    // HEAD is a GET whose body is left out (RFC 9110), and the vendors' servers answer it so; the
    // transport leaves the body out.
    if (method === 'head' && routed && !('route' in routed) && routed.allowed.includes('GET')) routed = route((method = 'get'), request.path);
    if (!routed) return problem(404, 'No such operation', `${vendor} documents no operation at ${request.path}; ${documented(request.path)}`);
    if (!('route' in routed)) {
      return problem(405, 'Method not allowed', `${request.path} takes ${routed.allowed.join(', ')}, not ${request.method.toUpperCase()}`, {}, { allow: routed.allowed.join(', ') });
    }
    const { operation } = routed.route;
    reuse?.routed(operation);
    const query = new URLSearchParams(request.query);
    const outOfRange = unreadableNumber(numerics.get(operation)!, routed.route.params, query);
    const params = numbersAsNumbers(numerics.get(operation)!, routed.route.params);
    // A body the mock refuses for what it holds never reaches Prism: sent in a way it does not take
    // (unsupportedBody), not JSON, a form or multipart one it cannot read, or a large one that breaks
    // its schema (MOCK-38); a body past a limit is refused before anything. It is answered once Prism,
    // shown the request without it, has checked the credentials, as a vendor's server checks them first.
    const unsupported = unsupportedBody(method, operation, request);
    let refusedBody = unsupported;

    const mediaType = mediaTypeOf(request.headers['content-type'] ?? null);
    const text = !unsupported && request.body && request.body.byteLength > 0 ? Buffer.from(request.body).toString('utf8') : undefined;
    let body: unknown = text;
    let fields: unknown;
    let inexact: InexactNumber | undefined;
    // How many values the body holds (JSON's, or a form's fields and the levels their names nest), for the record's limit.
    let values = 0;
    if (text !== undefined && isJson(mediaType)) {
      const shape = measureJson(text);
      values = shape.values;
      const refused = checkJsonBody(shape);
      if (refused) return refused;
      try {
        // Decoded, bytes that are not UTF-8 became U+FFFD and were stored as if sent so: JSON text is UTF-8 (RFC 8259 8.1).
        if (!isUtf8(request.body!)) throw new SyntaxError('its bytes are not UTF-8, which JSON text must be (RFC 8259 8.1): send it UTF-8 encoded');
        body = fields = JSON.parse(text);
      } catch (error) {
        // Where the vendor documents its answer for it (`x-mock` `malformed`), that; else the mock's own.
        const malformed = problem(400, 'Malformed JSON', `request body is not valid JSON: ${(error as Error).message}`, { pointer: '' });
        refusedBody = { ...bodyRefusal(malformed, ['request', 'body']), documented: behaviourOf(operation)?.malformed };
      }
      const invalid = refusedBody ? undefined : checkBody(operation, mediaType, body, shape.values);
      if (invalid) refusedBody = bodyRefusal(invalid, ['request', 'body']);
      // Prism reads null, false, 0 and "" as no body; such a body gets the operation's answer to an invalid one
      // (Prism's choice: its 422, else its 400), with its real fault named.
      const wrong = refusedBody ? undefined : checkValue(operation, mediaType, body);
      if (wrong) {
        const answer = problem(400, 'Invalid request body', `request body: ${wrong.message}`, { pointer: wrong.path, rule: wrong.rule });
        const validation = ['422', '400'].find((code) => operation.responses.some((r) => r.code === code));
        refusedBody = { ...bodyRefusal(answer, ['request', 'body']), ...(validation ? { documented: { status: Number(validation) } } : {}), sent: { body } };
      }
      // Real clients send `{}` on writes that document no body; the vendors accept it (decision MOCK-1).
      if (!operation.request?.body && isEmptyObject(body)) body = fields = undefined;
      // A number past what JSON reads (`1e400` parses to Infinity) is no number a record can hold, and
      // Prism took it for any integer: Prism is shown it as JSON writes it back (null), so the operation
      // refuses it as it refuses a path or query number the mock cannot read.
      if (!refusedBody && holdsUnwritable(fields)) body = JSON.parse(JSON.stringify(fields)) as unknown;
      // A whole number past 2^53 - 1 where the schema wants an integer may be read as another (…993 as …992):
      // Prism is shown it as text, which the schema refuses, so nothing stores the other number.
      inexact = refusedBody || fields === undefined ? undefined : checkInexact(operation, mediaType, text, fields);
      if (inexact) body = holdsUnwritable(inexact.shown) ? (JSON.parse(JSON.stringify(inexact.shown)) as unknown) : inexact.shown;
    } else if (text !== undefined && mediaType === 'application/x-www-form-urlencoded') {
      const shape = measureForm(text);
      const refused = checkFormBody(shape);
      if (refused) return refused;
      values = shape.values ?? 0;
      const unread = unreadableForm(shape);
      if (unread) refusedBody = bodyRefusal(unread, ['request', 'body']);
      else fields = formFields(text);
    } else if (text !== undefined && mediaType === 'multipart/form-data') {
      // Without a boundary Prism gives its own 415.
      const boundary = multipartBoundary(request.headers['content-type']!);
      const tooLong = boundary !== undefined && checkMultipartBytes(request.body!.byteLength);
      if (tooLong) return tooLong;
      if (boundary !== undefined) {
        const read = readMultipart(text, boundary);
        const refused = checkFormBody(read.shape, true);
        if (refused) return refused;
        const unread = unreadableForm(read.shape);
        if (unread) refusedBody = bodyRefusal(unread, ['request', 'body']);
        // Prism's parser throws on file names and types real clients send; Prism never reads them past the parse.
        else body = read.text;
      }
    }
    if (refusedBody) body = fields = undefined;
    const dropped = (text !== undefined && body === undefined) || refusedBody !== undefined;

    const headers = normaliseHeaders({
      ...request.headers,
      accept: readableAccept(request.headers.accept),
      ...(dropped ? { 'content-length': '0', 'transfer-encoding': undefined } : {}),
      ...(unsupported ? { 'content-type': undefined } : {}),
    }, prismBasic);
    const input: PrismInput = {
      method: method as PrismInput['method'],
      // A number Prism reads as valid but the mock cannot (past 2^53 - 1) reaches it as the invalid
      // value it is, so the operation refuses it as it refuses `?page=abc`: its documented 400 or 422.
      url: outOfRange ? asInvalid(operation, request.path, query, outOfRange) : { path: request.path, query: queryRecord(query) },
      headers: headers as Record<string, string>,
      body,
    };
    const view: RequestView = { params, query, headers: request.headers, body: fields };
    const prefer = preferences(input);
    if (prefer.error) return problem(422, 'Bad Prefer header', prefer.error.detail ?? prefer.error.message, { header: 'prefer' });
    const asked: PreferConfig = prefer.config ?? {};
    const asIs = asked.code === undefined && asked.exampleKey === undefined;
    // A token the mock issued, of a kind the operation's security scheme does not take (`x-mock-caller`: a
    // Perx user token on a POS call, the app token on a user's), is refused as a missing one is: Prism,
    // shown the request without it, answers the operation's 401 before it judges the input, and does
    // so whatever a Prefer asks.
    const wrongToken = wrongKind(operation, request.headers.authorization) ?? unsetCredential(operation, request);
    if (wrongToken) input.headers = Object.fromEntries(Object.entries(input.headers ?? {}).filter(([name]) => name !== 'authorization'));
    // Asked for a status and an example only another status has, Prism answered that other status: the 404 MOCK-11
    // gives, once the credentials are through (it came before a missing or wrong-kind token's 401).
    const askedFor = asked.code !== undefined && asked.exampleKey !== undefined ? operation.responses.find((r) => r.code === String(asked.code)) : undefined;
    const noSuchExample = askedFor && !askedFor.contents?.some((c) => c.examples?.some((e) => e.key === asked.exampleKey));
    const behaviour = behaviourOf(operation);
    const chosen = asIs ? chooseExample(behaviour, view) : undefined;
    const config: PreferConfig = { ...asked, ...(chosen ? { exampleKey: chosen.example, code: chosen.status } : {}) };

    const stateful = options.stateful !== false && behaviour?.action && !options.dynamic && !asked.dynamic && asIs;
    if (asked.dynamic) reuse?.varies();
    // A body too large for the one record it writes is refused before Prism reads it, as a body past a limit is.
    const oversized = stateful && !refusedBody ? mergesTooMuch(behaviour!, view, values) : undefined;
    if (oversized) return problem(oversized.refuse, oversized.problem!.title, oversized.detail, oversized.problem!.extra);

    // A body Prism was not shown is not remembered: its text (U+FFFD for bytes that are not UTF-8) may be a valid body's.
    const key = options.dynamic || config.dynamic || refusedBody ? undefined : memoKey(method, request.path, request.query, headers, text);
    let result = key === undefined ? undefined : memo.get(key);
    if (!result) {
      result = await prism(input, operation, config);
      if (key !== undefined) memo.set(key, result);
    }
    // Where another scheme of the operation let the request in without the token, or a Prefer asked for another status, its 401 all the same.
    if (wrongToken && statusOf(result) !== 401) result = await prism(input, operation, { code: 401 });
    // Only the credentials go first: a wrong token, or Prism's own refusal (a 401 a Prefer asked for is no credential check).
    // Prism refuses missing credentials whatever a Prefer asks, and says so in a violation: with `code=200` a
    // body that is not JSON, sent without them, was its 400 where a good body was the 401.
    const securityFailed = 'ok' in result && result.ok.violations.some((violation) => violation.code === 401);
    const credentialsRefused = wrongToken !== undefined || securityFailed || (asIs && [401, 403].includes(statusOf(result) ?? 0));
    if (noSuchExample && !credentialsRefused) return problem(404, 'The server cannot find the requested content', `the ${asked.code} response has no example "${asked.exampleKey}"`);
    // A refused body's answer comes once Prism, shown no body, has checked the credentials; whatever a
    // Prefer asks (a Perx token call with a broken body answered 200 with a token).
    if (refusedBody && !credentialsRefused) {
      if (!refusedBody.documented) return refusedBody.answer;
      const { status, example } = refusedBody.documented;
      // Prism answers a body it finds missing with its validation answer whatever the code asked: a documented answer without content is built here.
      const documented = operation.responses.find((r) => r.code === String(status));
      result = documented && !documented.contents?.length ? { ok: { output: { statusCode: status, headers: {} }, violations: [] } } : await prism(input, operation, { code: status, ...(example ? { exampleKey: example } : {}) });
    }
    const unreadable = outOfRange && { location: ['request', outOfRange.in, outOfRange.name], severity: 'Error', message: unreadableDetail(outOfRange) };
    const unheld = inexact && { location: ['request', 'body', ...tokens(inexact.path)], severity: 'Error', message: `request body${inexact.path}: must be ${inexactDetail(inexact)}` };
    if ('failure' in result) {
      const { failure } = result;
      if (unreadable) return problem(failure.status ?? 422, failure.message, unreadable.message, { validation: [unreadable] }, failure.additional?.headers ?? {});
      return problem(failure.status ?? 500, failure.message, failure.detail ?? failure.message, {}, failure.additional?.headers ?? {});
    }
    const { output } = result.ok;
    // What the mock judged itself is in its own words, in place of what Prism said of the request it
    // was shown: the parameter's rule, not the value put for it (Prism lower-cases a path parameter's
    // name); the token's kind, not a missing token; the body's fault, not a missing body.
    const violations = inOwnWords(result.ok.violations, [
      [unreadable, (theirs) => theirs.location.join('/').toLowerCase() === unreadable!.location.join('/').toLowerCase()],
      [wrongToken, (theirs) => theirs.code === 401],
      [refusedBody?.violation, (theirs) => theirs.code === 'required' && theirs.location.length === 1],
      [unheld, (theirs) => theirs.location.join('/') === unheld!.location.join('/')],
    ]);
    const invalid = violations.some((v) => v.severity === 'Error');
    let status = output.statusCode;
    let outBody = output.body;
    let outHeaders = { ...(output.headers ?? {}) };

    // Refused for its body or a query parameter, the answer names what broke, where the spec says how the vendor does (`violations`).
    const named = behaviour?.violations;
    // A JSON value Prism reads as no body (null, 0) was refused for what it is, and is named as any other body;
    // so is one the mock does not parse sent where none is taken (a string fetch sends as text/plain), as its text.
    const unparsed = text !== undefined && !isJson(mediaType) && !operation.request?.body ? text : undefined;
    const sent = refusedBody?.sent ? refusedBody.sent.body : (fields ?? unparsed);
    if (named && invalid && status === named.status && asIs && !options.dynamic && (!refusedBody || refusedBody.sent)) {
      const found = namedViolation(operation, mediaType, sent, refusedBody?.sent ? sent : input.body, query, routed.route.params, violations, outOfRange, inexact);
      outBody = (found && violationAnswer((outBody ?? null) as never, named, found.error, found.given)) ?? outBody;
    }
    // An example an `examples` rule chose for a fault the schema allows names the field; it quotes what was sent there.
    if (named && chosen && status === named.status && !refusedBody) outBody = quotingSent((outBody ?? null) as never, named, fields);

    // A body the mock refused writes nothing, whatever status the vendor documents for it.
    if (stateful && !refusedBody && !invalid && status >= 200 && status < 300) {
      const session = sessionOf(request.headers[SESSION_HEADER]);
      if (!onlyReads(behaviour!)) reads.written(session);
      let outcome: ReturnType<typeof apply>;
      try {
        const store = storeFor(session, behaviour!);
        outcome = apply({ behaviour: behaviour!, request: view, store, identity: identityOf(request.headers.authorization), template: (outBody ?? null) as never, fits, shape: shapes.get(operation) });
        makeRoom(store);
      } catch (error) {
        // The mock's own bound, as a body past a limit gets: the write was put back whole.
        if (error instanceof StoreFull) return problem(507, 'Session full', `${error.message}: nothing of this write was kept; reset the session (POST /__mock/reset?session=${encodeURIComponent(session)}) to write more`, { limit: error.limit });
        throw error;
      }
      // One of the mock's own limits (a record grown too large) is its problem, as a body past a limit gets.
      if ('refuse' in outcome && outcome.problem) return problem(outcome.refuse, outcome.problem.title, outcome.detail, outcome.problem.extra);
      if ('refuse' in outcome) {
        const refused = await prism(input, operation, { code: outcome.refuse, ...(outcome.example ? { exampleKey: outcome.example } : {}) });
        if ('failure' in refused) return problem(outcome.refuse, 'Refused', outcome.detail);
        status = refused.ok.output.statusCode;
        outBody = outcome.shows ? present((refused.ok.output.body ?? null) as never, outcome.shows.at, outcome.shows.record) : refused.ok.output.body;
        // A documented refusal of a value another record holds (a url taken) quotes the value sent, not the example's.
        if (named && status === named.status) outBody = quotingSent((outBody ?? null) as never, named, fields);
        outHeaders = { ...(refused.ok.output.headers ?? {}) };
        // The body is the vendor's example ("Client authentication failed" for a user not signed up):
        // why the mock refused is said where a refused body's fault is, and so in the log line (MOCK-154).
        // Not on an answer the vendor documents as a success (Placewise's 200 for a member it does not have).
        if (status >= 400) violations.push({ location: ['request'], severity: 'Error', message: outcome.detail });
      } else {
        outBody = outcome.body;
        outHeaders = withHeaders(outHeaders, outcome.headers);
        // An update that left the record as it was changed nothing: no listener hears of it, no webhook with empty member_changes is sent.
        const changes = outcome.changes.filter((change) => change.action !== 'update' || !isDeepStrictEqual(change.before, change.after));
        if (changes.length > 0) {
          const store = storeFor(session, behaviour!);
          const notify = behaviour!.notify && { webhook: behaviour!.notify.webhook, subscribers: store.written(behaviour!.notify.subscribers) };
          // Every change is told (and announced) though one listener fails; the first failure is the answer.
          const told = await Promise.allSettled(changes.map((change) => options.onChange?.({ ...change, vendor, session, ...(notify ? { notify } : {}) })));
          const failure = told.find((outcome) => outcome.status === 'rejected');
          if (failure) throw failure.reason;
        }
      }
    }

    const headersOut = lowerKeys(outHeaders);
    const response: MockResponse = { status, headers: headersOut, body: placeholderImage(headersOut['content-type'], outBody) ?? serialise(outBody, headersOut['content-type']) };
    if (violations.length) {
      const header = violationHeader(violations);
      response.headers['sl-violations'] = header;
      // The log line names the first, from the list itself: parsing the header back was the same work again.
      if (header.startsWith('[')) refused.set(response, violations);
    }
    const ownRefusal = response.headers['content-type']?.startsWith('application/problem+json') && status >= 400;
    const broken = ownRefusal ? undefined : checkAnswer(operation, response);
    if (broken) {
      log(`[${vendor}] MOCK BUG: ${request.method} ${request.path}: ${broken.message} (${broken.operationId} ${broken.status}, rule ${broken.rule})`);
      return problem(500, 'Mock answer breaks the contract', `the mock built a response that breaks the ${vendor} spec (a mock bug, please report it): ${broken.message}`, { violation: broken });
    }
    return response;
  }

  /** One request's failure stays that request's: a 500 that says so, and the mock serves on. */
  function failed(request: MockRequest, error: unknown): MockResponse {
    // The caller's own callback: its message is the answer's, and the request's log line tells it.
    if (error instanceof CallbackFailure) return problem(500, 'Callback failed', `${error.message} (the change was made; this is the caller's callback failing, not the mock)`);
    log(`[${vendor}] MOCK BUG: ${request.method} ${request.path}: ${(error as Error).stack ?? error}`);
    return problem(500, 'Mock failure', `the mock failed on this request (a mock bug, please report it): ${(error as Error).message}`);
  }

  return {
    vendor,
    async handle(request) {
      const started = performance.now();
      let response: MockResponse;
      try {
        response = await answer(request);
      } catch (error) {
        response = unreadableMultipart(request, error) ?? failed(request, error);
      }
      log(`[${vendor}] ${request.method} ${request.path}${request.query ? `?${logged(request.query)}` : ''} → ${response.status} (${(performance.now() - started).toFixed(1)} ms)${refusalReason(response)}`);
      return response;
    },
    reset(session) {
      reads.reset(session || undefined);
      if (!session || session === DEFAULT_SESSION) {
        held -= defaults?.size ?? 0;
        defaults = undefined;
      }
      if (!session) {
        sessions.clear();
        held = 0;
        return;
      }
      held -= sessions.find(session)?.size ?? 0;
      sessions.delete(session);
    },
  };
}

/**
 * Why the operation refuses the caller's token, where it does: a token the mock issued, on an
 * operation none of whose alternatives takes its kind. A scheme's `x-mock-caller` names the kind it
 * takes: `user` (a token that acts for a user) or `tenant` (the app's own); a scheme without it takes
 * either. A token the mock did not issue is Prism's to judge.
 */
function wrongKind(operation: Operation, authorization: string | undefined): Violation | undefined {
  const caller = mintedFor(authorization);
  const alternatives = operation.security ?? [];
  if (caller === undefined || alternatives.length === 0) return undefined;
  const kind = caller === '' ? 'tenant' : 'user';
  const takes = alternatives.some((schemes) => schemes.every((scheme) => {
    const wanted = (scheme as { extensions?: Record<string, unknown> }).extensions?.['x-mock-caller'];
    return wanted === undefined || wanted === kind;
  }));
  if (takes) return undefined;
  const issued = kind === 'tenant' ? "the app's own token (tenant)" : 'a token that acts for a user';
  return { location: ['request', 'header', 'authorization'], severity: 'Error', message: `the mock issued this token as ${issued}, a kind this operation's security does not take (x-mock-caller)` };
}

/** A body the mock refused, with what it says to the caller, once the credentials are through. */
interface BodyRefusal {
  answer: MockResponse;
  /** Its reason, for a 401 answered in its place: Prism, shown no body, would say the body is missing. */
  violation: Violation;
  /** The vendor's documented answer to a body that is not JSON (`x-mock` `malformed`), given instead. */
  documented?: MockBehaviour['malformed'];
  /** A JSON value Prism reads as no body (null, false, 0, ""), refused for breaking the schema: what a `violations` answer names. */
  sent?: { body: unknown };
}

/**
 * A body sent in a way the mock does not take: a Content-Type it cannot read, one the operation does
 * not document (MOCK-65), or a content coding. Prism is shown the request without it, and without the
 * Content-Type its parser could throw on.
 */
function unsupportedBody(method: string, operation: Operation, request: MockRequest): BodyRefusal | undefined {
  const contentType = request.headers['content-type'];
  const hasBody = (request.body?.byteLength ?? 0) > 0;
  const unreadable = checkContentType(contentType);
  if (unreadable) return bodyRefusal(unreadable, ['request', 'header', 'content-type']);
  const encoded = checkContentEncoding(request.headers['content-encoding'], hasBody);
  if (encoded) return bodyRefusal(encoded, ['request', 'header', 'content-encoding']);
  const undocumented = checkMediaType(method, operation.request?.body?.contents?.map((c) => c.mediaType), contentType, hasBody);
  return undocumented && bodyRefusal(undocumented, ['request', 'header', 'content-type']);
}

function bodyRefusal(answer: MockResponse, location: string[]): BodyRefusal {
  const { detail } = JSON.parse(answer.body as string) as { detail: string };
  return { answer, violation: { location, severity: 'Error', message: detail } };
}

/** Prism's violations, each of the mock's own first, with the one of Prism's it stands for left out. */
function inOwnWords(theirs: Violation[], own: [Violation | false | undefined, (theirs: Violation) => boolean][]): Violation[] {
  const mine = own.filter((entry): entry is [Violation, (theirs: Violation) => boolean] => Boolean(entry[0]));
  return [...mine.map(([violation]) => violation), ...theirs.filter((violation) => !mine.some(([, replaces]) => replaces(violation)))];
}

/** The status Prism answered, or refused with. */
const statusOf = (result: Awaited<ReturnType<ReturnType<typeof createPrism>>>) => ('failure' in result ? result.failure.status : result.ok.output.statusCode);

/** Whether a parsed JSON body holds a number that is not finite anywhere in it. */
function holdsUnwritable(value: unknown): boolean {
  const waiting = [value];
  while (waiting.length > 0) {
    const next = waiting.pop();
    if (typeof next === 'number' && !Number.isFinite(next)) return true;
    // One by one: spread into push's arguments, an array near the 100,000-value bound nears V8's stack limit.
    if (next !== null && typeof next === 'object') for (const item of Object.values(next)) waiting.push(item);
  }
  return false;
}

const isEmptyObject = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;

// Built with fromEntries, which defines each key: assigning `__proto__` would change the object's prototype.
function queryRecord(query: URLSearchParams): Record<string, string | string[]> {
  return Object.fromEntries([...new Set(query.keys())].map((key) => {
    const values = query.getAll(key);
    return [key, values.length === 1 ? values[0]! : values];
  }));
}

/**
 * RFC 7617 lets a Basic password contain ':'; Prism's check splits on every ':' and refuses it.
 * Prism accepts any credentials, so handing it the user with the password's colons dropped
 * keeps its check meaningful (scheme and user:password shape) without the false refusal.
 * `basic`: the Authorization value Prism is shown in its place.
 */
function normaliseHeaders(headers: Record<string, string | undefined>, basic: (authorization: string | undefined) => string | undefined): Record<string, string | undefined> {
  const authorization = basic(headers.authorization);
  return authorization === undefined ? headers : { ...headers, authorization };
}

/** The Authorization value normaliseHeaders shows Prism for a Basic one, else undefined. */
function basicForPrism(authorization: string | undefined): string | undefined {
  const basic = readBasicAuthorization(authorization);
  return basic && basicAuthorization({ ...basic, password: basic.password.replace(/:/g, '') });
}

/** The answer's headers with those the state gives (a list's paging numbers) in place of the example's, whatever their case. */
function withHeaders(headers: Record<string, string>, given: Record<string, string> = {}): Record<string, string> {
  const replaced = new Set(Object.keys(given).map((name) => name.toLowerCase()));
  return { ...Object.fromEntries(Object.entries(headers).filter(([name]) => !replaced.has(name.toLowerCase()))), ...given };
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

// 1×1 transparent images: what an <img> pointed at the mock shows.
const PLACEHOLDERS: Record<string, string> = {
  'image/png': 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'image/gif': 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7',
};

/**
 * The bytes of a PNG or GIF answer. A spec can only give an image's example as text, and Prism
 * answers a binary string schema with the text "string", which no browser shows: a 1×1
 * placeholder of the documented type takes its place.
 */
function placeholderImage(contentType: string | undefined, body: unknown): Uint8Array | undefined {
  const bytes = typeof body === 'string' && contentType !== undefined ? PLACEHOLDERS[mediaTypeOf(contentType)] : undefined;
  return bytes === undefined ? undefined : Buffer.from(bytes, 'base64');
}

/** The answer's text. A JSON null is the text `null` (Placewise's public_info may be null); null elsewhere is no body. */
function serialise(body: unknown, contentType: string | undefined): string {
  if (body === undefined) return '';
  if (body === null) return contentType !== undefined && isJson(mediaTypeOf(contentType)) ? 'null' : '';
  return typeof body === 'string' ? body : JSON.stringify(body);
}

const MAX_HEADER = 8 * 1024 - 100;
// Prism's code is the engine's to read, not part of what its server writes.
const shown = ({ code: _code, ...violation }: Partial<Violation>) => violation;
// A header carries Latin-1 only: a violation quoting a field named "nyhetsbrev€" is escaped, as JSON allows.
const latin1 = (text: string) => text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The violations a refusal's `sl-violations` header holds whole (not cut for length), for its log line. */
const refused = new WeakMap<MockResponse, Partial<Violation>[]>();

/**
 * Why a refusal was refused, for its log line: the body of a 401 or 400 is the vendor's documented
 * example, so the line `→ 401` was all a developer watching the mock saw (a Perx app token on a
 * user's call), the reason only in a header few think to read. The first violation, and how many
 * more the header holds; without one, the detail of the mock's own problem document; nothing for
 * any other answer, or one whose header was cut.
 */
function refusalReason(response: MockResponse): string {
  const violations = response.status >= 400 ? refused.get(response) : undefined;
  const first = violations?.[0];
  if (!first?.message) return ownReason(response);
  const where = first.location?.join('.') ?? '';
  const more = violations!.length > 1 ? ` (+${violations!.length - 1} more in sl-violations)` : '';
  return `: ${printable(`${where ? `${where} ` : ''}${first.message}`)}${more}`;
}

/**
 * The query as the log line shows it: the value of a parameter a security scheme reads its
 * credential from (`apiKey` in the query, Footprints' `access_token`) is written `…`. The mock takes
 * any token, but a client pointed at it keeps the one it was configured with, and a CI log is shared.
 */
function loggedQuery(document: unknown): (query: string) => string {
  const schemes = Object.values((document as { components?: { securitySchemes?: Record<string, { type?: string; in?: string; name?: string }> } }).components?.securitySchemes ?? {});
  const secret = new Set(schemes.filter((scheme) => scheme.type === 'apiKey' && scheme.in === 'query' && scheme.name).map((scheme) => scheme.name!));
  if (secret.size === 0) return (query) => query;
  const named = (part: string) => {
    const name = part.split('=', 1)[0]!;
    try {
      return decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      return name;
    }
  };
  return (query) => query.split('&').map((part) => (secret.has(named(part)) ? `${part.split('=', 1)[0]}=…` : part)).join('&');
}

/**
 * The violations as a JSON array, cut to MAX_HEADER. The text is built one violation at a time and
 * no further than the cut: a body with hundreds of thousands of errors made ~40 MB of text here,
 * all but 8 kB of it thrown away (MOCK-38).
 */
export function violationHeader(violations: Partial<Violation>[]): string {
  let value = '[';
  let i = 0;
  for (; i < violations.length && value.length <= MAX_HEADER; i++) value += (i === 0 ? '' : ',') + latin1(JSON.stringify(shown(violations[i]!)));
  if (i === violations.length) value += ']';
  return value.length > MAX_HEADER ? `Too many violations! ${value.slice(0, MAX_HEADER)}` : value;
}

const unreadableDetail = (found: OwnRefusal) => `${found.in} parameter ${found.name} must be ${found.must}`;
const inexactDetail = (found: InexactNumber) => `a number the mock can read exactly (got one beyond ${LARGEST_WHOLE}, read as ${found.read})`;

/** Prism's URL with the unreadable parameter given a value no numeric schema takes. */
function asInvalid(operation: Operation, path: string, query: URLSearchParams, found: OwnRefusal): PrismInput['url'] {
  if (found.in === 'query') {
    const shown = new URLSearchParams(query);
    shown.set(found.name, 'x');
    return { path, query: queryRecord(shown) };
  }
  const template = operation.path.split('/');
  const shown = path.split('/').map((segment, i) => (template[i] === `{${found.name}}` ? 'x' : segment));
  return { path: shown.join('/'), query: queryRecord(query) };
}

// What reads as a number: decimal digits, with a sign, and where the schema is `number` a
// fraction and an exponent. Prism, like Number(), also takes `0x15`, `0b10101`, `0o25` and
// padding (`%0921`, a tab before 21), and each named account 21.
const WHOLE = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A numeric parameter of an operation: whether it takes whole numbers only, and (a query list of numbers) whether each item is one. */
interface NumericParam {
  name: string;
  whole: boolean;
  listed: boolean;
}

/** The operation's numeric path and query parameters, found once: which they are depends only on the spec. */
function numericParams(operation: Operation): { path: NumericParam[]; query: NumericParam[] } {
  const numeric = (name: string, schema: unknown, listed: boolean): NumericParam[] => {
    const types = [(schema as { type?: unknown } | undefined)?.type].flat();
    if (!(types.includes('integer') || types.includes('number'))) return [];
    return [{ name, whole: types.includes('integer') && !types.includes('number'), listed }];
  };
  return {
    path: (operation.request?.path ?? []).flatMap((param) => numeric(param.name, param.schema, false)),
    // A list of numbers (Placewise's `ids[]`) is judged item by item.
    query: (operation.request?.query ?? []).flatMap((param) => {
      const schema = param.schema as { type?: unknown; items?: unknown } | undefined;
      const listed = [schema?.type].flat().includes('array');
      return numeric(param.name, listed ? schema?.items : schema, listed);
    }),
  };
}

/**
 * A numeric parameter in another spelling than decimal (`0x15`), spelt as a number too large to
 * hold (`1e400`), or an integer one past 2^53 (`9007199254740993` reads as …992): Prism lets each
 * through, and they name no record, or another's (Placewise answered "id 1" for the first and
 * kept it apart from record 1). An empty query value is left as no value, as elsewhere.
 */
function unreadableNumber(numeric: ReturnType<typeof numericParams>, params: Record<string, string>, query: URLSearchParams): OwnRefusal | undefined {
  const judge = (where: OwnRefusal['in'], { name, whole }: NumericParam, raw: string | undefined): OwnRefusal | undefined => {
    if (raw === undefined || raw === '') return undefined;
    const got = `got ${JSON.stringify(raw)}`;
    if (!(whole ? WHOLE : DECIMAL).test(raw)) return { in: where, name, must: `${whole ? 'a whole number' : 'a number'} in decimal digits (${got})` };
    const value = Number(raw);
    const beyond = Math.abs(value) === Infinity ? 'the largest one' : whole && !Number.isSafeInteger(value) ? LARGEST_WHOLE : undefined;
    if (beyond === undefined) return undefined;
    return { in: where, name, must: `${where === 'path' ? 'a number a record can have' : 'a number the mock can read exactly'} (${got}, which is beyond ${beyond})` };
  };
  for (const param of numeric.path) {
    const found = judge('path', param, params[param.name]);
    if (found) return found;
  }
  // A page number too (`page_no=9007199254740993`): the answer named another page, or the first.
  // A list of numbers, written repeated or joined by commas.
  for (const param of numeric.query) {
    for (const raw of query.getAll(param.name)) {
      for (const value of param.listed ? raw.split(',') : [raw]) {
        const found = judge('query', param, value);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/**
 * A numeric path parameter in any decimal spelling (`007`, `+7`; for a `number`, `7.0` and `1e1`
 * too) names the record that number names: `PUT …/007` updates record 7 rather than creating
 * record "007". Other spellings were refused before (unreadableNumber).
 */
function numbersAsNumbers(numeric: ReturnType<typeof numericParams>, params: Record<string, string>): Record<string, string> {
  for (const { name } of numeric.path) {
    const raw = params[name];
    if (raw !== undefined && raw.trim() !== '' && Number.isFinite(Number(raw))) params[name] = String(Number(raw));
  }
  return params;
}

/**
 * A throw from inside Prism's multipart parser is the body's fault: the guard reads parts as the
 * parser does (MOCK-71), and any way it still parts from it is answered as the unreadable body it
 * is, not as a mock failure.
 */
function unreadableMultipart(request: MockRequest, error: unknown): MockResponse | undefined {
  if (mediaTypeOf(request.headers['content-type'] ?? null) !== 'multipart/form-data' || !(error instanceof Error) || !error.stack?.includes('parse-multipart-data')) return undefined;
  return problem(400, 'Malformed multipart body', `request body: the mock's multipart parser cannot read it (${error.message})`);
}
