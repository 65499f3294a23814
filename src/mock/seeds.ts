import type { Embed, MockBehaviour } from './state/behaviour.js';
import { getAt } from './state/pointer.js';
import { scopedId, type Record_ } from './state/store.js';
import type { Operation } from './prism.js';

type BehaviourOf = (operation: Operation) => MockBehaviour | undefined;

/** Every 2xx example value of an operation (Prism's operations have every $ref resolved). */
function examplesOf(operation: Operation): unknown[] {
  return operation.responses
    .filter((response) => response.code.startsWith('2'))
    .flatMap((response) => response.contents ?? [])
    .flatMap((content) => content.examples ?? [])
    .flatMap((example) => ('value' in example && example.value !== undefined ? [example.value] : []));
}

function pathExample(operation: Operation, name: string | undefined): unknown {
  const example = name === undefined ? undefined : operation.request?.path?.find((p) => p.name === name)?.examples?.[0];
  return example && 'value' in example ? example.value : undefined;
}

function recordsAt(value: unknown, at: string): Record_[] {
  const found = getAt(value, at);
  return (Array.isArray(found) ? found : [found]).filter((r): r is Record_ => r !== null && typeof r === 'object' && !Array.isArray(r));
}

/** The starting data: every record the spec's list, read and create examples show, by resource and id. */
export function seedsFrom(operations: Operation[], behaviourOf: BehaviourOf) {
  const seeds = new Map<string, Map<string, Record_>>();
  for (const operation of operations) {
    const behaviour = behaviourOf(operation);
    // Lists, reads and creates that answer with the record show records that exist (a reserved
    // voucher, a points hold): the example requests of later calls in the same story name them.
    const shows = behaviour?.action === 'list' || behaviour?.action === 'read' || (behaviour?.action === 'create' && (behaviour.returns ?? 'record') === 'record');
    if (behaviour?.action === 'read' && behaviour.embed) embeddedSeeds(operation, behaviour.embed, seeds);
    if (!behaviour?.resource || !shows) continue;
    const key = behaviour.key ?? 'id';
    // A read whose answer does not carry the id (statistics of account 21): the id is the path's example.
    const impliedId = behaviour.action === 'read' ? pathExample(operation, behaviour.id) : undefined;
    // A record that belongs to another (a lead to its account) belongs to the one the example path names.
    const scope = behaviour.scope === undefined ? undefined : pathExample(operation, behaviour.scope);
    for (const value of examplesOf(operation)) {
      for (const found of recordsAt(value, behaviour.at ?? '')) {
        const record = { ...found };
        if (record[key] === undefined && impliedId !== undefined) record[key] = impliedId as never;
        if (record[key] === undefined) continue;
        let bucket = seeds.get(behaviour.resource);
        if (!bucket) seeds.set(behaviour.resource, (bucket = new Map()));
        const id = scopedId(scope === undefined ? undefined : String(scope), String(record[key]));
        // A read example usually carries more fields than a list item: keep the fuller one.
        const known = bucket.get(id);
        if (!known || Object.keys(record).length > Object.keys(known).length) bucket.set(id, record);
      }
    }
  }
  return seeds;
}

/**
 * The records a read's answer shows of another resource (`embed`: a Perx program's points
 * history), each taking the fields its filters compare from the example path: the history lines
 * of program 1's example belong to program 1.
 */
function embeddedSeeds(operation: Operation, embed: Embed, seeds: Map<string, Map<string, Record_>>) {
  for (const value of examplesOf(operation)) {
    for (const found of recordsAt(value, embed.at)) {
      const record = { ...found };
      for (const [param, filter] of Object.entries(embed.filters ?? {})) {
        const field = typeof filter === 'string' ? filter : filter.field;
        const example = pathExample(operation, param);
        if (!field.startsWith('/') && record[field] === undefined && example !== undefined) record[field] = example as never;
      }
      if (record.id === undefined) continue;
      let bucket = seeds.get(embed.resource);
      if (!bucket) seeds.set(embed.resource, (bucket = new Map()));
      bucket.set(scopedId(undefined, String(record.id)), record);
    }
  }
}

/** Links the examples imply: the members a group's member-list example shows belong to that group. */
export function linksFrom(operations: Operation[], behaviourOf: BehaviourOf) {
  const links: { relation: string; left: string; right: string }[] = [];
  for (const operation of operations) {
    const behaviour = behaviourOf(operation);
    if (behaviour?.action !== 'list' || !behaviour.via) continue;
    const owner = pathExample(operation, behaviour.via.param);
    if (owner === undefined) continue;
    const key = behaviour.key ?? 'id';
    for (const record of examplesOf(operation).flatMap((value) => recordsAt(value, behaviour.at ?? ''))) {
      if (record[key] === undefined) continue;
      const [left, right] = behaviour.via.side === 'left' ? [String(owner), String(record[key])] : [String(record[key]), String(owner)];
      links.push({ relation: behaviour.via.relation, left, right });
    }
  }
  return links;
}
