import type { DocumentRule, Json } from '../types.js';
import { isObject } from '../types.js';

const urls = (servers: Json | undefined) => (Array.isArray(servers) ? servers.filter(isObject).map((server) => String(server.url)) : []);

/**
 * Server URLs. The clients default their baseUrl to the first server, so a change moves every
 * caller that relies on the default; callers passing baseUrl are unaffected. Reported as a
 * warning for a human to judge: it is a vendor move, not a contract change.
 */
export const serversChanged: DocumentRule = {
  id: 'servers-changed',
  check({ before, after }) {
    const old = urls(before.servers);
    const now = urls(after.servers);
    const findings = [];
    if (old[0] !== now[0]) {
      findings.push({
        rule: 'servers-changed',
        severity: 'warning' as const,
        operation: 'the whole API',
        where: 'servers',
        message: `the default server changed from ${old[0] ?? 'none'} to ${now[0] ?? 'none'}: clients created without baseUrl call the new one`,
      });
    }
    for (const url of old.filter((url) => !now.includes(url) && url !== old[0])) {
      findings.push({ rule: 'servers-changed', severity: 'warning' as const, operation: 'the whole API', where: 'servers', message: `server ${url} is no longer listed` });
    }
    return findings;
  },
};
