/** How a recorded body reads as a value its schema can describe. */
export type ParsedBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; value: Record<string, unknown> }
  | { kind: 'invalid'; message: string }
  /** A media type we do not read (multipart, binary, XML): its body is not checked. */
  | { kind: 'opaque' };

export const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');
export const isForm = (mediaType: string) => mediaType === 'application/x-www-form-urlencoded';

export function parseBody(mediaType: string, text: string): ParsedBody {
  if (isJson(mediaType)) {
    try {
      return { kind: 'json', value: JSON.parse(text) };
    } catch {
      return { kind: 'invalid', message: `body is not JSON: ${text.slice(0, 80)}` };
    }
  }
  if (isForm(mediaType)) return { kind: 'form', value: decodeForm(text) };
  return { kind: 'opaque' };
}

/**
 * The inverse of src/form.ts: bracketed keys become nested values (`a[b]=1` → `{ a: { b: '1' } }`,
 * `a[0][b]=1` → `{ a: [{ b: '1' }] }`), which is how the specs model deepObject form fields.
 * Values stay strings; the validator coerces them to the schema's types as the server would.
 */
export function decodeForm(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const match = key.match(/^([^[\]]+)((?:\[[^\]]*\])+)$/);
    const path = match ? [match[1]!, ...[...match[2]!.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!)] : [key];
    assign(root, path, value);
  }
  return root;
}

function assign(node: any, path: string[], value: string): void {
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const next = path[i + 1]!;
    const slot = key === '' && Array.isArray(node) ? node.length : key;
    node[slot] ??= next === '' || /^\d+$/.test(next) ? [] : {};
    node = node[slot];
  }
  const last = path[path.length - 1]!;
  if (last === '' && Array.isArray(node)) node.push(value);
  else node[last] = value;
}
