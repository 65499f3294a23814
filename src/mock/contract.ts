import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { mediaTypeOf, statusKeys } from '../guard/documented.js';
import { schemaProblem } from '../guard/schema-problem.js';
import { judgeHeaders, judgeResponse, type ContractViolation, type DocumentedHeader } from '../guard/violation.js';
import type { MockResponse } from './exchange.js';
import type { Operation } from './prism.js';
import { describeRules } from './described-rules.js';
import { escapeToken, getAt, resolvedPointer } from './state/pointer.js';

export type Violation = ContractViolation;

type ResponseDoc = { $ref?: string; content?: Record<string, { schema?: unknown }>; headers?: Record<string, unknown> };
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
  const ajv = describeRules(new Ajv2020({ allErrors: false, strict: false, validateSchema: false }));
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
 * A documented response's headers (the response at pointer `at`, without `#`), each with the
 * pointer of its schema (through a shared header's `$ref`); the contract suite reads them too.
 */
export function documentedHeaders(document: object, at: string): Record<string, DocumentedHeader<string>> {
  const headers = ((getAt(document, at) ?? {}) as ResponseDoc).headers ?? {};
  return Object.fromEntries(
    Object.keys(headers).map((name) => {
      const headerAt = resolvedPointer(document, `${at}/headers/${escapeToken(name)}`);
      const header = (getAt(document, headerAt) ?? {}) as { schema?: unknown; required?: unknown };
      const schemaAt = header.schema === undefined ? undefined : resolvedPointer(document, `${headerAt}/schema`);
      const type = schemaAt === undefined ? undefined : (getAt(document, schemaAt) as { type?: unknown } | undefined)?.type;
      return [name, { schema: schemaAt ?? null, types: [type ?? []].flat().map(String), required: header.required === true }];
    }),
  );
}

/**
 * Checks every answer the mock gives on the vendor's behalf against the vendor's spec, judged
 * as the clients' guard and the drift report judge a vendor (`judgeResponse`, `judgeHeaders`): a
 * documented status, a documented media type, a body that validates, documented headers that
 * validate. What it finds is a mock bug, never the caller's fault.
 */
export function createContract(document: object, vendor: string, validator = schemaValidators(document, vendor)) {
  const doc = document as Doc;

  return function check(operation: Operation, response: MockResponse): Violation | undefined {
    const responses = doc.paths?.[operation.path]?.[operation.method]?.responses ?? {};
    const base = `/paths/${escapeToken(operation.path)}/${operation.method}/responses`;
    const validate = (pointer: string, value: unknown) => {
      const valid = validator(pointer);
      return valid(value) ? [] : (valid.errors ?? []).map(schemaProblem);
    };
    // The documented response for the answer's status, found once for body and headers (judgeResponse
    // asks for no other status). A shared one (`$ref: '#/components/responses/NotFound'`) is judged where it lives.
    const key = statusKeys(response.status).find((k) => k in responses);
    const at = key === undefined ? undefined : resolvedPointer(document, `${base}/${key}`);
    const judged = judgeResponse(
      (status) => {
        if (status !== response.status || at === undefined) return undefined;
        const documented = (getAt(document, at) ?? {}) as ResponseDoc;
        // Each documented media type → the pointer of its schema (validated lazily), or null.
        return Object.fromEntries(Object.entries(documented.content ?? {}).map(([media, c]) => [media, c.schema === undefined ? null : `${at}/content/${escapeToken(media)}/schema`]));
      },
      { status: response.status, contentType: mediaTypeOf(response.headers['content-type'] ?? null), text: typeof response.body === 'string' ? response.body : Buffer.from(response.body).toString('latin1') },
      validate,
    );
    const sent = new Map(Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), value]));
    const headers = at === undefined ? [] : judgeHeaders(documentedHeaders(document, at), (name) => sent.get(name.toLowerCase()) ?? null, validate);
    const finding = judged.findings[0] ?? headers[0];
    if (!finding) return undefined;
    return { vendor, operationId: String(operation.iid ?? operation.id), method: operation.method.toUpperCase(), path: operation.path, status: response.status, ...finding };
  };
}
