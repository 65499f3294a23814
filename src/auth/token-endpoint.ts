import type { Middleware } from 'openapi-fetch';
import { asRequestError } from '../call-failure.js';
import { ConfigError, ContractViolationError, RequestError, TokenError } from '../errors.js';
import { letGo } from '../let-go.js';
import { kindOf } from '../options.js';
import { createCredentialMask, maskTokenLike, notShownWhole, SHOWN_WHOLE_UP_TO, tokenLikeMasked, TOO_DEEP_TO_SHOW } from '../record/har.js';
import type { CommonOptions } from '../client.js';
import { TOKEN_REQUEST_TIMEOUT_MS, type IssuedToken } from './token-cache.js';

/** What an openapi-fetch call with `parseAs: 'text'` returns; a token client's guard in 'throw' mode adds the answer's break. */
interface TokenAnswer {
  data?: unknown;
  error?: unknown;
  response: Response;
  violation?: ContractViolationError;
}

export interface TokenRequest {
  vendor: string;
  /**
   * Sends the token request; it must use `parseAs: 'text'` so a garbage body is read, not thrown,
   * through a client with `tokenAnswerStatus`, so a body cut off keeps its status.
   */
  send: () => Promise<TokenAnswer>;
  /** The shared token request's signal: an abort is passed on as it is, never as a TokenError. */
  signal: AbortSignal;
  /** Fields that may carry the token, first present wins (Perx merchant-user tokens use `bearer_token`). */
  fields?: readonly string[];
  /** The credentials the request carries, masked wherever an answer echoes them. */
  secrets?: string[];
}

// Past SHOWN_WHOLE_UP_TO, text is shown by its start (`startOf`); JSON is not shown, as a part of
// it cannot be masked as the whole would be (a credential it names elsewhere, in a list, or deeper
// than a copy reaches).
/** How far a secret's written forms may reach past a cut: masked that far, then cut. */
const MASK_REACH = 8000;

/**
 * The first 500 characters of a text, masked: masked first, as far as any secret's written forms
 * reach past the cut (cut first, a secret across the cut was shown in part), not whole. Masking
 * shortens a text, so what it shows can come from near the cut: it is shown once masking more of
 * the text no longer changes it (a secret across the cut would), up to SHOWN_WHOLE_UP_TO.
 */
function startOf(text: string, mask: (text: string) => string): string {
  for (let reach = MASK_REACH; ; reach *= 2) {
    const shown = mask(text.slice(0, 500 + reach)).slice(0, 500);
    if (500 + reach >= text.length || mask(text.slice(0, 500 + 2 * reach)).slice(0, 500) === shown) return shown;
    if (reach >= SHOWN_WHOLE_UP_TO) return `(an answer of ${text.length} characters whose start masking changes as far as it reaches: not shown)`;
  }
}

/**
 * A parsed body as an error shows it, masked, or not at all when long (SHOWN_WHOLE_UP_TO). JSON.parse
 * takes nesting that JSON.stringify cannot write back (thousands of levels): such a body is not
 * shown either, and the error says so.
 */
function shownJson(body: unknown, shown: (text: string) => string): unknown {
  let written: string;
  try {
    written = JSON.stringify(body);
  } catch {
    return TOO_DEEP_TO_SHOW;
  }
  return written.length > SHOWN_WHOLE_UP_TO ? notShownWhole('a JSON answer', written.length) : JSON.parse(shown(written));
}

/** A token answer whose body stopped coming after its headers: the status that came, and undici's error as cause. */
class CutOffAnswer extends Error {
  constructor(
    readonly status: number,
    readonly operation: string,
    cause: unknown,
  ) {
    super(`${operation} answered ${status}, then its body was cut off`, { cause });
  }
}

/** A token answer longer than TOKEN_ANSWER_MAX_BYTES: the status that came; the rest was not read. */
class TooLongAnswer extends Error {
  constructor(
    readonly status: number,
    readonly operation: string,
  ) {
    super(`${operation} answered more than ${TOKEN_ANSWER_MAX_BYTES} bytes`);
  }
}

