// The logic lives in the runtime (the clients' `retry` option uses it too); the harness reuses it.
export { honourRetryAfter, retryAfterSeconds, retryRulesOf, type RetryAfterOptions } from '../../src/retry.js';
