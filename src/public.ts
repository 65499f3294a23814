// What every vendor entry point exports besides its factory: the errors a call can throw, the
// contract-guard violation shape and the HAR recorder (one definition, re-exported per vendor).
export { ConfigError, ContractViolationError, RequestError, TimeoutError, TokenError } from './errors.js';
export type { ContractViolation } from './guard/violation.js';
export { createHarRecorder, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_KEPT_BYTES, type HarEntry, type HarRecorder, type HarRecorderOptions, type RecordEntry } from './record/har.js';
// Middleware too: the README documents use() and a call's `middleware`, and under a strict installer openapi-fetch cannot be imported.
export type { CommonOptions, Middleware, RetryOptions } from './client.js';
