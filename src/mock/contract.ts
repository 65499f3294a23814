import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { judgeResponse, mediaTypeOf, schemaProblem, statusKeys, type ContractViolation } from '../guard/violation.js';
import type { MockResponse } from './exchange.js';
import type { Operation } from './prism.js';
import { escapeToken, getAt, resolvedPointer } from './state/pointer.js';

export type Violation = ContractViolation;

type ResponseDoc = { $ref?: string; content?: Record<string, { schema?: unknown }> };
type Doc = { paths?: Record<string, Record<string, { responses?: Record<string, ResponseDoc> }>> };


/**
 * Validators for the schemas of a bundled spec, by JSON pointer, each compiled on first use (Ajv,
 * JSON Schema 2020-12). `asPrism`: formats judged as Prism judges a request's (its `date-time`
 * takes ISO 8601 offsets up to ±24:00, which RFC 3339's refuses), for a check that must agree
 * with Prism's (body-check.ts).
 */
export function schemaValidators(document: object, vendor: string, { asPrism = false } = {}): (pointer: string) => ValidateFunction {
  const require = createRequire(import.meta.url);
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = require('ajv-formats') as (ajv: InstanceType<typeof Ajv2020>) => void;
  const ajv = new Ajv2020({ allErrors: false, strict: false, validateSchema: false });
  addFormats(ajv);
  if (asPrism) {
    const prism = require('@stoplight/prism-http/dist/validator/validators/dateTime.js') as { date_time: (text: string) => boolean };
    ajv.addFormat('date-time', prism.date_time);
  }
  ajv.addSchema(document, vendor);
  const compiled = new Map<string, ValidateFunction>();
  return (pointer) => {
    let check = compiled.get(pointer);
    if (!check) compiled.set(pointer, (check = ajv.compile({ $ref: `${vendor}#${pointer}` })));
    return check;
  };
}

/**
 * Checks every answer the mock gives on the vendor's behalf against the vendor's spec, judged
 * as the clients' guard and the drift report judge a vendor (`judgeResponse`): a documented
 * status, a documented media type, a body that validates. What it finds is a mock bug, never
 * the caller's fault.
 */
export function createContract(document: object, vendor: string, validator = schemaValidators(document, vendor)) {
  const doc = document as Doc;

  return function check(operation: Operation, response: MockResponse): Violation | undefined {
    const responses = doc.paths?.[operation.path]?.[operation.method]?.responses ?? {};
    const base = `/paths/${escapeToken(operation.path)}/${operation.method}/responses`;
    const judged = judgeResponse(
      (status) => {
        const key = statusKeys(status).find((k) => k in responses);
        if (key === undefined) return undefined;
        // A shared response (`$ref: '#/components/responses/NotFound'`) is judged where it lives.
        const at = resolvedPointer(document, `${base}/${key}`);
        const documented = (getAt(document, at) ?? {}) as ResponseDoc;
        // Each documented media type → the pointer of its schema (validated lazily), or null.
        return Object.fromEntries(Object.entries(documented.content ?? {}).map(([media, c]) => [media, c.schema === undefined ? null : `${at}/content/${escapeToken(media)}/schema`]));
      },
      { status: response.status, contentType: mediaTypeOf(response.headers['content-type'] ?? null), text: typeof response.body === 'string' ? response.body : Buffer.from(response.body).toString('latin1') },
      (pointer, value) => {
        const valid = validator(pointer);
        return valid(value) ? [] : (valid.errors ?? []).map(schemaProblem);
      },
    );
    const finding = judged.findings[0];
    if (!finding) return undefined;
    return { vendor, operationId: String(operation.iid ?? operation.id), method: operation.method.toUpperCase(), path: operation.path, status: response.status, ...finding };
  };
}
