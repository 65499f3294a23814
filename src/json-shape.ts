/**
 * The shape of JSON text, read without parsing it: shared by the mock's guards (which refuse a
 * body before Prism parses it) and the Placewise webhook verifier (which refuses nesting a
 * receiver could not write back), so neither walks the parsed value again.
 */

/** What the guards read of JSON text: how deep it nests, and how many values it holds (containers included). */
export interface JsonShape {
  depth: number;
  values: number;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * The deepest nesting of arrays/objects in JSON text and its number of values, found in one pass
 * without recursion or parsing. A value is the root, each item after a comma, and the first item of
 * each array or object that is not empty (exact for valid JSON; text that is not is refused later).
 */
export function measureJson(text: string): JsonShape {
  let depth = 0;
  let deepest = 0;
  let values = 0;
  let inString = false;
  let opened = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (opened && !isSpace(c)) {
      opened = false;
      if (c !== 93 && c !== 125) values++;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      deepest = Math.max(deepest, ++depth);
      opened = true;
    } else if (c === 125 || c === 93) depth--;
    else if (c === 44) values++;
  }
  return { depth: deepest, values: text.trim() === '' ? 0 : values + 1 };
}