/**
 * The most of a token answer read, in bytes as they arrive (after decompression). A token answer
 * is a few hundred bytes and a refusal page a few kilobytes, and an error shows at most its first
 * 500 characters; read whole, an endpoint that streamed on held the call's memory until its
 * deadline (3.5 GB in the default 30 s), and a 700 kB gzip answer became 700 MB in 3 s.
 */
export const TOKEN_ANSWER_MAX_BYTES = 1024 * 1024;

/**
 * A body's chunks: a WHATWG stream's through its reader (browsers do not all iterate one), a
 * Response-like answer's Node stream (node-fetch's) as the async iterable it is; undefined for a
 * body with neither (a test double holding its text alone). Left early, either lets its body go.
 */
function chunksOf(body: unknown): AsyncIterable<Uint8Array | string> | undefined {
  const stream = body as { getReader?: () => ReadableStreamDefaultReader<Uint8Array>; [Symbol.asyncIterator]?: unknown } | null | undefined;
  if (typeof stream?.getReader === 'function') {
    const reader = stream.getReader();
    return (async function* () {
      try {
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) yield chunk.value;
      } finally {
        reader.releaseLock();
      }
    })();
  }
  if (typeof stream?.[Symbol.asyncIterator] === 'function') return stream as AsyncIterable<Uint8Array | string>;
  return undefined;
}

/** Whether a text is more than TOKEN_ANSWER_MAX_BYTES in UTF-8; encoded only where its length leaves it in doubt (a unit is 1 to 3 bytes). */
const overBound = (text: string) => text.length > TOKEN_ANSWER_MAX_BYTES || (text.length * 3 > TOKEN_ANSWER_MAX_BYTES && new TextEncoder().encode(text).byteLength > TOKEN_ANSWER_MAX_BYTES);

/**
 * The answer's text, read up to TOKEN_ANSWER_MAX_BYTES. One with no body stream (whatwg-fetch's,
 * so cross-fetch's and isomorphic-fetch's in a browser and React Native's: built once the XHR had
 * the whole answer) is read by its own `text()`: its fetch held it all before the client could
 * stop it, but it is held to the same bound, so one answer is taken or refused whatever fetched it.
 */
async function boundedText(response: Response, read: () => Promise<string>, operation: string): Promise<string> {
  const chunks = chunksOf(response.body);
  if (!chunks) {
    const text = await read.call(response);
    if (overBound(text)) throw new TooLongAnswer(response.status, operation);
    return text;
  }
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let text = '';
  let size = 0;
  for await (const chunk of chunks) {
    // A Node stream may give text (one made with Readable.from): counted as the bytes it is.
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    size += bytes.byteLength;
    // Out of the loop first: a WHATWG body is cancelled only once its reader lets go of it.
    if (size > TOKEN_ANSWER_MAX_BYTES) break;
    text += decoder.decode(bytes, { stream: true });
  }
  if (size <= TOKEN_ANSWER_MAX_BYTES) return text + decoder.decode();
  // The rest is let go, connection and recording with it.
  await letGo(response);
  throw new TooLongAnswer(response.status, operation);
}

/**
 * The token clients' middleware. openapi-fetch reads an answer's body where only it holds the
 * answer: a body cut off after its headers (undici's "terminated") reached requestToken as a
 * RequestError with no status, a TokenError of status 0. Read through this, the failure keeps
 * the status that came, and no more than TOKEN_ANSWER_MAX_BYTES is read. Token requests only: no
 * call pays for it.
 */
export const tokenAnswerStatus: Middleware = {
  onResponse({ request, response, schemaPath }) {
    const read = response.text;
    const operation = `${request.method} ${schemaPath}`;
    const keep = (error: unknown) => {
      throw error instanceof TypeError && error.message === 'terminated' ? new CutOffAnswer(response.status, operation, error) : error;
    };
    try {
      response.text = () => boundedText(response, read, operation).catch(keep);
    } catch {
      // An answer that cannot take a property (a frozen test double): a cut body is status 0, as before.
    }
    return undefined;
  },
};

/**
 * A token client's options: the calls' own, with no deadline of its own (a token request lives as
 * long as a call waits for it). Its guard, on with the calls', judges the text openapi-fetch read
 * through tokenAnswerStatus (`parseAs: 'text'`), so a cut answer keeps its status and the bound holds.
 */
