/**
 * Sending a vendor's webhook to a receiver under development, the way the vendor would:
 *
 *   martech-contracts webhook placewise <event> --to <url> --secret <s> [--payload file.json]
 *
 * The payload (a documented example, or the caller's) is validated against the spec before it
 * leaves, and the receiver's answer is read with the vendor's documented delivery rules.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { WebhookError } from './errors.js';
import { PLACEWISE_TOKEN_HEADER, PLACEWISE_WEBHOOKS, placewiseWebhookExamples, validatePlacewisePayload, type PlacewiseSchemaVersion } from './placewise.js';
import { npmTookProblem } from '../cli/npm-taken.js';
import { parseCommandLine, timeoutMs as timeoutArg, UsageError } from '../cli/usage.js';
import { commonRules, headerText, httpUrlProblem, shownUrl } from '../options.js';

/** What the sender makes of the receiver's answer (Placewise: 2xx delivered, 5xx retried, 4xx dropped). */
export type DeliveryOutcome = 'delivered' | 'will-retry' | 'dropped';

export interface SendWebhookOptions {
  vendor: 'placewise';
  /** The documented example to send (`import`, `update`, `delete`); names the payload's event otherwise. */
  event: string;
  /** The receiver's URL (http or https; the vendor itself only delivers to https). */
  to: string;
  /** The subscription's secret token, sent as `X-Secret-Token`. */
  secret: string;
  /** Send this payload instead of the documented example; it is validated first. */
  payload?: unknown;
  /** Notification format when the example is used: 2 (default) or 1 (deprecated). */
  schemaVersion?: PlacewiseSchemaVersion;
  /** Give up waiting for the receiver after this many milliseconds, 1 to 2 147 483 647 (default 10 000): will-retry. */
  timeoutMs?: number;
  /** Headers sent besides Content-Type and X-Secret-Token (the mock names its session). */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

export interface SendWebhookResult {
  /** The receiver's HTTP status; null when no answer came (network error, timeout). */
  status: number | null;
  outcome: DeliveryOutcome;
  /** Why no answer came, when status is null. */
  error?: string;
  /** The spec's webhook the payload was validated against, e.g. memberChangesV2. */
  webhook: string;
  payload: unknown;
}

/** The vendor's delivery rule for an answer; anything but 2xx and 4xx is taken as a failure that is retried. */
export function deliveryOutcome(status: number | null): DeliveryOutcome {
  if (status === null) return 'will-retry';
  if (status >= 200 && status < 300) return 'delivered';
  if (status >= 400 && status < 500) return 'dropped';
  return 'will-retry';
}

/** The documented example names per notification format, for usage text and errors. */
export function placewiseEvents(schemaVersion: PlacewiseSchemaVersion = 2): string[] {
  return Object.keys(placewiseWebhookExamples[PLACEWISE_WEBHOOKS[schemaVersion]] ?? {});
}

function choosePayload(options: SendWebhookOptions): unknown {
  if (options.payload !== undefined) return options.payload;
  const version = options.schemaVersion ?? 2;
  const examples = placewiseWebhookExamples[PLACEWISE_WEBHOOKS[version]] ?? {};
  if (!(options.event in examples)) {
    throw new RangeError(`placewise: no documented v${version} example for event "${options.event}"; known: ${Object.keys(examples).join(', ')} (or pass a payload)`);
  }
  // A copy, so that a caller changing the result does not change the shared example.
  return structuredClone(examples[options.event]);
}

function receiverUrl(to: string): URL {
  const problem = httpUrlProblem(String(to));
  if (problem) throw new TypeError(`webhook: option "to" ${problem}`);
  return new URL(to);
}

/** The body as sent; a payload JSON cannot write (nested too deep, circular) is the caller's, not the receiver's. */
function payloadText(payload: unknown): string {
  try {
    return JSON.stringify(payload);
  } catch (error) {
    throw new RangeError(`webhook: the payload cannot be written as JSON (${(error as Error).message})`);
  }
}

/** A payload checked against the spec and written as JSON once, to be posted to any number of receivers. */
export interface CheckedPayload {
  /** The spec's webhook it was validated against, e.g. memberChangesV2. */
  webhook: string;
  payload: unknown;
  body: string;
}

/** Validates the payload (WebhookError `schema` naming pointer and rule) and writes the body that is sent. */
export function checkPayload(payload: unknown): CheckedPayload {
  const valid = validatePlacewisePayload(payload);
  return { webhook: PLACEWISE_WEBHOOKS[valid.version === 1 ? 1 : 2], payload: valid, body: payloadText(valid) };
}

type Receiver = Pick<SendWebhookOptions, 'to' | 'secret' | 'timeoutMs' | 'headers' | 'fetch'>;

function receiverOf(options: Receiver): URL {
  const secret = headerText().check(options.secret);
  if (secret) throw new TypeError(`webhook: the secret ${secret}`);
  // As the clients take them: AbortSignal.timeout threw on -1 or 1.5 inside the send, and ran 3e9 ms
  // as 1 ms, and a fetch that is not a function threw there too, each reported as the receiver's will-retry.
  for (const name of ['timeoutMs', 'fetch'] as const) {
    const broken = options[name] === undefined ? undefined : commonRules[name]!.check(options[name]);
    if (broken) throw new TypeError(`webhook: option "${name}" ${broken}`);
  }
  return receiverUrl(options.to);
}

/**
 * Validates the payload (WebhookError `schema` naming pointer and rule), POSTs it with the secret
 * token and reports the receiver's answer. Never throws for what the receiver does: a refused
 * connection or a timeout is reported as `will-retry`, as the vendor would treat it.
 */
export async function sendWebhook(options: SendWebhookOptions): Promise<SendWebhookResult> {
  if (options.vendor !== 'placewise') throw new RangeError(`webhook: vendor "${String(options.vendor)}" sends no webhooks; known: placewise`);
  const url = receiverOf(options);
  return post(checkPayload(choosePayload(options)), url, options);
}

/**
 * sendWebhook for a payload checked once (checkPayload): the mock announces one change to every
 * subscription, and validating and writing a large member once per receiver cost seconds.
 */
export async function postWebhook(checked: CheckedPayload, options: Receiver): Promise<SendWebhookResult> {
  return post(checked, receiverOf(options), options);
}

async function post({ webhook, payload, body }: CheckedPayload, url: URL, options: Receiver): Promise<SendWebhookResult> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  // Set, not added: a given header of the same name in another case cannot join or replace these.
  const headers = new Headers(options.headers);
  headers.set('Content-Type', 'application/json');
  headers.set(PLACEWISE_TOKEN_HEADER, options.secret);

  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers,
      body,
      // Only the receiver's own answer counts; a redirect is not a delivery.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    return { status: response.status, outcome: deliveryOutcome(response.status), webhook, payload };
  } catch (error) {
    const err = error as Error;
    const reason = err.name === 'TimeoutError' ? `the timeout of ${timeoutMs} ms passed` : describeNetworkError(err);
    return { status: null, outcome: 'will-retry', error: reason, webhook, payload };
  }
}

