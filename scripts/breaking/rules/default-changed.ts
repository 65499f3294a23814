import type { Json, SchemaRule } from '../types.js';
import { jsonKey } from '../schema-equal.js';

const show = (value: Json | undefined) => (value === undefined ? 'none' : `\`${JSON.stringify(value)}\``);

/**
 * A `default`: what the vendor takes when the value is left out. Changed or dropped where the
 * consumer writes (request parameters and body fields, a webhook handler's answer), callers that
 * leave the value out still compile and are not refused, but get other behaviour (Placewise's
 * `per_page` 1000 → 25 returns fewer records): a warning for a person to judge, as oasdiff reports
 * request defaults. A default where there was none documents a fallback, and what is read is not
 * filled in by the consumer: both listed only.
 */
export const defaultChanged: SchemaRule = {
  id: 'default-changed',
  check(before, after, { direction, path, whom }) {
    if (jsonKey(before.default) === jsonKey(after.default)) return [];
    const state = before.default === undefined ? 'added' : after.default === undefined ? 'removed' : 'changed';
    const change = `${path ? `\`${path}\`: ` : ''}default ${state} (${show(before.default)} → ${show(after.default)})`;
    if (direction === 'read' || state === 'added') return [{ rule: 'default-changed', severity: 'info', message: change }];
    const now = after.default === undefined ? 'no documented value' : show(after.default);
    return [{ rule: 'default-changed', severity: 'warning', message: `${change}: ${whom} that leave it out now get ${now}` }];
  },
};