export const tokenClientOptions = <T extends CommonOptions>(options: T): T => ({ ...options, timeoutMs: TOKEN_REQUEST_TIMEOUT_MS });

/**
 * Asks a token endpoint for a token and reads its answer. Every way this fails is a TokenError
 * with the vendor's status and body where there is one and the original error as `cause`:
 * a refusal (non-2xx), a body that is not JSON, JSON without the token, a network error.
 */
export async function requestToken({ vendor, send, signal, fields = ['access_token'], secrets = [] }: TokenRequest): Promise<IssuedToken> {
  let answer: TokenAnswer;
  try {
    answer = await send();
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    // The caller's mistake (a fetch option that answers no Response), not the vendor's: named as such.
    if (error instanceof ConfigError) throw error;
    if (error instanceof CutOffAnswer) {
      // Named and masked as a call's cut body is; the part that came (a token's start) is not shown.
      const cause = asRequestError(error.cause, vendor, error.operation, createCredentialMask(secrets).text);
      throw new TokenError(vendor, error.status, undefined, `token request failed: ${error.operation} answered, but its body was cut off before it ended`, { cause });
    }
    if (error instanceof TooLongAnswer) {
      throw new TokenError(vendor, error.status, undefined, `token request failed: ${error.operation} answered more than ${TOKEN_ANSWER_MAX_BYTES / 1024 / 1024} MiB, which no token answer needs; the rest was not read`);
    }
    // A fetch option may reject with text, or an object that is no error: said, not "undefined".
    const why = error instanceof RequestError ? `${error.operation} ${error.detail}` : typeof error === 'string' ? error : typeof (error as Error)?.message === 'string' ? (error as Error).message : `the fetch option rejected with ${kindOf(error)}, not an error`;
    throw new TokenError(vendor, 0, undefined, `token request failed: ${why}`, { cause: error });
  }
  const { data, error, response } = answer;
  // What the error carries is masked as a recording is: a refusal that echoes the request, or an
  // answer that hides its token under another name (`{"data":{"access_token":…}}`), must not put
  // a live credential into the caller's logs.
  const type = response.headers.get('content-type') ?? '';
  const shown = (text: string) => createCredentialMask(secrets).body(text, type, 'answer');
  if (!response.ok || error !== undefined) {
    // Long text that is JSON-shaped is not cut either: a part of it is not masked as the whole would be.
    const longText = (text: string) => (/json/i.test(type) || /^\s*[[{]/.test(text) ? notShownWhole('a JSON answer', text.length) : startOf(text, shown));
    const masked = typeof error === 'string' ? (error.length > SHOWN_WHOLE_UP_TO ? longText(error) : shown(error)) : error === undefined ? undefined : shownJson(error, shown);
    throw new TokenError(vendor, response.status, masked);
  }
  const text = typeof data === 'string' ? data : '';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (parseError) {
    // JSON.parse's message quotes the start of the text, which may be the token itself: the cause
    // says what failed, and the masked start of the answer is the error's body.
    const cause = new SyntaxError(`the token response is not JSON (${(parseError as Error).name}; its start is the error's body, masked)`);
    // A success answer that is not JSON may be the token as text (`eyJ…`): what could be one is masked too.
    throw new TokenError(vendor, response.status, startOf(text, (start) => maskTokenLike(shown(start))), 'token response is not JSON', { cause });
  }
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const field = fields.find((f) => typeof record[f] === 'string' && record[f].trim() !== '');
  if (!field) throw new TokenError(vendor, response.status, tokenLikeMasked(shownJson(body, shown)), `token response has no ${fields.join(' or ')}`);
  // fetch refuses such a header value, and its error would quote the token.
  if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(record[field] as string)) {
    throw new TokenError(vendor, response.status, undefined, `token response's ${field} cannot be sent in a header (it holds a line break, a control character or a character outside Latin-1)`);
  }
  // A token that came in an answer outside its contract fails the call in 'throw' mode, as any answer does.
  if (answer.violation) throw answer.violation;
  const expiresIn = typeof record.expires_in === 'number' ? record.expires_in : undefined;
  return { accessToken: record[field] as string, expiresIn };
}