function describeNetworkError(error: Error): string {
  const cause = error.cause as { code?: string; message?: string } | undefined;
  // A cause without a code still says why (fetch refuses a "bad port" such as 6666 that way).
  const reason = cause?.code ? `${cause.code}${cause.message ? `: ${cause.message}` : ''}` : cause?.message ? `${error.message}: ${cause.message}` : error.message;
  // One line: it is read inside one-line reports, and OpenSSL ends its errors with a line break (one per error it stacked).
  return reason.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  fetch?: typeof fetch;
  /** Where PLACEWISE_WEBHOOK_SECRET is read when --secret is not given (process.env by default). */
  env?: Record<string, string | undefined>;
}

/** The variable the README's receiver reads its secret from; the webhook command and the mock read the same one. */
export const WEBHOOK_SECRET_VARIABLE = 'PLACEWISE_WEBHOOK_SECRET';

export const WEBHOOK_USAGE = `Usage: martech-contracts webhook placewise <event> --to <url> --secret <token> [options]

Sends a Placewise member-changes notification to a receiver, as MPC would: a documented
example for <event> (or --payload), validated against the spec first, POSTed with the
X-Secret-Token header. Reports the receiver's answer by the vendor's rules:
2xx delivered, 5xx (or no answer) will-retry, 4xx dropped.

Events: ${placewiseEvents(2).join(', ')}; with --schema-version 1 only ${placewiseEvents(1).join(', ')}, the one
documented v1 example (send any other v1 notification with --payload).
With --payload, the file is sent as it is: <event> must be an event type it holds, and
--schema-version, if given, its version.

Options:
  --to <url>              the receiver's URL (required)
  --secret <token>        the subscription's secret token (required unless ${WEBHOOK_SECRET_VARIABLE}
                          is set, which keeps it out of the process list and shell history)
  --payload <file.json>   send this payload instead of the example (validated first)
  --schema-version <1|2>  notification format of the example (default 2; v1 is deprecated)
  --timeout <ms>          wait this long for the answer (default 10000)
  -h, --help              this text

Exit status: 0 delivered, 1 not delivered (will-retry or dropped), 2 bad arguments or payload.
`;

