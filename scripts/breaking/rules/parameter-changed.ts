import { parameters } from '../operations.js';
import type { Finding, OperationRule } from '../types.js';

/**
 * Parameters (path, query, header, cookie) are written by callers — or, on a webhook, by the
 * vendor and read by handlers. A new required parameter, or one that becomes required, breaks
 * callers; a removed one breaks callers that pass it (the typed client refuses it) and handlers
 * that read it. Their schemas are compared by the walker.
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
    }
    return findings;
  },
};
