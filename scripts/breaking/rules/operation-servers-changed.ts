import type { Json, OperationRule } from '../types.js';
import { isObject } from '../types.js';

const urls = (servers: Json | undefined) => (Array.isArray(servers) ? servers.filter(isObject).map((server) => String(server.url)) : undefined);
const listed = (list: string[] | undefined) => (list === undefined ? "the API's servers" : list.length ? list.join(', ') : 'no server');

/**
 * Servers of one operation (its own `servers`, or its path item's). The clients call every
 * operation at their one baseUrl, so an operation moved to a server of its own is still called at
 * the old place: a move, reported for a human to judge as the document's servers are
 * (servers-changed), which a release used to pass unseen.
 */
export const operationServersChanged: OperationRule = {
  id: 'operation-servers-changed',
  check(before, after) {
    if (!before || !after) return [];
    const [old, now] = [urls(before.servers), urls(after.servers)];
    if (JSON.stringify(old) === JSON.stringify(now)) return [];
    return [
      {
        rule: 'operation-servers-changed',
        severity: 'warning',
        where: 'servers',
        message: `is now served from ${listed(now)} (was ${listed(old)}): the clients call every operation at their baseUrl, so callers reach the old place unless they pass another`,
      },
    ];
  },
};
