import type { MockBehaviour } from './state/behaviour.js';
import { getAt } from './state/pointer.js';
import type { Record_ } from './state/store.js';
import type { Operation } from './prism.js';

type Example = { value?: unknown };
type ResponseDoc = { content?: Record<string, { example?: unknown; examples?: Record<string, Example> }> };

/** The starting data: every record the spec's list and read examples show, by resource and id. */
export function seedsFrom(document: { paths?: Record<string, Record<string, { responses?: Record<string, ResponseDoc> }>> }, operations: Operation[], behaviourOf: (op: Operation) => MockBehaviour | undefined) {
  const seeds = new Map<string, Map<string, Record_>>();
  for (const operation of operations) {
    const behaviour = behaviourOf(operation);
    if (!behaviour?.resource || (behaviour.action !== 'list' && behaviour.action !== 'read')) continue;
    const key = behaviour.key ?? 'id';
    // A read whose answer does not carry the id (statistics of account 18): the id is the path's example.
    const pathExample = behaviour.id === undefined ? undefined : operation.request?.path?.find((p) => p.name === behaviour.id)?.examples?.[0];
    const impliedId = pathExample && 'value' in pathExample ? pathExample.value : undefined;
    const responses = document.paths?.[operation.path]?.[operation.method]?.responses ?? {};
    for (const [status, response] of Object.entries(responses)) {
      if (!status.startsWith('2')) continue;
      for (const media of Object.values(response.content ?? {})) {
        const values = [media.example, ...Object.values(media.examples ?? {}).map((e) => e.value)].filter((v) => v !== undefined);
        for (const value of values) {
          const found = getAt(value, behaviour.at ?? '');
          for (const found_ of Array.isArray(found) ? found : [found]) {
            if (!found_ || typeof found_ !== 'object') continue;
            const record = { ...(found_ as Record_) };
            if (record[key] === undefined && behaviour.action === 'read' && impliedId !== undefined) record[key] = impliedId as never;
            if (record[key] === undefined) continue;
            let bucket = seeds.get(behaviour.resource);
            if (!bucket) seeds.set(behaviour.resource, (bucket = new Map()));
            const id = String(record[key]);
            // A read example usually carries more fields than a list item: keep the fuller one.
            const known = bucket.get(id);
            if (!known || Object.keys(record).length > Object.keys(known).length) bucket.set(id, record);
          }
        }
      }
    }
  }
  return seeds;
}
