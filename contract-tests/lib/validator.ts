import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { branchErrors } from '../../scripts/lib/branch-errors.js';
import { linearErrors } from '../../scripts/lib/linear-errors.js';
import type { OpenApiDocument } from '../../scripts/lib/openapi.js';
import { schemaProblem, type SchemaProblem } from '../../src/guard/schema-problem.js';
import { describeRules } from '../../src/mock/described-rules.js';

export type { SchemaProblem };

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => void }).default;

/** Validates values against schemas inside one OpenAPI 3.1 document (JSON Schema 2020-12). */
export function createValidator(doc: OpenApiDocument, id: string, options: { coerceTypes?: boolean } = {}) {
  // coerceTypes is for form bodies, whose fields are all strings on the wire ("5" for an integer).
  const ajv = describeRules(new Ajv2020({ allErrors: true, strict: false, validateSchema: false, coerceTypes: options.coerceTypes ?? false, code: { process: (code) => branchErrors(linearErrors(code)) } }));
  addFormats(ajv);
  ajv.addSchema(doc as object, id);
  const compiled = new Map<string, ValidateFunction>();

  return function validate(schemaPointer: string, value: unknown): SchemaProblem[] {
    let check = compiled.get(schemaPointer);
    if (!check) {
      check = ajv.compile({ $ref: `${id}${schemaPointer}` });
      compiled.set(schemaPointer, check);
    }
    if (check(value)) return [];
    return (check.errors ?? []).map(schemaProblem);
  };
}
