/**
 * A multipart body's bytes as they pass, without the content of its file parts (a part whose head
 * names a `filename`, as maskMultipart tells them apart). A file's content is no credential field,
 * and decoding a 50 MiB upload's bytes and running the pair patterns over them took seconds where
 * the upload took one. What passes on is the preamble, each part's head and delimiter, and each
 * text part's content, whatever cuts the chunks make: a delimiter or a head cut across two chunks
 * is read whole. Memory is bounded: at most a delimiter's length, or a head, is held back.
 */

/** A part's head longer than this is read as text: no form's head is, and it is not held back without bound. */
export const MAX_HEAD_BYTES = 16 * 1024;

export interface ByteFilter {
  take(chunk: Uint8Array): void;
  end(): void;
}

/** Where `needle` starts in `bytes` at or after `from`, or -1; a match cut off by the end is not one. */
function indexOf(bytes: Uint8Array, needle: Uint8Array, from: number): number {
  for (let at = bytes.indexOf(needle[0]!, from); at >= 0 && at + needle.length <= bytes.length; at = bytes.indexOf(needle[0]!, at + 1)) {
    let i = 1;
    while (i < needle.length && bytes[at + i] === needle[i]) i++;
    if (i === needle.length) return at;
  }
  return -1;
}

/** Where a head that starts at `from` ends (after its blank line, `\r?\n\r?\n`), -1 if not yet, -2 past MAX_HEAD_BYTES. */
function headEnd(bytes: Uint8Array, from: number): number {
  const limit = Math.min(bytes.length, from + MAX_HEAD_BYTES);
  for (let at = bytes.indexOf(0x0a, from); at >= 0 && at < limit; at = bytes.indexOf(0x0a, at + 1)) {
    if (bytes[at + 1] === 0x0a) return at + 2;
    if (bytes[at + 1] === 0x0d && bytes[at + 2] === 0x0a) return at + 3;
  }
  return bytes.length - from >= MAX_HEAD_BYTES ? -2 : -1;
}

const isFileHead = (head: Uint8Array) => /\bfilename\*?=/i.test(new TextDecoder('latin1').decode(head));

/** The `boundary` parameter of a media type, quoted or not, whatever the type; undefined without one. */
export const boundaryParam = (mimeType: string): string | undefined => {
  const found = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(mimeType);
  return found ? (found[1] ?? found[2]) : undefined;
};

/** The multipart boundary a media type names, or undefined. */
export const boundaryOf = (mimeType: string): string | undefined => (/^\s*multipart\//i.test(mimeType) ? boundaryParam(mimeType) : undefined);

/** Hands `pass` the bytes of a multipart body with `boundary`, its file parts' content left out. */
export function withoutFileContent(boundary: string, pass: (bytes: Uint8Array) => void, finish: () => void): ByteFilter {
  const delimiter = new TextEncoder().encode(`--${boundary}`);
  let mode: 'text' | 'head' | 'file' = 'text';
  let held = new Uint8Array(0);
  return {
    take(chunk) {
      const bytes = held.length === 0 ? chunk : joined(held, chunk);
      let at = 0;
      for (;;) {
        if (mode === 'head') {
          const end = headEnd(bytes, at);
          if (end === -1) break;
          if (end === -2) {
            mode = 'text';
            continue;
          }
          pass(bytes.subarray(at, end));
          mode = isFileHead(bytes.subarray(at, end)) ? 'file' : 'text';
          at = end;
          continue;
        }
        const next = indexOf(bytes, delimiter, at);
        if (next < 0) {
          // What may be a delimiter's start is held back; the rest passes, or is left, a file's.
          const keep = Math.max(at, bytes.length - delimiter.length + 1);
          if (mode === 'text') pass(bytes.subarray(at, keep));
          at = keep;
          break;
        }
        pass(bytes.subarray(mode === 'text' ? at : next, next + delimiter.length));
        mode = 'head';
        at = next + delimiter.length;
      }
      held = bytes.slice(at);
    },
    end() {
      if (mode !== 'file') pass(held);
      held = new Uint8Array(0);
      finish();
    },
  };
}

function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(a.length + b.length);
  bytes.set(a);
  bytes.set(b, a.length);
  return bytes;
}
