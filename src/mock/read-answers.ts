/**
 * A read's whole answer, given again while nothing it can read has changed (MOCK-177).
 *
 * A frontend polls the same GETs, and each one paid for the whole pipeline (routing, Prism's
 * preferences, the state read that gives its counts, serialising, the contract check): about
 * 20-40 µs of engine time per call. A read's answer depends only on the request and on its
 * session's data, so it is kept under the request's key and the session's version, which every
 * write, and every reset, moves on. Every session that has not written reads the seeds, so those
 * share answers: a test's first read in a new session is a reuse. Only what is sure to answer the
 * same way again is kept: a GET or HEAD without a body, to an operation that writes nothing and
 * reads no clock (`now`), not asked for a dynamic answer, and not a 5xx (a mock bug's line is
 * logged each time).
 */
import type { MockRequest, MockResponse } from './exchange.js';
import { createMemo, memoKey } from './memo.js';
import type { Operation } from './prism.js';
import { onlyDoes, type MockBehaviour } from './state/behaviour.js';

// A token call mints a new token each time: it is no read to repeat.
const READS = new Set(['list', 'read']);
/** A kept answer's body is at most this long: 512 of them stay within a few tens of MB. */
const MAX_BODY = 32 * 1024;

/** One request's claim on the reuse: told what routing and preferences found, it keeps the answer if it may. */
export interface ReadTicket {
  /** The kept answer, when there is one: the request is answered with it. */
  answer?: MockResponse;
  /** The operation the request was routed to; only one the reuse trusts lets its answer be kept. */
  routed(operation: Operation): void;
  /** The answer will differ from call to call (a Prefer asked for a dynamic one). */
  varies(): void;
  keep(response: MockResponse): void;
}

export function createReadAnswers(operations: Operation[], behaviourOf: (operation: Operation) => MockBehaviour | undefined) {
  const kept = createMemo<MockResponse>();
  /**
   * Requests answered once. An answer is kept the second time its request comes: many requests
   * seen once are never seen again (one per written session, a user's token), and keeping each
   * first answer held it for hundreds of requests, long enough for V8 to move it to the old heap
   * (RSS 190 MB against 148 MB after 100,000 reads, each new to the mock).
   */
  const seen = createMemo<true>();
  const trusted = new Set(operations.filter((operation) => repeatable(behaviourOf(operation))));
  /** Moves on at every write and reset, in any session: an answer built while it moved is not kept. */
  let clock = 0;
  /** Each session's version: the clock at its last write. A session with none reads the seeds, as one just reset does. */
  const versions = new Map<string, number>();

  return {
    /** The kept answer for this request, or a ticket to keep the one it gets; undefined when it may not be kept at all. */
    lookup(request: MockRequest, session: string): ReadTicket | undefined {
      const method = request.method.toUpperCase();
      if ((method !== 'GET' && method !== 'HEAD') || (request.body?.byteLength ?? 0) > 0) return undefined;
      // Every session that has not written since its start or its reset reads the same seeds: they share answers.
      const version = versions.get(session);
      const key = `${version === undefined ? '' : `${session}\n${version}`}\n${memoKey(method, request.path, request.query, request.headers, undefined)}`;
      const answer = kept.get(key);
      if (answer) return { answer, routed() {}, varies() {}, keep() {} };
      const startedAt = clock;
      let keepable = false;
      return {
        routed: (operation) => void (keepable = trusted.has(operation)),
        varies: () => void (keepable = false),
        keep(response) {
          const size = typeof response.body === 'string' ? response.body.length : response.body.byteLength;
          if (!keepable || clock !== startedAt || response.status >= 500 || size > MAX_BODY) return;
          if (seen.get(key)) kept.set(key, response);
          else seen.set(key, true);
        },
      };
    },
    /** The session's data may have changed (a write was applied, kept or not). */
    written(session: string) {
      versions.set(session, ++clock);
    },
    /** The session went back to the seeds: its answers before its first write hold again. */
    reset(session?: string) {
      clock++;
      if (session === undefined) versions.clear();
      else versions.delete(session);
    },
  };
}

/** Whether an operation's answer depends only on the request and the data: it writes nothing, mints nothing and reads no clock. */
function repeatable(behaviour: MockBehaviour | undefined): boolean {
  return !behaviour || (onlyDoes(behaviour, READS) && !readsClock(behaviour));
}

/** Whether a behaviour names the time anywhere (`now`), in any source of any case. */
function readsClock(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(readsClock);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([name, inner]) => (name === 'now' && inner === true) || readsClock(inner));
}
