import type { OperationRule } from '../types.js';

/** Deprecation changes nothing on the wire; it is reported so callers can plan the move. */
export const operationDeprecated: OperationRule = {
  id: 'operation-deprecated',
  check(before, after) {
    if (before && after && before.node.deprecated !== true && after.node.deprecated === true) {
      return [{ rule: 'operation-deprecated', severity: 'warning', message: 'the operation is now deprecated: plan to move off it' }];
    }
    return [];
  },
};
