/**
 * A stand-in sandbox that drifts: a real HTTP server per vendor in front of that vendor's Prism
 * mock. Requests are forwarded as they are, and the responses of the operations listed in
 * drift-violations.ts are broken the way the list says; everything else stays faithful.
 */
import { createServer, type Server } from 'node:http';
import { startVendorMocks } from '../../scripts/lib/mocks.js';
import { basicAuthorization } from '../../src/auth/basic.js';
import { vendors } from '../../src/vendors.js';
import { matchOperation } from '../lib/match.js';
import { loadSpec } from '../lib/spec.js';
import { acceptsAnonymous, violations, type Upstream, type Violation } from './drift-violations.js';

/** Credentials Prism accepts, for the operations that drift into accepting calls without any. */
function addMissingCredentials(headers: Headers, url: URL, spec: ReturnType<typeof loadSpec>) {
  for (const scheme of Object.values(spec.doc.components?.securitySchemes ?? {})) {
    if (scheme.type === 'http' && !headers.has('authorization')) {
      headers.set('authorization', scheme.scheme === 'basic' ? basicAuthorization({ username: 'x', password: 'y' }) : 'Bearer x');
    } else if (scheme.type === 'apiKey' && scheme.in === 'query' && !url.searchParams.has(scheme.name!)) {
      url.searchParams.set(scheme.name!, 'x');
    } else if (scheme.type === 'apiKey' && scheme.in === 'header' && !headers.has(scheme.name!)) {
      headers.set(scheme.name!, 'x');
    }
  }
}

/**
 * A stand-in for each vendor the breaks name, each break on its own operation. In front of a
 * stateless mock (each answer its example) unless `stateful`: the workflows need one that remembers.
 */
export async function startDriftFixture(breaks: Violation[] = violations, { stateful = false } = {}) {
  const served = vendors.filter((v) => v.operationCount > 0 && breaks.some((b) => b.vendor === v.name));
  const mocks = await startVendorMocks(served.map((v) => v.name), { stateless: !stateful });
  const servers: Server[] = [];
  const urls: Record<string, string> = {};

  for (const vendor of served) {
    const spec = loadSpec(vendor);
    const upstreamUrl = mocks.urls[vendor.name]!;
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url!, upstreamUrl);
      const op = matchOperation(spec, req.method!, url.pathname);
      const broken = breaks.find((v) => v.vendor === vendor.name && v.operationId === op?.operation.operationId);
      const headers = new Headers(Object.entries(req.headers).map(([k, v]) => [k, String(v)] as [string, string]));
      headers.delete('host');
      headers.delete('content-length');
      if (broken && acceptsAnonymous(broken)) addMissingCredentials(headers, url, spec);

      const answer = await fetch(url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
      let upstream: Upstream = {
        status: answer.status,
        contentType: answer.headers.get('content-type') ?? '',
        body: await answer.text(),
        violations: answer.headers.get('sl-violations') ?? undefined,
      };
      // Successes drift by breakResponse, refusals by breakRefusal; the rest stay as the mock gives them.
      if (broken?.breakResponse && upstream.status < 300) {
        upstream = broken.breakResponse(upstream, { authorization: req.headers.authorization });
      }
      if (broken?.breakRefusal && upstream.status >= 400) upstream = broken.breakRefusal(upstream);
      const out: Record<string, string> = {};
      if (upstream.contentType && upstream.body) out['content-type'] = upstream.contentType;
      if (upstream.violations) out['sl-violations'] = upstream.violations;
      Object.assign(out, upstream.headers);
      res.writeHead(upstream.status, out);
      res.end(upstream.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls[vendor.name] = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  return {
    urls,
    async stop() {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
      await mocks.stop();
    },
  };
}
