/**
 * The calls the client figures are made with, shared by the network (call-worker.ts) and
 * no-network (client-cpu.ts) parts: a Perx call (bearer token from its token endpoint, token
 * middleware) and a XONVO call (Basic credentials as fixed headers), each answered with the
 * operation's documented example; and the ways each is made (`Variant`).
 */
import createClient from 'openapi-fetch';
import { loadSpec } from '../../contract-tests/lib/spec.js';
import { exampleAnswer } from '../traffic/example-server.js';
import { findVendor } from '../../src/vendors.js';
import { builtModule } from './built.js';

/** What the calls are made with, from the built package (built.ts), as a consumer runs it. */
export interface Runtime {
  createPerxClient: typeof import('../../src/perx.js').createPerxClient;
  createXonvoClient: typeof import('../../src/xonvo.js').createXonvoClient;
  CallAbort: typeof import('../../src/call-abort.js').CallAbort;
  startDeadline: typeof import('../../src/deadline.js').startDeadline;
}

export async function runtimeOf(dir: string): Promise<Runtime> {
  const [perx, xonvo, abort, deadline] = await Promise.all([
    builtModule<typeof import('../../src/perx.js')>(dir, 'perx.js'),
    builtModule<typeof import('../../src/xonvo.js')>(dir, 'xonvo.js'),
    builtModule<typeof import('../../src/call-abort.js')>(dir, 'call-abort.js'),
    builtModule<typeof import('../../src/deadline.js')>(dir, 'deadline.js'),
  ]);
  return { createPerxClient: perx.createPerxClient, createXonvoClient: xonvo.createXonvoClient, CallAbort: abort.CallAbort, startDeadline: deadline.startDeadline };
}

export type GuardMode = 'off' | 'throw';

export interface CallCase {
  vendor: string;
  operationId: string;
  /** The spec path the typed call names, and the URL path the raw fetch asks for. */
  path: string;
  urlPath: string;
  /** What the raw fetch sends: the credentials the client would put on the call. */
  headers: Record<string, string>;
  /** The token endpoint the client asks first, when the vendor has one. */
  tokenPath?: string;
  client(runtime: Runtime, baseUrl: string, validate: GuardMode): { GET(path: string, init: unknown): Promise<unknown> };
  params: unknown;
  /** The documented example answer. */
  answer: { status: number; contentType: string; body: string };
}

/** The token endpoint's answer in both benches. */
export const tokenAnswer = '{"access_token":"app-token","expires_in":3600}';

function answerOf(vendor: string, operationId: string): CallCase['answer'] {
  const answer = exampleAnswer(loadSpec(findVendor(vendor)!), operationId);
  return { status: answer.status, contentType: answer.contentType, body: String(answer.body) };
}

export function callCases(): CallCase[] {
  return [
    {
      vendor: 'perx',
      operationId: 'listRewards',
      path: '/v4/rewards',
      urlPath: '/v4/rewards',
      headers: { authorization: 'Bearer app-token' },
      tokenPath: '/v4/oauth/token',
      client: (runtime, baseUrl, validate) => runtime.createPerxClient({ baseUrl, clientId: 'id', clientSecret: 's', validate }) as never,
      params: { params: { query: {} } },
      answer: answerOf('perx', 'listRewards'),
    },
    {
      vendor: 'xonvo',
      operationId: 'getAccountStatistics',
      path: '/accounts/{accountId}/statistics',
      urlPath: '/accounts/21/statistics',
      headers: { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` },
      client: (runtime, baseUrl, validate) => runtime.createXonvoClient({ baseUrl, username: 'u', password: 'p', validate }) as never,
      params: { params: { path: { accountId: 21 }, query: {} } },
      answer: answerOf('xonvo', 'getAccountStatistics'),
    },
  ];
}

/** The case of a vendor, by name (the bench's worker processes are told which by argv). */
export function caseOf(vendor: string): CallCase {
  const cases = callCases();
  const found = cases.find((c) => c.vendor === vendor);
  if (!found) throw new Error(`no call case for "${vendor}"; the cases are ${cases.map((c) => c.vendor).join(', ')}`);
  return found;
}

/**
 * How a case's call is made: `raw`, a fetch of the URL with the same headers, body parsed (the
 * baseline every figure is a ratio to); `rawControl`, the very same raw fetch in a process of
 * its own (what two processes running identical code differ by: the bench's noise floor);
 * `rawTimeout`, the raw fetch made cancellable by a 30 s timeout the way every typed call is (a
 * CallAbort, its dispatcher where Node's fetch has one, else its signal, and a deadline on the
 * clients' shared timer): what cancellation costs before any client code; `library`, a plain
 * openapi-fetch client (the library every typed client is built on, used as its README shows,
 * with the same headers) made cancellable the same way: the floor that library sets before any
 * code of ours; `off` and `on`, the typed client with the guard off and validating every call.
 */
export type Variant = 'raw' | 'rawControl' | 'rawTimeout' | 'library' | 'off' | 'on';
export const variants: Variant[] = ['raw', 'rawControl', 'rawTimeout', 'library', 'off', 'on'];

/** One call of the case, made the given way. `fetch` is looked up per call, so a stand-in on globalThis is used. */
export function callVariant(c: CallCase, variant: Variant, baseUrl: string, runtime: Runtime): () => Promise<unknown> {
  const { CallAbort, startDeadline } = runtime;
  const url = `${baseUrl}${c.urlPath}`;
  const { headers } = c;
  switch (variant) {
    case 'raw':
    case 'rawControl':
      return async () => (await fetch(url, { headers })).json();
    case 'rawTimeout':
      return async () => {
        const abort = new CallAbort();
        const stopDeadline = startDeadline(30_000, () => abort.abort(new Error('timed out')));
        const dispatcher = abort.dispatcher();
        try {
          const answered = async () => (await fetch(url, { headers, ...(dispatcher ? { dispatcher } : { signal: abort.signal }) } as RequestInit)).json();
          return (await (dispatcher ? abort.bound(answered()) : answered())) as unknown;
        } finally {
          stopDeadline();
        }
      };
    case 'library': {
      const client = createClient<any>({ baseUrl, headers });
      return async () => {
        const abort = new CallAbort();
        const stopDeadline = startDeadline(30_000, () => abort.abort(new Error('timed out')));
        const dispatcher = abort.dispatcher();
        try {
          const sent = client.GET(c.path, { ...(c.params as object), ...(dispatcher ? { dispatcher } : { signal: abort.signal }) } as never);
          return (await (dispatcher ? abort.bound(sent) : sent)) as unknown;
        } finally {
          stopDeadline();
        }
      };
    }
    case 'off':
    case 'on': {
      const client = c.client(runtime, baseUrl, variant === 'on' ? 'throw' : 'off');
      return () => client.GET(c.path, c.params);
    }
  }
}
