import { declaredCharset } from '../../src/record/declared-charset.js';

/**
 * A recorded answer's text as the clients read it, to be judged as their guard judges it. A
 * recording keeps a text answer in the charset its type names (this package's recorders, a
 * browser's), but fetch's `text()` and `json()` read every body as UTF-8 whatever its label, and
 * so do the clients, their guard and a browser's code, as RFC 8259 8.1 has JSON: UTF-16 JSON is
 * no JSON to them, and ISO-8859-1 `café` reads `caf\uFFFD`. The bytes are made again from the
 * text in the named charset and read as UTF-8. A text the charset cannot be made again from
 * here (a multi-byte legacy charset: Shift_JIS, GBK) is judged as recorded.
 */
export function asClientsRead(text: string, contentType: string): string {
  const charset = declaredCharset(contentType);
  if (charset === undefined) return text;
  const utf16 = charset === 'utf-16le' || charset === 'utf-16be';
  // Every other charset TextDecoder knows writes ASCII as ASCII.
  if (!utf16 && !/[^\0-\x7f]/.test(text)) return text;
  const bytes = utf16 ? utf16Bytes(text, charset) : singleByteBytes(text, charset);
  return bytes === undefined ? text : new TextDecoder().decode(bytes);
}

function utf16Bytes(text: string, charset: 'utf-16le' | 'utf-16be'): Uint8Array {
  const bytes = Buffer.from(text, 'utf16le');
  return charset === 'utf-16be' ? bytes.swap16() : bytes;
}

/** Each character a charset writes as one byte, and that byte, learnt from its decoder; per charset. */
const singleBytes = new Map<string, Map<string, number>>();

/** The text's bytes in a charset, where each of its characters is one byte there; else undefined. */
function singleByteBytes(text: string, charset: string): Uint8Array | undefined {
  let byChar = singleBytes.get(charset);
  if (!byChar) {
    byChar = new Map();
    const decoder = new TextDecoder(charset);
    for (let byte = 0; byte < 256; byte++) {
      const char = decoder.decode(Uint8Array.of(byte));
      if (char.length === 1 && !byChar.has(char)) byChar.set(char, byte);
    }
    singleBytes.set(charset, byChar);
  }
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const byte = byChar.get(text[i]!);
    if (byte === undefined) return undefined;
    bytes[i] = byte;
  }
  return bytes;
}
