import type { DocumentRule, Json, JsonObject } from '../types.js';
import { isObject } from '../types.js';

const servers = (list: Json | undefined) => (Array.isArray(list) ? list.filter(isObject) : []);

/** The URL a client built without baseUrl calls: the variables' defaults put in, as `defaultBaseUrl()` does. */
const defaultUrl = (server: JsonObject | undefined) => {
  if (!server) return undefined;
  const variables = isObject(server.variables) ? server.variables : {};
  return String(server.url).replace(/\{([^}]+)\}/g, (_, name: string) => {
    const variable = variables[name];
    return isObject(variable) && typeof variable.default === 'string' ? variable.default : '';
  });
};

/**
 * Server URLs. The clients default their baseUrl to the first server, with its variables'
 * defaults filled in (XONVO's whole URL is one variable, `environment`; Footprints' scheme and
 * host are two), so a change of either text or a default moves every caller that relies on the
 * default; callers passing baseUrl are unaffected. Reported as a warning for a human to judge: it
 * is a vendor move, not a contract change.
 */
export const serversChanged: DocumentRule = {
  id: 'servers-changed',
  check({ before, after }) {
    const old = servers(before.servers);
    const now = servers(after.servers);
    const findings = [];
    const [from, to] = [defaultUrl(old[0]), defaultUrl(now[0])];
    if (from !== to) {
      const template = old[0]?.url !== now[0]?.url ? '' : ` (its URL \`${String(now[0]?.url)}\` is the same; a variable's default changed)`;
      findings.push({
        rule: 'servers-changed',
        severity: 'warning' as const,
        operation: 'the whole API',
        where: 'servers',
        message: `the default server changed from ${from ?? 'none'} to ${to ?? 'none'}${template}: clients created without baseUrl call the new one`,
      });
    }
    const urls = now.map((server) => String(server.url));
    for (const url of old.slice(1).map((server) => String(server.url)).filter((url) => !urls.includes(url))) {
      findings.push({ rule: 'servers-changed', severity: 'warning' as const, operation: 'the whole API', where: 'servers', message: `server ${url} is no longer listed` });
    }
    return findings;
  },
};
