import { parameters } from '../operations.js';
import { resolveSchema, typeSet } from '../schema-shape.js';
import type { DocumentPair, Finding, Json, OperationRule } from '../types.js';

/**
 * Parameters (path, query, header, cookie) are written by callers — or, on a webhook, by the
 * vendor and read by handlers. A new required parameter, or one that becomes required, breaks
 * callers; a removed one breaks callers that pass it (the typed client refuses it) and handlers
 * that read it. Their schemas are compared by the walker. A list or object written another way
 * (`style`, `explode`: `ids=1&ids=2` → `ids=1,2`) is read as other values by the side that reads
 * it: breaking for callers, whose client writes the old form, and for handlers, who parse it.
 * A header respelled in another case is the same header on the wire, but another key of the typed
 * client's `params.header`: breaking for callers.
 */
export const parameterChanged: OperationRule = {
  id: 'parameter-changed',
  check(before, after, docs) {
    if (!before || !after) return [];
    const old = parameters(docs.before, before);
    const now = parameters(docs.after, after);
    const findings: Array<Finding & { where: string }> = [];
    const push = (where: string, severity: Finding['severity'], message: string) => findings.push({ rule: 'parameter-changed', severity, message, where });
    const writer = !after.webhook;
    for (const [key, parameter] of old) {
      if (now.has(key)) continue;
      if (writer) push(parameter.words, 'breaking', 'was removed: callers that pass it get a type error from the client');
      else push(parameter.words, 'breaking', 'is no longer sent: webhook handlers that read it break');
    }
    for (const [key, parameter] of now) {
      const previous = old.get(key);
      if (!previous) {
        if (parameter.required && writer) push(parameter.words, 'breaking', 'is new and required: callers that do not pass it are refused');
        else push(parameter.words, 'info', `is new (${parameter.required ? 'required' : 'optional'})`);
      } else if (!previous.required && parameter.required && writer) {
        push(parameter.words, 'breaking', 'is now required: callers that leave it out are refused');
      } else if (previous.required && !parameter.required && !writer) {
        push(parameter.words, 'breaking', 'is no longer always sent: webhook handlers that rely on it break');
      }
      // Header names are paired in any case, as the wire reads them; the typed client's key is the
      // spelling, and a client that fills a header itself leaves out only the name it knows.
      if (previous && parameter.in === 'header' && previous.name !== parameter.name) {
        if (writer) push(previous.words, 'breaking', `is now spelled \`${parameter.name}\` (the same on the wire): callers passing \`params.header['${previous.name}']\` get a type error from the client`);
        else push(previous.words, 'info', `is now spelled \`${parameter.name}\` (the same on the wire)`);
      }
      if (previous && previous.form !== parameter.form && !scalar(docs, previous.schema, parameter.schema)) {
        push(
          parameter.words,
          'breaking',
          writer
            ? `is now written ${parameter.form} (was ${previous.form}): callers that send a list or object the old way are misread`
            : `is now sent ${parameter.form} (was ${previous.form}): webhook handlers that parse the old form misread it`,
        );
      }
    }
    return findings;
  },
};

/** Whether a parameter is one plain value on both sides: a string, number or boolean is written the same in every style. */
function scalar(docs: DocumentPair, before: Json | undefined, after: Json | undefined): boolean {
  const plain = (doc: DocumentPair['before'], schema: Json | undefined) => {
    const types = schema === undefined ? undefined : typeSet(resolveSchema(doc, schema).schema);
    return types !== undefined && [...types].every((type) => ['string', 'number', 'integer', 'boolean', 'null'].includes(type));
  };
  return plain(docs.before, before) && plain(docs.after, after);
}
