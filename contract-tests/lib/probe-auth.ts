import type { ContractRequest } from './request.js';
import { send } from './target.js';
import type { Client } from 'openapi-fetch';

export interface AddedAuth {
  headers: Record<string, string>;
  query: Record<string, string>;
}

/**
 * What a vendor's typed client adds to a request for one operation: its auth headers and query
 * parameters, found by letting the client build the request and catching it before it leaves.
 * Token endpoints the client calls on the way are really called (through `passThrough`), so
 * the tokens are real ones from the target.
 */
export function createAuthProbe(passThrough: (request: Request) => Promise<Response>) {
  let catching: { path: string; caught?: Request } | undefined;
  const fetch = async (request: Request) => {
    if (catching && new URL(request.url).pathname.endsWith(catching.path)) {
      catching.caught = request;
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    }
    return passThrough(request);
  };

  async function probe(client: Client<any>, method: string, path: string, request: ContractRequest): Promise<AddedAuth> {
    const concrete = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(request.params.path[name])));
    catching = { path: concrete };
    try {
      await send(client, method, path, request);
      const caught = catching.caught;
      if (!caught) throw new Error(`the client never sent ${method.toUpperCase()} ${path}`);
      const headers: Record<string, string> = {};
      caught.headers.forEach((value, name) => {
        if (!['content-type', 'content-length', 'accept'].includes(name)) headers[name] = value;
      });
      const query: Record<string, string> = {};
      new URL(caught.url).searchParams.forEach((value, name) => {
        if (!(name in request.params.query)) query[name] = value;
      });
      return { headers, query };
    } finally {
      catching = undefined;
    }
  }
  return { fetch, probe };
}
