/** The data every page is built from: one entry per vendor, loaded once by buildSite. */
import { listOperations, listWebhooks, type OpenApiDocument } from '../lib/openapi.js';
import type { VendorInfo } from '../../src/vendors.js';
import type { DecisionSection } from './decisions.js';
import type { PostmanCollection } from './postman.js';

export type Confidence = 'high' | 'medium' | 'low';
export const CONFIDENCE_LEVELS: Confidence[] = ['high', 'medium', 'low'];

export interface SiteVendor {
  info: VendorInfo;
  /** The bundled spec as published (the download), and parsed. */
  specText: string;
  spec: OpenApiDocument;
  /** null when the vendor has no operations (see postman.ts). */
  collection: PostmanCollection | null;
  decisions: DecisionSection;
  /** Every section of docs/decisions.md (the same for every vendor), each with the page showing it: where decision ids link to. */
  sections: readonly DecisionSection[];
}

/** The sections of docs/decisions.md that are no vendor's (the mock, the clients, …), each on a page of its own. */
export function projectSections(site: readonly SiteVendor[]): DecisionSection[] {
  const vendors = new Set(site.map((v) => v.decisions));
  return [...new Set(site.flatMap((v) => v.sections))].filter((section) => !vendors.has(section));
}

export interface OperationProvenance {
  operationId: string;
  summary: string;
  method: string;
  path: string;
  tags: string[];
  confidence: Confidence;
  source: string;
  inferred: string[];
}

/** Every operation with its provenance fields; the build fails on an operation without them. */
export function operationProvenance(vendor: string, spec: OpenApiDocument): OperationProvenance[] {
  return listOperations(spec).map(({ method, path, operation }) => provenanceOf(vendor, method, path, operation));
}

export interface WebhookProvenance extends OperationProvenance {
  /** The key under `webhooks` (what the vendor sends), e.g. memberChangesV2. */
  webhook: string;
  deprecated: boolean;
}

/**
 * Every webhook (OpenAPI 3.1 `webhooks`: requests the vendor sends to the integration) with the
 * same provenance fields as operations; `path` is the webhook's name, since it has no URL.
 */
export function webhookProvenance(vendor: string, spec: OpenApiDocument): WebhookProvenance[] {
  return listWebhooks(spec).map(({ name, method, operation }) => ({ ...provenanceOf(vendor, method, name, operation), webhook: name, deprecated: operation.deprecated === true }));
}

function provenanceOf(vendor: string, method: string, path: string, operation: Record<string, any> & { operationId: string }): OperationProvenance {
  const where = `${vendor} ${operation.operationId}`;
  const confidence = operation['x-confidence'];
  if (!CONFIDENCE_LEVELS.includes(confidence)) throw new Error(`${where}: x-confidence must be one of ${CONFIDENCE_LEVELS.join('|')}`);
  const source = operation['x-source'];
  if (typeof source !== 'string' || !source) throw new Error(`${where}: x-source is missing`);
  const inferred = operation['x-inferred'] ?? [];
  if (!Array.isArray(inferred) || inferred.some((f) => typeof f !== 'string')) throw new Error(`${where}: x-inferred must be a list of strings`);
  return {
    operationId: operation.operationId,
    summary: typeof operation.summary === 'string' ? operation.summary : '',
    method,
    path,
    tags: Array.isArray(operation.tags) ? operation.tags : [],
    confidence,
    source,
    inferred,
  };
}

export interface ProvenanceSummary {
  operations: number;
  /** `x-confidence: high`: request and answer as the vendor states them, only statuses or errors inferred (docs/spec-style.md). */
  stated: number;
  /** `medium` or `low`: partly inferred. */
  partlyInferred: number;
  byConfidence: Record<Confidence, number>;
  /** Number of `x-inferred` entries over all operations. */
  inferredFacts: number;
}

export function summarize(operations: OperationProvenance[]): ProvenanceSummary {
  const byConfidence: Record<Confidence, number> = { high: 0, medium: 0, low: 0 };
  for (const op of operations) byConfidence[op.confidence]++;
  return {
    operations: operations.length,
    stated: byConfidence.high,
    partlyInferred: byConfidence.medium + byConfidence.low,
    byConfidence,
    inferredFacts: operations.reduce((n, op) => n + op.inferred.length, 0),
  };
}

/**
 * Below this many operations a spec is thin whatever their confidence: a handful of calls is not
 * a vendor's API, only the part of it someone has seen.
 */
export const THIN_BELOW = 5;

/**
 * Why a spec is thin, from its own data, for the index (the provenance page gives the counts,
 * the index gave nothing: Imprzd's one low-confidence call read like a finished contract).
 * Undefined for a full spec, and for one with no operations, which the index says already.
 */
export function thinness(summary: ProvenanceSummary): string | undefined {
  const { operations, byConfidence } = summary;
  if (operations === 0) return undefined;
  const few = operations < THIN_BELOW ? `only ${operations} ${operations === 1 ? 'operation' : 'operations'} known` : undefined;
  const allLow = byConfidence.low === operations ? `${operations === 1 ? 'it is' : 'all are'} low confidence` : undefined;
  const reasons = [few, allLow].filter(Boolean);
  return reasons.length ? `thin spec: ${reasons.join(', ')}` : undefined;
}

export interface Origin {
  id: string;
  title: string;
  url?: string;
}

export function origins(spec: OpenApiDocument): Origin[] {
  const list = spec.info['x-origin'] ?? [];
  return list.map((entry, i) => {
    const e = entry as Partial<Origin>;
    if (typeof e.id !== 'string' || typeof e.title !== 'string') throw new Error(`info.x-origin[${i}] needs an id and a title`);
    return { id: e.id, title: e.title, url: typeof e.url === 'string' ? e.url : undefined };
  });
}
