import { jsonKey } from '../schema-equal.js';
import type { OperationRule } from '../types.js';

/**
 * An operation's `x-mock` is what the mock does for it (the engine reads it: what a call stores,
 * filters, pages, refuses). Changed, the mock answers the same calls otherwise, and tests written
 * against it may see other data or statuses, though no schema moved. Whether that breaks a test
 * cannot be told from the data (a fidelity fix usually is one): it is listed, and so needs a
 * minor change file, never a patch that claims nothing changed.
 */
export const mockBehaviourChanged: OperationRule = {
  id: 'mock-behaviour-changed',
  check(before, after) {
    if (!before || !after) return [];
    const [was, is] = [before.node['x-mock'], after.node['x-mock']];
    if (jsonKey(was) === jsonKey(is)) return [];
    const what = was === undefined ? 'now has behaviour of its own (x-mock)' : is === undefined ? 'no longer has behaviour of its own (x-mock): it answers with the examples' : 'behaves otherwise (x-mock changed)';
    return [{ rule: 'mock-behaviour-changed', severity: 'info', message: `the mock ${what}: tests against the mock may see other answers to the same calls` }];
  },
};