/**
 * `martech-contracts webhook …`: argv is what follows `webhook`. Returns the exit status
 * (0 delivered, 1 not delivered, 2 bad arguments or payload); prints progress to stdout and
 * problems to stderr.
 */
export async function runWebhookCommand(argv: string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let options: SendWebhookOptions;
  try {
    const parsed = parseCommand(argv, io.env ?? process.env);
    if (parsed === 'help') {
      io.stdout.write(WEBHOOK_USAGE);
      return 0;
    }
    options = { ...parsed, fetch: io.fetch };
    if (parsed.payloadFile !== undefined) options.payload = agreeing(await readPayload(parsed.payloadFile), parsed);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`webhook: ${error.message}\n\n${WEBHOOK_USAGE}`);
    return 2;
  }

  const what = options.payload !== undefined ? 'payload from --payload' : `example "${options.event}" (v${options.schemaVersion ?? 2})`;
  // Said before the schema check, so not "sending": a payload the check refuses is never sent.
  // Not past a '?': a query may hold a credential.
  io.stdout.write(`placewise: ${what} for ${shownUrl(options.to)}: checking it against the schema, then sending\n`);
  const started = Date.now();
  let result: SendWebhookResult;
  try {
    result = await sendWebhook(options);
  } catch (error) {
    if (error instanceof WebhookError || error instanceof TypeError || error instanceof RangeError) {
      io.stderr.write(`webhook: ${error.message}\n`);
      if (error instanceof WebhookError) for (const p of error.problems.slice(1)) io.stderr.write(`  also ${p.pointer || '(root)'}: ${p.message} (rule ${p.rule})\n`);
      return 2;
    }
    throw error;
  }
  const ms = Date.now() - started;
  const answer = result.status === null ? `no answer (${result.error})` : `HTTP ${result.status}`;
  const meaning = { delivered: 'delivered', 'will-retry': 'will-retry: MPC would send it again later (for up to 20 days)', dropped: 'dropped: MPC would not send it again' }[result.outcome];
  io.stdout.write(`placewise: ${answer} after ${ms} ms → ${meaning}\n`);
  return result.outcome === 'delivered' ? 0 : 1;
}

type ParsedCommand = Omit<SendWebhookOptions, 'fetch' | 'payload'> & { payloadFile?: string };

