/**
 * Placewise MPC member-change webhooks: what a receiver needs to trust and read one.
 *
 * MPC signs nothing: each request carries the subscription's secret token in `X-Secret-Token`
 * (spec: webhooks memberChangesV2 / memberChangesV1). The payload is checked with the validators
 * the build generated from the spec (generated/placewise/webhooks.validate.js), so nothing is
 * compiled at run time and the package needs no validator library.
 */
import type { webhooks } from '../../generated/placewise/schema.js';
import { examples, validators, type WebhookValidator } from '../../generated/placewise/webhooks.validate.js';
import { ConfigError } from '../errors.js';
import { asSentInHeader, kindOf } from '../options.js';
import { WebhookError, type WebhookProblem } from './errors.js';

type RequestBodyOf<W extends keyof webhooks> = NonNullable<webhooks[W]['post']>['requestBody'] extends { content: { 'application/json': infer B } } ? B : never;

/** A v2 member-changes notification (the current format). */
export type PlacewiseMemberChangesV2 = RequestBodyOf<'memberChangesV2'>;
/** A v1 member-changes notification (deprecated by the vendor, still sent to v1 subscriptions). */
export type PlacewiseMemberChangesV1 = RequestBodyOf<'memberChangesV1'>;
/** What verifyPlacewiseWebhook returns: tell the two apart by `version`. */
export type PlacewiseWebhookPayload = PlacewiseMemberChangesV2 | PlacewiseMemberChangesV1;

export const PLACEWISE_TOKEN_HEADER = 'X-Secret-Token';

/** The spec's webhook for each notification format (`event_schema_version` of the subscription). */
export const PLACEWISE_WEBHOOKS = { 2: 'memberChangesV2', 1: 'memberChangesV1' } as const;
export type PlacewiseSchemaVersion = keyof typeof PLACEWISE_WEBHOOKS;

/** The documented examples by webhook and name (validated by the build). */
export const placewiseWebhookExamples = examples as Record<(typeof PLACEWISE_WEBHOOKS)[PlacewiseSchemaVersion], Record<string, unknown>>;

/** Headers as Fetch has them, or as Node's http module / most frameworks hand them over. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface RawWebhook {
  headers: WebhookHeaders;
  /** The raw body, exactly as received (do not run a JSON body parser first). */
  body: string | Uint8Array;
}

/**
 * Checks a member-change notification and returns its payload, typed.
 *
 * Takes a Fetch `Request` (its body is read) or the raw headers and body from any framework.
 * Refuses with a WebhookError whose `reason` is `missing-token`, `wrong-token` (compared in
 * constant time), `not-json` or `schema` (naming the JSON pointer and rule); answer the sender with
 * the error's `status`. A missing or blank `secret` is a ConfigError: check it when your receiver starts.
 */
export async function verifyPlacewiseWebhook(input: Request | RawWebhook, secret: string): Promise<PlacewiseWebhookPayload> {
  // A receiver's configuration, not a sender's fault: unset, it fails every delivery (a 500, which
  // MPC retries for 20 days), so the error says what to set. Blank is unset: a blank token would match it.
  if (typeof secret !== 'string' || asSentInHeader(secret) === '') {
    throw new ConfigError('placewise webhook', 'secret', `must be the subscription's secret token, a non-empty string (got ${typeof secret === 'string' ? 'a blank string' : kindOf(secret)}): set PLACEWISE_WEBHOOK_SECRET, or whichever variable your receiver reads it from`);
  }
  const { headers, body } = await readInput(input);

  const token = headerValue(headers, PLACEWISE_TOKEN_HEADER);
  if (token === undefined || token === '') throw new WebhookError('placewise', 'missing-token', `the ${PLACEWISE_TOKEN_HEADER} header is missing`);
  // Compared as a header carries it: whitespace at the ends is not sent (a secret read from a
  // file ends with a newline, which fetch trims from the header the sender sends).
  if (!(await sameSecret(asSentInHeader(token), asSentInHeader(secret)))) {
    throw new WebhookError('placewise', 'wrong-token', `the ${PLACEWISE_TOKEN_HEADER} header does not match the secret`);
  }

  // The token is checked before the body is parsed: an unauthenticated body is never read further.
  const payload = parseJson(body);
  return validatePlacewisePayload(payload);
}

/**
 * Validates a notification payload against the spec (v1 when `version` is 1, else v2) and returns
 * it typed; throws a WebhookError with reason `schema` otherwise.
 */
export function validatePlacewisePayload(payload: unknown): PlacewiseWebhookPayload {
  const webhook = PLACEWISE_WEBHOOKS[versionOf(payload)];
  const validate: WebhookValidator = validators[webhook];
  if (validate(payload)) return payload as PlacewiseWebhookPayload;
  const problems: WebhookProblem[] = (validate.errors ?? []).map((e) => {
    const pointer = e.keyword === 'required' ? `${e.instancePath}/${String(e.params.missingProperty)}` : e.instancePath;
    return { pointer, rule: e.keyword, message: e.message ?? 'is invalid' };
  });
  const first = problems[0] ?? { pointer: '', rule: 'unknown', message: 'is invalid' };
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  throw new WebhookError('placewise', 'schema', `payload breaks the ${webhook} schema at ${first.pointer || '(root)'}: ${first.message} (rule ${first.rule})${more}`, { problems });
}

function versionOf(payload: unknown): PlacewiseSchemaVersion {
  return typeof payload === 'object' && payload !== null && (payload as { version?: unknown }).version === 1 ? 1 : 2;
}

async function readInput(input: Request | RawWebhook): Promise<{ headers: WebhookHeaders; body: string | Uint8Array }> {
  if (typeof Request !== 'undefined' && input instanceof Request) {
    if (input.bodyUsed) {
      throw new TypeError('placewise webhook: the Request body was already read; verify the Request before reading its body (or pass { headers, body } with the raw body)');
    }
    return { headers: input.headers, body: await input.text() };
  }
  if (typeof input !== 'object' || input === null || !('headers' in input) || !('body' in input)) {
    throw new TypeError('placewise webhook: pass a Request or { headers, body }');
  }
  const { headers, body } = input;
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    throw new TypeError(`placewise webhook: body must be the raw body (string, Buffer or Uint8Array), got ${body === null ? 'null' : typeof body}; read it before any JSON body parser`);
  }
  return { headers, body };
}

function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    // Node joins repeated headers into an array; a token sent twice is not one token.
    if (Array.isArray(value)) return value.length === 1 ? value[0] : value.join(', ');
    return value;
  }
  return undefined;
}

/**
 * Constant-time comparison: both sides are hashed first, so the compared buffers always have the
 * same length and the time taken says nothing about the secret (not even its length).
 * node:crypto is imported here, not at the top, so that bundling the client for a browser does
 * not pull it in.
 */
async function sameSecret(received: string, secret: string): Promise<boolean> {
  const { createHash, timingSafeEqual } = await import('node:crypto');
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(received), digest(secret));
}

function parseJson(body: string | Uint8Array): unknown {
  let text: string;
  try {
    text = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (cause) {
    throw new WebhookError('placewise', 'not-json', 'the body is not UTF-8 text', { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    throw new WebhookError('placewise', 'not-json', `the body is not JSON (${(cause as Error).message}): ${JSON.stringify(shown)}`, { cause });
  }
}
