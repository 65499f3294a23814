/**
 * A vendor's reason phrase, which fetch and Node's client take as the vendor wrote it (`200 O\x01K`;
 * a byte that is not UTF-8 becomes U+FFFD in fetch's reading) but which the Response constructor
 * and Node's server refuse past HTAB, SP, VCHAR and obs-text (RFC 9112's reason-phrase).
 */
const UNWRITABLE = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * A Response made with the vendor's reason phrase, or made without it and the phrase set on the
 * object as its url is: the constructor's refusal failed a call with "Invalid statusText" where
 * without recording it got its answer, and nothing was recorded.
 */
export function withStatusText(statusText: string, made: (statusText?: string) => Response): Response {
  try {
    return made(statusText);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return Object.defineProperty(made(), 'statusText', { value: statusText });
  }
}

/**
 * The phrase as a status line can carry it to the proxy's caller, or undefined for Node's own
 * (`OK`): Node's server throws on the rest, and the recording keeps the vendor's, masked.
 */
export const relayablePhrase = (statusText: string): string | undefined => (UNWRITABLE.test(statusText) ? undefined : statusText);
