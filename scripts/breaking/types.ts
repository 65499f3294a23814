/**
 * The vocabulary of the breaking-change check: what a rule sees and what it reports.
 *
 * Direction is about who writes the data and who reads it, seen from the package's consumer:
 * - `write`: the consumer writes, the vendor reads (requests to the vendor's paths, and what a
 *   consumer's webhook handler answers to the vendor);
 * - `read`: the vendor writes, the consumer reads (responses of the vendor's paths, and webhook
 *   payloads, which are requests the vendor sends to the consumer).
 * A change that makes data "stricter" breaks writers; one that makes it "looser" breaks readers.
 */

export type Direction = 'write' | 'read';

/** `breaking` fails the gate; `warning` is reported for a human to judge; `info` is listed only. */
export type Severity = 'breaking' | 'warning' | 'info';

// Schemas and documents are plain JSON here: the check runs on the bundles, whatever their shape.
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** What a rule says about one place in the spec. */
export interface Finding {
  rule: string;
  severity: Severity;
  /** Consumer words: what changed and what it does to their code. */
  message: string;
}

/** A finding placed in its vendor, operation and field. */
export interface Change extends Finding {
  vendor: string;
  /** `GET /v4/rewards (listRewards)`, `webhook memberChanged POST`, or `the whole API`. */
  operation: string;
  /** `request body field data.name`, `query parameter page`, …; empty for operation-level changes. */
  where: string;
  /** Of a declaration changed in the type surface: the members whose old line went or changed, and those newly required (what a change file must name besides the export). */
  members?: string[];
}

/** Where a schema sits, for the rules that need to phrase a message or pick a verdict. */
export interface SchemaContext {
  direction: Direction;
  /** Dotted field path inside the body or parameter (`data[].id`); '' for the root. */
  path: string;
  /** Who a break hurts, in words: `callers`, `code that reads the response`, `webhook handlers`. */
  whom: string;
  /** Both documents, for rules that follow references. */
  docs: DocumentPair;
}

/** A rule on one pair of schema nodes (refs resolved, allOf merged). */
export interface SchemaRule {
  id: string;
  /** Rules that look at oneOf/anyOf themselves; the others skip a composed pair (its alternatives are compared one by one). */
  onAlternatives?: boolean;
  /** Rules that read a keyword either kind of pair may hold (a discriminator sits on a oneOf, or on an allOf base schema). */
  onEveryPair?: boolean;
  check(before: JsonObject, after: JsonObject, context: SchemaContext): Finding[];
}

/** An operation as the walker sees it: from `paths` or from `webhooks`. */
export interface Operation {
  key: string;
  label: string;
  webhook: boolean;
  method: string;
  node: JsonObject;
  /** Path-level parameters, merged under the operation's own. */
  pathParameters: Json[];
  /** The operation's own `servers`, else its path item's; undefined when it uses the document's. */
  servers?: Json;
}

export interface DocumentPair {
  before: JsonObject;
  after: JsonObject;
}

/** A rule on the document as a whole (servers, security schemes) or on one operation pair. */
export interface DocumentRule {
  id: string;
  check(pair: DocumentPair): Array<Finding & { operation?: string; where?: string }>;
}

export interface OperationRule {
  id: string;
  /** `before` or `after` is undefined when the operation was added or removed. */
  check(before: Operation | undefined, after: Operation | undefined, pair: DocumentPair): Array<Finding & { where?: string }>;
}

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
