/**
 * fillPath writes the URL openapi-fetch's own path serializer writes, for every kind of template
 * and value: it only takes a faster way for plain placeholders filled with strings and numbers.
 */
import { defaultPathSerializer } from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { fillPath } from './path-template.js';

const base = 'https://api.example.test/v1';
const templates = [
  `${base}/accounts/{accountId}/statistics`,
  `${base}/a/{x}/b/{y}`,
  `${base}/twice/{x}/{x}`,
  `${base}/label/{.x}`,
  `${base}/matrix/{;x}`,
  `${base}/exploded/{x*}`,
  `${base}/none`,
  `${base}/{x}`,
  `${base}/x{x}y`,
  `${base}/a/{{x}}/{1}`,
  `${base}/a/{x}}/{y}`,
];
const values: Record<string, unknown>[] = [
  { x: 'a b/c?d#e', y: 42, accountId: 7 },
  { x: 0, y: -1.5, accountId: '007' },
  { x: 'ünï©ødé', y: '%2F', accountId: '$&$1' },
  { x: true, y: false, accountId: 10n },
  { x: ['a', 'b'], y: { k: 'v', l: 'w' }, accountId: [1, 2] },
  { y: null, accountId: undefined },
  { x: 1, 1: 'z', y: 'x' },
  {},
];

describe('fillPath', () => {
  for (const template of templates) {
    it(`writes ${template.slice(base.length)} as openapi-fetch does, for every kind of value`, () => {
      for (const given of values) expect(fillPath(template, given)).toBe(defaultPathSerializer(template, given));
    });
  }

});
