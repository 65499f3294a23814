import type { OperationRule } from '../types.js';

/**
 * An operation that disappears breaks its callers (the typed client no longer has the path; the
 * vendor answers 404). A webhook that disappears breaks the handlers waiting for it.
 * New operations and webhooks are additive.
 */
export const operationRemoved: OperationRule = {
  id: 'operation-removed',
  check(before, after) {
    if (before && !after) {
      return [
        before.webhook
          ? { rule: 'operation-removed', severity: 'breaking', message: 'the webhook was removed: handlers that wait for it are no longer called' }
          : { rule: 'operation-removed', severity: 'breaking', message: 'the operation was removed: callers get a type error from the client and a 404 from the vendor' },
      ];
    }
    if (!before && after) {
      return [{ rule: 'operation-removed', severity: 'info', message: after.webhook ? 'new webhook' : 'new operation' }];
    }
    return [];
  },
};
