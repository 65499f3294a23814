import type { OperationRule } from '../types.js';

/**
 * The walker pairs operations by method and path (REL-1), so a renamed operationId
 * (`listMembersGroupTypes` → `listMembersGroupKinds`) is the same operation and the wire is the
 * same. But the package exports the generated `operations` type keyed by operationId, and code
 * naming `operations['listMembersGroupTypes']` no longer compiles: breaking, named by the old id
 * (what consumers' code says). An operationId where there was none is additive.
 */
export const operationIdChanged: OperationRule = {
  id: 'operation-id-changed',
  check(before, after) {
    if (!before || !after) return [];
    const [from, to] = [before.node.operationId, after.node.operationId];
    if (typeof from !== 'string' || from === to) return [];
    return [
      {
        rule: 'operation-id-changed',
        severity: 'breaking',
        where: `operationId \`${from}\``,
        message: `${typeof to === 'string' ? `is now \`${to}\`` : 'was removed'} (same method and path): code naming \`operations['${from}']\` no longer compiles`,
      },
    ];
  },
};
