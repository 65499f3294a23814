/**
 * The methods the recording proxy refuses: TRACE, and TRACK (IIS's name for it). The vendor's
 * answer to either is the request itself, credentials and all, as a body the recording would keep:
 * its mask knows the credentials it was sent, not those a gateway on the way adds or an echo
 * re-spells, and the proxy exists to write recordings that can be shared. No vendor API is called
 * with them; they are diagnostics, and fetch (whose Request the recording reads) refuses them too.
 */

const ECHOING = new Set(['TRACE', 'TRACK']);

/** Why a request with this method is not passed on, or undefined for one that is. */
export function echoRefusal(method: string): string | undefined {
  if (!ECHOING.has(method)) return undefined;
  return `${method} is not passed on: the vendor would echo the request back, credentials and all, into an answer the recording keeps; a recording has no use for it (it calls no API)`;
}

// A request line: a method token, a target and the version; what a TLS hello or other bytes sent to the port are not.
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}) \S+ HTTP\/1\.[01]\r?\n/;

/**
 * Why a request Node's server could not read for its method (HPE_INVALID_METHOD) is refused, from
 * its bytes: Node reads no TRACK, and no method outside its list. Undefined for bytes that are no
 * request line.
 */
export function unreadMethodRefusal(packet: Buffer | undefined): string | undefined {
  const method = REQUEST_LINE.exec(packet?.toString('latin1') ?? '')?.[1];
  if (method === undefined) return undefined;
  return echoRefusal(method.toUpperCase()) ?? `${method} is not a method Node's HTTP server reads, so it cannot be passed on`;
}
