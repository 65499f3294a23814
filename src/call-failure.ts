/** What a call's failure becomes for its caller: a TimeoutError, a RequestError naming the call, or a ConfigError naming the caller's mistake. */
import type { CallAbort } from './call-abort.js';
import { ConfigError, RequestError, TimeoutError } from './errors.js';
import { maskedError } from './masked-error.js';
import { noAnswerCause } from './no-answer.js';

/**
 * A call's failure as the caller sees it: when the call's own deadline aborted it (and not the
 * caller), a TimeoutError, whatever fetch or the body stream made of the abort.
 */
export function asTimeout(error: unknown, abort: CallAbort, caller: AbortSignal | undefined): unknown {
  const reason: unknown = abort.reason;
  if (!abort.aborted || !(reason instanceof TimeoutError) || caller?.aborted) return error;
  return error === reason ? error : new TimeoutError(reason.vendor, reason.operation, reason.timeoutMs, { cause: error });
}

// openapi-fetch's own messages, whole: a caller's error that only starts like one is the caller's.
const MIDDLEWARE_REFUSAL = /^(onRequest|onResponse|onError): (must return new Request\(\) or Response\(\) when modifying the request|must return new Response\(\) when modifying the response|must return new Response\(\) or instance of Error)$/;

// V8's JSON.parse quotes the body around the fault (`Unexpected token 'p', "plw-Live-T"... is not
// valid JSON`; past the start, `..."…"...`), the whole of a short one: the start of a secret the vendor echoed, which no mask
// of whole secrets finds. Greedy, so a body holding the phrase is taken whole; not anchored, for
// the error's stack holds the message too. The token may be a line separator (U+2028, U+2029),
// which `.` does not match: the body it starts would be quoted as it came.
const QUOTED_BODY = /Unexpected token '([\s\S]+?)', (?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON/u;

/** V8's message with the body it quoted replaced by the kind of character it stopped at. */
function unquoted(text: string): string {
  return text.replace(QUOTED_BODY, (_, token: string) => `Unexpected ${kindOf(token)} where JSON was expected (the body is not quoted: it may hold a credential)`);
}

function kindOf(character: string): string {
  if (/^\p{L}$/u.test(character)) return 'letter';
  if (/^\p{N}$/u.test(character)) return 'digit';
  // V8 names half of a character past U+FFFF, a surrogate, which is no control character.
  if (/^\p{Cs}$/u.test(character)) return 'emoji or other character past U+FFFF';
  if (/^[\p{C}\s]$/u.test(character)) return 'control or space character';
  // What the body's decoding put in place of bytes that are not UTF-8 (an image read as JSON): quoted, it names a character that was never sent.
  if (character === '\uFFFD') return 'byte that is not UTF-8 (binary data, or text in another charset)';
  return `'${character}'`;
}

/**
 * Whether decoding a body failed for its length: Node's error for a string past V8's limit (0x1fffffe8
 * characters), or another engine's RangeError. It reached the caller bare, naming no call.
 */
export const isTooLongForText = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === 'ERR_STRING_TOO_LONG' || (error instanceof RangeError && /string length|string longer/i.test(error.message));

/**
 * The errors fetch and openapi-fetch throw when no usable answer came, as a RequestError naming
 * the call: undici's "fetch failed" (refused, reset, not HTTP) and "terminated" (cut mid-body),
 * the SyntaxError of a success body that is not JSON, and a body too long to be one string. Anything else (a caller's middleware
 * failing, an abort) is passed on as it is. What undici's error holds (a redirect's URL, with
 * Footprints' token in its query) reaches the RequestError masked.
 */
export function asRequestError(error: unknown, vendor: string, operation: string, mask: (text: string) => string): unknown {
  // openapi-fetch refuses what a caller's middleware returned with a plain Error: it is the
  // caller's mistake, a ConfigError naming the hook, as a bad `fetch` option's is.
  const refused = error instanceof Error && error.constructor === Error ? MIDDLEWARE_REFUSAL.exec(error.message) : null;
  if (refused) return new ConfigError(vendor, `middleware ${refused[1]}`, refused[2]!, { cause: error });
  if (error instanceof SyntaxError) {
    // Said of any vendor's operation: which one documents what is not known here.
    const hint = "an operation documented to answer another type (an image, a file, plain text) is read with parseAs: 'blob', 'arrayBuffer', 'text' or 'stream'";
    const shown = (text: string) => mask(unquoted(text));
    const masked = maskedError(error, shown, (message) => new SyntaxError(message));
    return new RequestError(vendor, operation, `answered with a body that is not JSON: ${shown(error.message)} (${hint})`, { cause: masked });
  }
  if (isTooLongForText(error)) {
    return new RequestError(vendor, operation, `answered with a body too long to read as text or JSON (past the longest string the runtime makes, about 512 MiB): read it with parseAs: 'stream', 'arrayBuffer' or 'blob'`, { cause: error });
  }
  if (!(error instanceof TypeError) || !(error.message === 'fetch failed' || error.message === 'terminated')) return error;
  const why = noAnswerCause(error, mask) ?? mask(error.message);
  const masked = maskedError(error, mask, (message) => new TypeError(message));
  return new RequestError(vendor, operation, error.message === 'terminated' ? `was cut off while its answer arrived: ${why}` : `got no answer: ${why}`, { cause: masked });
}
