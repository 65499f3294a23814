/**
 * The reading of a request body over the recording's limit (`maxBodyBytes`) for the credentials
 * it sends. Such a body is neither kept nor recorded, but an answer may quote what it carried (a
 * 422 naming the password an upload's form sent), and unlearnt that was recorded in clear. Its
 * text passes through `learnFrom` in windows, so memory stays bounded whatever its size.
 */
import { declaredCharset } from './declared-charset.js';
import { boundaryOf, withoutFileContent } from './file-parts.js';

/**
 * Each window goes on at most this far past where it is cut, and the next starts this far before
 * it: a pair cut by a window is read whole in the next when it is shorter than this.
 */
export const SCAN_OVERLAP = 64 * 1024;

/** Characters after which a pair of a form (`&`), JSON (`,`) or multipart (a line break) has ended. */
const PAIR_ENDS = new Set(['&', ',', '\n'].map((end) => end.charCodeAt(0)));

/**
 * Where the last pair ended within the last SCAN_OVERLAP + 1 characters (the only place a cut is
 * made), or -1. Read back only that far: `lastIndexOf` of each end read a JSON window, which
 * holds no `&` or line break, whole, twice.
 */
function lastPairEnd(text: string): number {
  const stop = Math.max(0, text.length - SCAN_OVERLAP - 1);
  for (let at = text.length - 1; at >= stop; at--) if (PAIR_ENDS.has(text.charCodeAt(at))) return at;
  return -1;
}

export interface OverLimitScan {
  take(chunk: Uint8Array): void;
  /** Reads what is left: the body ended (or its read did). */
  end(): void;
}

/**
 * `learnFrom` is given windows of the body's text, each cut after a pair's end where one is near.
 * A multipart body's (`mimeType`) file parts are left out (withoutFileContent): their content is
 * no credential field, and read it cost seconds on an upload of megabytes.
 */
export function overLimitScan(learnFrom: (text: string) => void, mimeType = ''): OverLimitScan {
  const charset = declaredCharset(mimeType);
  // As UTF-8 too, as an answer within the limit is read (recording-fetch.ts's shownText): a type may name the wrong charset.
  // An answer in UTF-16 read as UTF-8 alone has a NUL after each letter, and no credential's name was found in it.
  const text = charset === undefined ? textScan(learnFrom) : both(textScan(learnFrom), textScan(learnFrom, charset));
  const boundary = boundaryOf(mimeType);
  return boundary === undefined ? text : withoutFileContent(boundary, text.take, text.end);
}

function both(first: OverLimitScan, second: OverLimitScan): OverLimitScan {
  return {
    take(chunk) {
      first.take(chunk);
      second.take(chunk);
    },
    end() {
      first.end();
      second.end();
    },
  };
}

function textScan(learnFrom: (text: string) => void, charset = 'utf-8'): OverLimitScan {
  // Not fatal: a file's bytes become U+FFFD, a text field beside them reads as it was sent.
  const decoder = new TextDecoder(charset);
  let pending = '';
  const scan = (final: boolean) => {
    const pairEnd = lastPairEnd(pending);
    // Cut where a pair ended, else (a long run without one: a file's base64) at the end: a value
    // cut there would be learnt as its start, which only masks more.
    const cut = final || pending.length - pairEnd - 1 > SCAN_OVERLAP ? pending.length : pairEnd + 1;
    learnFrom(pending.slice(0, cut));
    pending = final ? '' : pending.slice(Math.max(0, cut - SCAN_OVERLAP));
  };
  return {
    take(chunk) {
      // One large chunk (a body given as bytes) is decoded a slice at a time.
      for (let at = 0; at < chunk.length; at += SCAN_OVERLAP) {
        pending += decoder.decode(chunk.subarray(at, at + SCAN_OVERLAP), { stream: true });
        if (pending.length >= 2 * SCAN_OVERLAP) scan(false);
      }
    },
    end() {
      pending += decoder.decode();
      scan(true);
    },
  };
}
