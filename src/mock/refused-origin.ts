import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Where the Origin of a request node refused before the mock saw it (a 431, a 400, a 408) can still
 * be known, so the refusal names it and a credentialed browser call reads the status rather than a
 * CORS error (MOCK-156). Headers that never finished, or an Origin in an earlier read than the one
 * node failed on, are kept nowhere this can reach: the refusal then says `*`.
 */

/** A serialized origin (RFC 6454 6.2): a scheme and an authority (RFC 3986's characters, no comma), or `null`. Anything else is not echoed. */
export const serializedOrigin = (value: unknown) => (typeof value === 'string' && value.length <= 1024 && /^(?:null|[a-z][a-z0-9+.-]*:\/\/[\w\-.~%!$&'()*+;=:@[\]]+)$/i.test(value) ? value : undefined);

/** The request under way on a socket, once node has its headers (a body that timed out): node's own field, not exported. */
export const requestUnderway = (socket: Duplex) => (socket as Duplex & { _httpMessage?: { req?: IncomingMessage } })._httpMessage?.req;

/**
 * The Origin in the bytes of the read node failed on (`rawPacket`): there when the request's head came
 * in one read, as a browser's does on one machine.
 */
export function originInRaw(rawPacket: unknown): string | undefined {
  if (!Buffer.isBuffer(rawPacket)) return undefined;
  // latin1, as node reads header bytes; the head only, without the request line.
  const text = rawPacket.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const lines = (end < 0 ? text : text.slice(0, end)).split('\r\n').slice(1);
  const found = new Set(lines.filter((line) => /^origin[ \t]*:/i.test(line)).map((line) => line.slice(line.indexOf(':') + 1).trim()));
  // Two different ones name no single origin.
  return found.size === 1 ? serializedOrigin([...found][0]) : undefined;
}
