import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { MockResponse } from './exchange.js';
import type { Operation } from './prism.js';

export interface Violation {
  operationId: string;
  status: number;
  /** JSON pointer into the response body ('' = the body itself). */
  pointer: string;
  rule: string;
  message: string;
}

type Doc = { paths?: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>> };

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks every answer the mock gives on the vendor's behalf against the vendor's spec (JSON Schema
 * 2020-12 via Ajv): a documented status, a documented media type, a body that validates. What it
 * finds is a mock bug, never the caller's fault.
 */
export function createContract(document: object, vendor: string) {
  const require = createRequire(import.meta.url);
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = require('ajv-formats') as (ajv: InstanceType<typeof Ajv2020>) => void;
  const ajv = new Ajv2020({ allErrors: false, strict: false, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(document, vendor);
  const doc = document as Doc;
  const compiled = new Map<string, ValidateFunction | null>();

  function validator(pointer: string): ValidateFunction {
    let check = compiled.get(pointer);
    if (check === undefined) {
      check = ajv.compile({ $ref: `${vendor}#${pointer}` });
      compiled.set(pointer, check);
    }
    return check!;
  }

  /** `value`: the body before it was serialised, when the engine has it (spares a parse). */
  return function check(operation: Operation, response: MockResponse, value?: unknown): Violation | undefined {
    const operationId = operation.iid ?? operation.id;
    const base = { operationId: String(operationId), status: response.status };
    const responses = doc.paths?.[operation.path]?.[operation.method]?.responses ?? {};
    const statusKey = String(response.status) in responses ? String(response.status) : `${String(response.status)[0]}XX` in responses ? `${String(response.status)[0]}XX` : 'default' in responses ? 'default' : undefined;
    if (!statusKey) return { ...base, pointer: '', rule: 'status', message: `status ${response.status} is not documented for ${operationId}` };
    const content = responses[statusKey]!.content;
    if (!content || Object.keys(content).length === 0) return undefined;
    const mediaType = (response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const declared = Object.keys(content).find((m) => m.toLowerCase() === mediaType);
    if (!declared) return { ...base, pointer: '', rule: 'content-type', message: `content type "${mediaType}" is not documented for ${operationId} ${response.status}` };
    if (!/json/.test(declared) || !(content[declared] as { schema?: unknown }).schema) return undefined;
    let body: unknown = value;
    if (body === undefined) {
      try {
        body = JSON.parse(response.body);
      } catch {
        return { ...base, pointer: '', rule: 'json', message: 'body is not JSON' };
      }
    }
    const check = validator(`/paths/${escape(operation.path)}/${operation.method}/responses/${statusKey}/content/${escape(declared)}/schema`);
    if (check(body)) return undefined;
    const error = check.errors![0]!;
    return { ...base, pointer: pointerOf(error), rule: error.keyword, message: `${pointerOf(error) || '(body)'} ${error.message ?? error.keyword}` };
  };
}

function pointerOf(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const child = params.missingProperty ?? params.additionalProperty;
  return child === undefined ? error.instancePath : `${error.instancePath}/${escape(child)}`;
}
