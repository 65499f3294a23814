import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listOperations, type OpenApiDocument, type OperationRef } from '../../scripts/lib/openapi.js';
import { root } from '../../scripts/lib/vendors.js';
import { vendors, type VendorInfo } from '../../src/vendors.js';

export type { OperationRef };

export interface LoadedSpec {
  vendor: VendorInfo;
  doc: OpenApiDocument;
  operations: OperationRef[];
}

export function loadSpec(vendor: VendorInfo): LoadedSpec {
  const doc = JSON.parse(readFileSync(join(root, vendor.bundle), 'utf8')) as OpenApiDocument;
  return { vendor, doc, operations: listOperations(doc) };
}

export function loadSpecs(): LoadedSpec[] {
  return vendors.map(loadSpec);
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerTo(...segments: string[]): string {
  return `#/${segments.map(escapePointer).join('/')}`;
}

function valueAt(doc: unknown, pointer: string): any {
  const segments = pointer.replace(/^#\/?/, '').split('/').filter(Boolean);
  return segments.reduce<any>(
    (node, segment) => node?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')],
    doc,
  );
}

/**
 * The object at `pointer`, following `$ref`s; also the pointer it finally lives at, so schemas
 * beneath it can be compiled by reference (their own `$ref`s are relative to the document).
 */
export function resolve<T = any>(doc: OpenApiDocument, pointer: string): { value: T; pointer: string } {
  let value = valueAt(doc, pointer);
  const seen = new Set<string>();
  while (value && typeof value === 'object' && typeof value.$ref === 'string') {
    if (seen.has(value.$ref)) throw new Error(`circular $ref at ${value.$ref}`);
    seen.add(value.$ref);
    pointer = value.$ref;
    value = valueAt(doc, pointer);
  }
  if (value === undefined) throw new Error(`nothing at ${pointer}`);
  return { value, pointer };
}

/** Follows `$ref`s on an inline object (parameters, examples). */
export function deref<T = any>(doc: OpenApiDocument, value: any): T {
  return value && typeof value === 'object' && typeof value.$ref === 'string' ? resolve<T>(doc, value.$ref).value : value;
}

export function operationPointer(op: OperationRef): string {
  return pointerTo('paths', op.path, op.method);
}
