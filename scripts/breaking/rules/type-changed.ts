import type { SchemaRule } from '../types.js';
import { admits, typeSet } from '../schema-shape.js';
import { fieldWords, isMapPath } from './tightening.js';

/**
 * The JSON types a field admits (3.1 type arrays, so `null` too): a type dropped narrows it and
 * breaks writers sending that type; a type added widens it and breaks readers (a field that can
 * now be null is the common case). A change of type does both, and is one breaking finding.
 */
export const typeChanged: SchemaRule = {
  id: 'type-changed',
  check(before, after, { direction, path, whom }) {
    const old = typeSet(before);
    const now = typeSet(after);
    const field = fieldWords(path);
    const list = (types: Set<string> | undefined) => (types ? [...types].join(' or ') : 'any type');
    if (!old && !now) return [];
    const dropped = old ? [...old].filter((type) => !now || !admits(now, type)) : now ? ['any type'] : [];
    const added = now ? [...now].filter((type) => !old || !admits(old, type)) : old ? ['any type'] : [];
    // "no type" -> a type narrows; a type -> "no type" widens.
    const narrowed = (old === undefined && now !== undefined) || (old !== undefined && now !== undefined && dropped.length > 0);
    const widened = (old !== undefined && now === undefined) || (old !== undefined && now !== undefined && added.length > 0);
    // A map's keys are many values: "other properties must now be integer", not "changed from".
    const change = isMapPath(path) ? `${field} ${narrowed && !widened ? 'must' : 'may'} now be ${list(now)} (were ${list(old)})` : `${field} changed from ${list(old)} to ${list(now)}`;
    // A type swapped for another narrows and widens at once: one change, breaking whichever way
    // the value goes, reported once (its other half is no addition).
    if (narrowed && direction === 'write') return [{ rule: 'type-changed', severity: 'breaking' as const, message: `${change}: ${whom} sending ${old ? dropped.join(' or ') : 'other types'} are refused` }];
    if (widened && direction === 'read') return [{ rule: 'type-changed', severity: 'breaking' as const, message: `${change}: ${whom} must now handle ${now ? added.join(' or ') : 'any type'}` }];
    // What is left is one half alone: narrower where the value is read, or wider where it is written.
    return narrowed || widened ? [{ rule: 'type-changed', severity: 'info' as const, message: `${change} (${narrowed ? 'narrower' : 'wider'})` }] : [];
  },
};
