/**
 * The prefilters skip a pair pattern only where it could learn nothing: wherever JSON_PAIR finds a
 * pair whose name (escapes undone) is a credential's, or SCRIPT_PAIR finds any pair, they say yes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCredentialField, JSON_PAIR, SCRIPT_PAIR } from './har.js';
import { mayHoldCredentialJsonPair, mayHoldScriptPair } from './pair-prefilter.js';

const unescaped = (key: string) => {
  try {
    return JSON.parse(`"${key}"`) as string;
  } catch {
    return key;
  }
};
const credentialJsonPair = (text: string) => [...text.matchAll(JSON_PAIR)].some(([, key]) => isCredentialField(unescaped(key!)));

/** Texts made of what the patterns turn on: names and their words, escapes of every kind, quotes, colons, spacing. */
const piece = fc.constantFrom(
  ...['"', "'", ':', ': ', ' : ', ',', '{', '}', '[', ']', '\\', '\\\\', '\\"', '\\u0070', '\\u0050', '\\u0073', '\\n', '\n', ' ', '\u2028', '1', '-2', 'x', '_', '-', '$'],
  ...['pass', 'Pass', 'word', 'token', 'Token', 'TOKEN', 'secret', 'pin', 'pwd', 'jwt', 'JWT', 'key', 'Keys', 'api', 'access', 'session', 'Id', '_id', 'credential', 's', 'authorization', 'user_', 'shipping', 'keywords', 'at', 'ss', 'code', 'Code', '_verifier', 'device_', 'client_', 'assertion', 'auth_', 'req', 'Req'],
);
/** A pair of names made of those pieces, as a JSON or script text writes one, so that most texts hold a few. */
const pair = fc
  .tuple(fc.constantFrom('"', "'", ''), fc.array(piece, { minLength: 1, maxLength: 4 }), fc.constantFrom(':', ' : ', ': '), fc.constantFrom('"x"', "'x'", '12', '-1', '"'))
  .map(([quote, name, colon, value]) => `${quote}${name.join('')}${quote}${colon}${value}`);
const text = fc.array(fc.oneof(piece, pair), { maxLength: 30 }).map((pieces) => pieces.join(''));

describe('the pair prefilters', () => {
  it('say yes wherever a JSON pair names a credential, and wherever a script pair stands', () => {
    fc.assert(
      fc.property(text, (text) => {
        if (credentialJsonPair(text)) expect(mayHoldCredentialJsonPair(text)).toBe(true);
        if (SCRIPT_PAIR.test(text)) expect(mayHoldScriptPair(text)).toBe(true);
        SCRIPT_PAIR.lastIndex = 0;
      }),
      { numRuns: 10_000 },
    );
  });

  it('find a credential named with escapes, or behind an escaped quote, and none in a value', () => {
    for (const named of ['{"pass\\u0077ord":"x"}', '{"\\u0070in": 1}', '{"a\\"b_secret" : "x"}', '{"\\"x_\\u0070in":"x"}', '{"x\\\\_token":-1}', `{"${'a'.repeat(190)}_pin":"x"}`])
      expect([credentialJsonPair(named), mayHoldCredentialJsonPair(named)]).toEqual([true, true]);
    for (const none of ['{"name":"Shipping keywords","tags":["pin","pass key"]}', '{"note":"token: \\"abc\\""}'])
      expect([credentialJsonPair(none), mayHoldCredentialJsonPair(none)]).toEqual([false, false]);
    expect(mayHoldScriptPair('{"id":"1","note":"a b"}')).toBe(false);
    expect(mayHoldScriptPair("{'refresh_token': 'abc'}")).toBe(true);
  });
});
