import type { OpenApiDocument } from '../lib/openapi.js';

type Server = NonNullable<OpenApiDocument['servers']>[number];

/** A request URL cut into the server part and the API path that the spec's `paths` describe. */
export interface Split {
  /** The part of the URL a spec server accounts for (`https://host/prefix`). */
  base: string;
  /** What is left, always starting with `/`. */
  path: string;
  /** True when no server names this host (a variable or a relative URL took it), so any host would have matched. */
  anyHost: boolean;
}

interface ServerPattern {
  /** Relative server URLs (`/v4`) say nothing about the host, so they are matched against the path only. */
  absolute: boolean;
  regex: RegExp;
  /** The origin, when the server URL spells it out without variables. */
  origin?: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Server URLs as patterns. A variable with an `enum` matches one of its values; any other
 * variable matches anything, because recorded traffic usually comes from a sandbox or tenant
 * host that the spec's defaults do not name (XONVO's whole base URL is one variable).
 */
export function serverPatterns(servers: Server[] | undefined): ServerPattern[] {
  const list = servers?.length ? servers : [{ url: '/' }];
  return list.map((server) => {
    const template = server.url.replace(/\/+$/, '');
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const variable = part.match(/^\{([^}]+)\}$/)?.[1];
        if (variable === undefined) return escape(part);
        const values = server.variables?.[variable]?.enum;
        return values?.length ? `(?:${values.map(escape).join('|')})` : '.+';
      })
      .join('');
    const withDefaults = template.replace(/\{([^}]+)\}/g, (_, name: string) => server.variables?.[name]?.default ?? '');
    const literalOrigin = template.match(/^([a-z][a-z0-9+.-]*:\/\/[^/{}]+)(\/|$)/i)?.[1];
    return {
      absolute: /^[a-z][a-z0-9+.-]*:\/\//i.test(withDefaults),
      regex: new RegExp(`^${source}$`, 'i'),
      origin: literalOrigin && new URL(literalOrigin).origin,
    };
  });
}

/**
 * Every way a spec server can account for the start of `url`, longest API path first: a server
 * variable may stand for a path prefix as well as a host, so which cut is right is only known
 * once a path template matches.
 */
export function splits(url: URL, patterns: ServerPattern[]): Split[] {
  const trimmed = url.pathname.replace(/\/+$/, '');
  const segments = trimmed ? trimmed.split('/').slice(1) : [];
  const found: Split[] = [];
  for (let i = 0; i <= segments.length; i++) {
    const basePath = segments.slice(0, i).map((s) => `/${s}`).join('');
    const base = `${url.origin}${basePath}`;
    const matching = patterns.filter((p) => p.regex.test(p.absolute ? base : basePath));
    if (matching.length > 0) {
      const anyHost = matching.every((p) => p.origin !== url.origin);
      found.push({ base, path: `/${segments.slice(i).join('/')}`, anyHost });
    }
  }
  return found;
}
