/** Why an incoming (or outgoing) webhook was refused. */
export type WebhookErrorReason = 'missing-token' | 'wrong-token' | 'too-large' | 'not-json' | 'schema';

/** One schema rule the payload breaks. */
export interface WebhookProblem {
  /** JSON pointer into the payload ('' for the root). */
  pointer: string;
  /** The JSON Schema keyword that failed: required, type, enum, const, format, … */
  rule: string;
  message: string;
}

/**
 * A webhook was refused. `reason` says which check failed; `status` is the HTTP status a receiver
 * should answer with (any 4xx makes the vendor drop the notification instead of retrying it).
 * For `schema`, `problems` lists the broken rules, the first 100 of them, and the message names the first.
 */
export class WebhookError extends Error {
  readonly vendor: string;
  readonly reason: WebhookErrorReason;
  readonly status: 400 | 401 | 413;
  readonly problems: WebhookProblem[];
  constructor(vendor: string, reason: WebhookErrorReason, detail: string, options: { problems?: WebhookProblem[]; cause?: unknown } = {}) {
    super(`${vendor} webhook refused (${reason}): ${detail}`, { cause: options.cause });
    this.name = 'WebhookError';
    this.vendor = vendor;
    this.reason = reason;
    this.status = reason === 'missing-token' || reason === 'wrong-token' ? 401 : reason === 'too-large' ? 413 : 400;
    this.problems = options.problems ?? [];
  }
}
