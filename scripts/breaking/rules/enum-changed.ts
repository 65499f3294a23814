import type { Json, JsonObject, SchemaRule } from '../types.js';
import { jsonKey } from '../schema-equal.js';
import { fieldWords } from './tightening.js';

const values = (schema: JsonObject): Json[] | undefined =>
  Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const as Json] : undefined;
const show = (list: Json[]) => list.map((value) => `\`${JSON.stringify(value)}\``).join(', ');

/**
 * Allowed values (enum, const): a value removed, or a list imposed, breaks writers that send it;
 * a value added, or the list dropped, breaks readers that switch over the known values.
 */
export const enumChanged: SchemaRule = {
  id: 'enum-changed',
  check(before, after, { direction, path, whom }) {
    const old = values(before);
    const now = values(after);
    const field = fieldWords(path);
    if (!old && !now) return [];
    if (old && !now) {
      return direction === 'read'
        ? [{ rule: 'enum-changed', severity: 'breaking', message: `${field} is no longer limited to ${show(old)}: ${whom} must now handle other values (a switch over those misses them)` }]
        : [{ rule: 'enum-changed', severity: 'info', message: `${field} is no longer limited to a list of values` }];
    }
    if (!old && now) {
      return direction === 'write'
        ? [{ rule: 'enum-changed', severity: 'breaking', message: `${field} is now limited to ${show(now)}: ${whom} sending other values are refused` }]
        : [{ rule: 'enum-changed', severity: 'info', message: `${field} is now limited to ${show(now)}` }];
    }
    // Compared as sets of canonical keys: an object value with its keys in another order is the same value, and a long list costs no more than reading it.
    const [oldKeys, nowKeys] = [old!.map(jsonKey), now!.map(jsonKey)];
    const [had, has] = [new Set(oldKeys), new Set(nowKeys)];
    const removed = old!.filter((_, i) => !has.has(oldKeys[i]));
    const added = now!.filter((_, i) => !had.has(nowKeys[i]));
    const findings = [];
    if (removed.length) {
      findings.push(
        direction === 'write'
          ? { rule: 'enum-changed', severity: 'breaking' as const, message: `${field} no longer accepts ${show(removed)}: ${whom} sending it are refused` }
          : { rule: 'enum-changed', severity: 'info' as const, message: `${field} is no longer ${show(removed)}` },
      );
    }
    if (added.length) {
      const them = added.length > 1 ? 'them' : 'it';
      findings.push(
        direction === 'read'
          ? { rule: 'enum-changed', severity: 'breaking' as const, message: `${field} can now be ${show(added)}: ${whom} must now handle ${them} (a switch over the known values misses ${them})` }
          : { rule: 'enum-changed', severity: 'info' as const, message: `${field} now also accepts ${show(added)}` },
      );
    }
    return findings;
  },
};
