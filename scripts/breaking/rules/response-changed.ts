import { isSuccess, responses } from '../operations.js';
import type { Finding, OperationRule } from '../types.js';

/**
 * Statuses and media types of responses. On a path the consumer reads them: a success status or
 * a media type that disappears breaks code handling it, and a new success status widens the
 * client's `data` type (reported for review). On a webhook the handler writes them: an answer
 * the vendor no longer documents (a 2xx removed) breaks handlers that send it.
 */
export const responseChanged: OperationRule = {
  id: 'response-changed',
  check(before, after, docs) {
    if (!before || !after) return [];
    const old = responses(docs.before, before);
    const now = responses(docs.after, after);
    const findings: Array<Finding & { where: string }> = [];
    const reader = !after.webhook;
    for (const [status, content] of old) {
      const where = `response ${status}`;
      const kept = now.get(status);
      if (!kept) {
        if (isSuccess(status)) {
          findings.push({ rule: 'response-changed', severity: 'breaking', where, message: reader ? 'was removed: code that handles it breaks' : 'is no longer documented: webhook handlers that answer with it break' });
        } else {
          findings.push({ rule: 'response-changed', severity: 'info', where, message: 'was removed' });
        }
        continue;
      }
      for (const type of Object.keys(content)) {
        if (type in kept) continue;
        findings.push({ rule: 'response-changed', severity: 'breaking', where, message: reader ? `is no longer sent as ${type}: code that parses it breaks` : `is no longer accepted as ${type}: webhook handlers that answer with it break` });
      }
    }
    for (const status of now.keys()) {
      if (old.has(status)) continue;
      findings.push(
        reader && isSuccess(status) && !old.has('default')
          ? { rule: 'response-changed', severity: 'warning', where: `response ${status}`, message: 'is a new success status: code that handles only the known ones may miss it' }
          : { rule: 'response-changed', severity: 'info', where: `response ${status}`, message: 'is new' },
      );
    }
    return findings;
  },
};
