import { responseHeaders } from '../operations.js';
import type { Finding, OperationRule } from '../types.js';

/**
 * Headers of a response both sides document. On a path the consumer reads them: one removed
 * (Footprints' `X-Total-Pages`, say) or no longer required breaks code that reads it. On a
 * webhook the handler writes them: a new required one breaks handlers that do not send it.
 * Their schemas are compared by the walker; a status removed is response-changed's.
 */
export const responseHeaderChanged: OperationRule = {
  id: 'response-header-changed',
  check(before, after, docs) {
    if (!before || !after) return [];
    const old = responseHeaders(docs.before, before);
    const reader = !after.webhook;
    const findings: Array<Finding & { where: string }> = [];
    const push = (severity: Finding['severity'], status: string, name: string, message: string) =>
      findings.push({ rule: 'response-header-changed', severity, where: `response ${status} header \`${name}\``, message });
    for (const [status, headers] of responseHeaders(docs.after, after)) {
      const previous = old.get(status);
      if (!previous) continue;
      for (const [key, header] of previous) {
        const kept = headers.get(key);
        if (!kept) push(reader ? 'breaking' : 'info', status, header.name, reader ? 'is no longer sent: code that reads it gets nothing' : 'is no longer expected in the answer');
        else if (header.required && !kept.required && reader) push('breaking', status, header.name, 'is no longer always sent: code that relies on it breaks');
      }
      for (const [key, header] of headers) {
        if (previous.has(key)) continue;
        if (!reader && header.required) push('breaking', status, header.name, 'is new and required in the answer: webhook handlers that do not send it break');
        else push('info', status, header.name, `is new (${header.required ? 'required' : 'optional'})`);
      }
    }
    return findings;
  },
};
