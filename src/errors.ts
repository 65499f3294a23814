import type { ContractViolation } from './guard/violation.js';

/** A client was created with an option that is missing or breaks a rule. */
export class ConfigError extends TypeError {
  /** The vendor whose client or call was given the option (`perx`). */
  readonly vendor: string;
  readonly option: string;
  readonly rule: string;
  constructor(vendor: string, option: string, rule: string, options?: ErrorOptions) {
    super(`${vendor}: option "${option}" ${rule}`, options);
    this.name = 'ConfigError';
    this.vendor = vendor;
    this.option = option;
    this.rule = rule;
  }
}

/**
 * A token could not be had: the vendor refused (non-2xx), answered with something unusable (not
 * JSON, no token field), or could not be reached. `status` is 0 when no answer arrived; the
 * underlying error (network failure, JSON parse error) is the `cause`.
 */
export class TokenError extends Error {
  /** The vendor whose token endpoint failed (`perx`): one handler may catch several vendors' errors. */
  readonly vendor: string;
  readonly status: number;
  readonly body: unknown;
  constructor(vendor: string, status: number, body: unknown, detail = 'token request failed', options?: { cause?: unknown }) {
    super(`${vendor}: ${detail}${status ? ` (HTTP ${status})` : ''}`, options);
    this.name = 'TokenError';
    this.vendor = vendor;
    this.status = status;
    this.body = body;
  }
}

/** A call (with any token request made for it, and its retries) took longer than `timeoutMs`. */
export class TimeoutError extends Error {
  readonly vendor: string;
  /** `METHOD /spec/path`, e.g. `GET /v4/rewards`. */
  readonly operation: string;
  readonly timeoutMs: number;
  constructor(vendor: string, operation: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(`${vendor}: ${operation} timed out after ${timeoutMs} ms`, options);
    this.name = 'TimeoutError';
    this.vendor = vendor;
    this.operation = operation;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A call got no answer it could use: the connection failed or was cut (`detail` says which; a
 * RequestError has no `status`), or a success answer's body could not be read as asked (`parseAs`,
 * JSON by default: an HTML error page with a 200). The underlying error (undici's "fetch failed",
 * a SyntaxError) is the `cause`.
 */
export class RequestError extends Error {
  /** The vendor the call was made to (`perx`). */
  readonly vendor: string;
  /** `METHOD /spec/path`, e.g. `GET /v4/rewards`. */
  readonly operation: string;
  /** What went wrong, after the operation (`got no answer: connect ECONNREFUSED 127.0.0.1:443`). */
  readonly detail: string;
  constructor(vendor: string, operation: string, detail: string, options?: { cause?: unknown }) {
    super(`${vendor}: ${operation} ${detail}`, options);
    this.name = 'RequestError';
    this.vendor = vendor;
    this.operation = operation;
    this.detail = detail;
  }
}

/** In `validate: 'throw'` mode: the vendor answered outside its contract. */
export class ContractViolationError extends Error {
  readonly violations: ContractViolation[];
  readonly status: number;
  /** The body as received: parsed JSON, or the text when it is not JSON. */
  readonly body: unknown;
  /**
   * The response as the caller would have got it. Not enumerable, so that logging the error
   * (console.error, a JSON logger) does not print its URL, where Footprints carries its token.
   */
  declare readonly response: Response;
  constructor(violations: ContractViolation[], body: unknown, response: Response) {
    const [first] = violations;
    const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
    super(`${first!.vendor}: ${first!.operationId} answered outside its contract: ${first!.message}${more}`);
    this.name = 'ContractViolationError';
    this.violations = violations;
    this.status = response.status;
    this.body = body;
    Object.defineProperty(this, 'response', { value: response, enumerable: false });
  }
}
