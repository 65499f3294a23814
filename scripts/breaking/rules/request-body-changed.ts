import { requestBody } from '../operations.js';
import type { Finding, OperationRule } from '../types.js';

/**
 * The request body as a whole. On a path, callers write it: a body that becomes required, or a
 * media type callers used that is no longer accepted (a form body turned JSON, say), breaks
 * them. On a webhook, the vendor writes it and handlers read it: a media type that disappears
 * or a body that is no longer always sent breaks handlers. Schemas of the media types both
 * sides keep are compared by the walker.
 */
export const requestBodyChanged: OperationRule = {
  id: 'request-body-changed',
  check(before, after, docs) {
    if (!before || !after) return [];
    const old = requestBody(docs.before, before);
    const now = requestBody(docs.after, after);
    const findings: Array<Finding & { where: string }> = [];
    const push = (severity: Finding['severity'], message: string, where = 'request body') => findings.push({ rule: 'request-body-changed', severity, message, where });
    const writer = !after.webhook;
    if (writer && now?.required && !old?.required) push('breaking', old ? 'is now required: callers that send none are refused' : 'is new and required: callers that send none are refused');
    if (!writer && old && (!now || (old.required && !now.required))) push('breaking', now ? 'is no longer always sent: webhook handlers that expect it break' : 'is no longer sent: webhook handlers that read it break');
    if (writer && old && !now) push('breaking', 'was removed: callers that send one get a type error from the client');
    if (old && now) {
      for (const type of Object.keys(old.content)) {
        if (type in now.content) continue;
        push('breaking', writer ? `is no longer accepted as ${type}: callers sending it are refused` : `is no longer sent as ${type}: webhook handlers parsing it break`);
      }
      for (const type of Object.keys(now.content)) {
        if (!(type in old.content)) push('info', `is also ${writer ? 'accepted' : 'sent'} as ${type}`);
      }
    }
    return findings;
  },
};
