/**
 * How the reference shows an operation's `x-mock` (docs/mock-behaviour.md). Redoc's
 * `showExtensions` wrote it as one line of minified JSON (Perx's transferPoints: 1,900 characters
 * of `{"resource":"loyalty","action":"adjust",…}`), which nobody could read. Each operation's
 * description now ends with a sentence saying what the mock does, and the declaration itself as
 * YAML (as the specs are written), folded away; the extension is taken off the shown copy.
 */
import { stringify } from 'yaml';
import { listOperations, type OpenApiDocument } from '../lib/openapi.js';

type Mock = Record<string, unknown> & {
  resource?: string;
  action?: string;
  relation?: string;
  adjust?: { field?: string };
  cases?: unknown[];
  examples?: unknown[];
  also?: unknown[];
  notify?: { webhook?: string };
  missing?: { status?: number };
  malformed?: { status?: number };
  violations?: { status?: number };
};

const code = (text: unknown) => `\`${String(text).replace(/`/g, "'")}\``;

function whatItDoes(mock: Mock): string {
  const resource = code(mock.resource);
  switch (mock.action) {
    case 'list':
      return `lists the ${resource} records it holds`;
    case 'read':
      return `reads a ${resource} record it holds`;
    case 'create':
      return `creates a ${resource} record and keeps it`;
    case 'update':
      return `updates a ${resource} record it holds`;
    case 'delete':
      return `deletes a ${resource} record it holds`;
    case 'link':
    case 'unlink':
      return `${mock.action}s two records (relation ${code(mock.relation)})`;
    case 'adjust':
      return `adjusts ${code(mock.adjust?.field)} of a ${resource} record it holds`;
    case 'token':
      return 'issues a token and remembers whom it acts for';
    default:
      return 'keeps no state for this call';
  }
}

/** One sentence, read from the declaration's own keys: what the mock does with this call. */
export function mockSummary(mock: Mock): string {
  const notes: string[] = [];
  const count = (list: unknown[] | undefined, one: string, many: string) =>
    list?.length ? notes.push(list.length === 1 ? one : many.replace('#', String(list.length))) : 0;
  count(mock.cases, 'one variant chosen by the request', '# variants chosen by the request');
  count(mock.also, 'then one further effect', 'then # further effects');
  if (mock.examples?.length) notes.push('picks the documented example by the request');
  if (mock.missing?.status) notes.push(`a record it does not hold gets the documented ${mock.missing.status}`);
  if (mock.malformed?.status) notes.push(`a body that is not JSON gets the documented ${mock.malformed.status}`);
  if (mock.violations?.status) notes.push(`a body that breaks the schema gets the documented ${mock.violations.status}, naming the field`);
  if (mock.notify?.webhook) notes.push(`announces the change with the ${code(mock.notify.webhook)} webhook`);
  return `${whatItDoes(mock)}${notes.length ? `; ${notes.join('; ')}` : ''}.`;
}

const NO_MOCK =
  '**Mock** (`npm start`): no `x-mock`, so it keeps no state for this call and answers with the documented examples, whatever the request names.';

/** The markdown that ends an operation's description: the summary, then the declaration as YAML, folded. */
export function mockMarkdown(mock: unknown): string {
  if (mock === undefined) return NO_MOCK;
  const yaml = stringify(mock).trimEnd();
  const fence = '`'.repeat(Math.max(3, ...[...yaml.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `**Mock** (\`npm start\`): ${mockSummary(mock as Mock)}

<details class="x-mock"><summary>Its <code>x-mock</code> declaration</summary>

${fence}yaml
${yaml}
${fence}

</details>`;
}

/** The shown copy of the spec: every operation's description ends with its mock behaviour, and `x-mock` is gone. */
export function withMockBehaviour(spec: OpenApiDocument): OpenApiDocument {
  const shown = structuredClone(spec);
  for (const { operation } of listOperations(shown)) {
    const text = mockMarkdown(operation['x-mock']);
    operation.description = typeof operation.description === 'string' && operation.description.trim() ? `${operation.description.trimEnd()}\n\n${text}` : text;
    delete operation['x-mock'];
  }
  return shown;
}