const WEBHOOK_FLAGS = {
  to: { type: 'string' },
  secret: { type: 'string' },
  payload: { type: 'string' },
  'schema-version': { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseCommand(argv: string[], env: Record<string, string | undefined>): ParsedCommand | 'help' {
  const taken = npmTookProblem('webhook', ['webhook'], WEBHOOK_FLAGS, argv);
  if (taken) throw new UsageError(taken);
  const parsed = parseCommandLine(argv, WEBHOOK_FLAGS);
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const [vendor, event, ...extra] = positionals;
  if (vendor === undefined) throw new UsageError('missing <vendor>: only placewise sends webhooks');
  if (vendor !== 'placewise') throw new UsageError(`vendor "${vendor}" sends no webhooks; known: placewise`);
  if (event === undefined) throw new UsageError(`missing <event>: one of ${placewiseEvents(2).join(', ')}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (values.to === undefined) throw new UsageError('--to <url> is required');
  // On the command line a secret is in every user's `ps` and in the shell's history: the environment keeps it out of both.
  const fromEnv = values.secret === undefined;
  const secret = fromEnv ? env[WEBHOOK_SECRET_VARIABLE] : values.secret;
  if (secret === undefined || secret === '') throw new UsageError(`--secret <token> is required (the subscription's X-Secret-Token), or ${WEBHOOK_SECRET_VARIABLE} set to it`);
  // Its value is never echoed: fetch's own complaint about a header would quote it.
  const secretProblem = headerText().check(secret);
  if (secretProblem) throw new UsageError(`${fromEnv ? WEBHOOK_SECRET_VARIABLE : '--secret'} ${secretProblem}`);
  const urlProblem = httpUrlProblem(values.to);
  if (urlProblem) throw new UsageError(`--to ${urlProblem}`);
  let schemaVersion: PlacewiseSchemaVersion | undefined;
  if (values['schema-version'] !== undefined) {
    if (values['schema-version'] !== '1' && values['schema-version'] !== '2') throw new UsageError(`--schema-version must be 1 or 2, got "${values['schema-version']}"`);
    schemaVersion = Number(values['schema-version']) as PlacewiseSchemaVersion;
  }
  const timeoutMs = timeoutArg('timeout', values.timeout);
  if (values.payload === undefined && !placewiseEvents(schemaVersion ?? 2).includes(event)) {
    throw new UsageError(`no documented v${schemaVersion ?? 2} example for event "${event}"; known: ${placewiseEvents(schemaVersion ?? 2).join(', ')} (or pass --payload)`);
  }
  return { vendor, event, to: values.to, secret, schemaVersion, timeoutMs, payloadFile: values.payload };
}

/** The largest --payload file read: a bulk change far past any MPC sends (reading /dev/zero took 650 MB and then failed). */
const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

/** A pipe's or a device's text, refused once it is past the cap: nothing more of it is read. */
async function readCapped(file: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Node hands a child it spawns a socket as its stdin, which /dev/stdin cannot open (ENXIO): read as stdin, it is read either way.
  const stream = file === '/dev/stdin' ? process.stdin : createReadStream(file);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) throw new UsageError(`--payload ${file}: holds more than ${MAX_PAYLOAD_BYTES} bytes, the most read (stopped reading there)`);
      chunks.push(chunk);
    }
  } finally {
    // Stdin is left open but for a refusal: a caller's stdin is not ours to close.
    if (stream !== process.stdin || size > MAX_PAYLOAD_BYTES) stream.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readPayload(file: string): Promise<unknown> {
  let text: string;
  try {
    // A file's size is known before it is read; a pipe's (`--payload /dev/stdin`, `<(jq …)`) or a
    // device's is not, and one may never end (/dev/zero took 650 MB): it is read up to the cap.
    const info = await stat(file);
    if (info.isDirectory()) throw new UsageError(`--payload ${file}: is a directory (give the path of a JSON file, or /dev/stdin)`);
    if (info.isFile()) {
      if (info.size > MAX_PAYLOAD_BYTES) throw new UsageError(`--payload ${file}: is ${info.size} bytes, over the ${MAX_PAYLOAD_BYTES} read`);
      text = await readFile(file, 'utf8');
    } else text = await readCapped(file);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--payload ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let payload: unknown;
  try {
    // An editor on Windows saves a byte order mark first; it is no part of the JSON.
    payload = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`--payload ${file}: not JSON (${(error as Error).message})`);
  }
  // JSON.parse takes deeper nesting than JSON.stringify can write back: nothing could be sent.
  try {
    payloadText(payload);
  } catch (error) {
    throw new UsageError(`--payload ${file}: ${(error as Error).message.replace(/^webhook: the payload /, '')}`);
  }
  return payload;
}

/**
 * The payload, when <event> and --schema-version agree with it: it is sent as it is, so a name
 * that says otherwise would only mislead. What the payload does not say (no events) is not checked.
 */
function agreeing(payload: unknown, parsed: ParsedCommand): unknown {
  const given = typeof payload === 'object' && payload !== null ? (payload as { version?: unknown; events?: unknown; bulk?: unknown }) : {};
  const version = given.version === 1 || given.version === 2 ? given.version : undefined;
  if (parsed.schemaVersion !== undefined && version !== undefined && parsed.schemaVersion !== version) {
    throw new UsageError(`--schema-version ${parsed.schemaVersion} does not match --payload ${parsed.payloadFile}, a v${version} notification (leave --schema-version out)`);
  }
  const entries = version === 1 ? given.bulk : given.events;
  const types = new Set(Array.isArray(entries) ? entries.map((e) => (version === 1 ? e?.event_type : e?.event?.type)).filter((t): t is string => typeof t === 'string') : []);
  if (types.size > 0 && !types.has(parsed.event)) {
    throw new UsageError(`<event> "${parsed.event}" does not match --payload ${parsed.payloadFile}, whose events are ${[...types].join(', ')}`);
  }
  return payload;
}
