import type { SchemaError } from './schema-problem.js';

/** A validator as Ajv's standalone output writes it: returns validity, leaves errors on itself. */
export interface StandaloneValidator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

/**
 * What `generated/<vendor>/validators.js` exports (written by scripts/build/response-validators.ts):
 * per `METHOD /path`, the operationId and each documented response key (`200`, `4XX`,
 * `default`) with its media types and their compiled schema validator (null: not a JSON schema).
 */
export type OperationTable = Record<string, readonly [operationId: string, responses: Record<string, Record<string, StandaloneValidator | null>>]>;

export interface ValidatorModule {
  operations: OperationTable;
}

/**
 * The schema errors of one answer the guard judges, in the validator's order: a 3.3 MB page of
 * 200,000 broken items was judged (each error named and folded) for seconds on the caller's event
 * loop, past its deadline. The generated validators stop there too, where that changes no verdict.
 */
export const JUDGED_ERRORS = 100;
