import { describe, expect, it } from 'vitest';
import { noAnswerCause as causeOf } from './no-answer.js';

const failed = (cause: unknown) => new TypeError('fetch failed', { cause });
const unmasked = (text: string) => text;
const noAnswerCause = (error: unknown, mask = unmasked) => causeOf(error, mask);

describe('noAnswerCause', () => {
  it("says the cause's message, with its code where the message lacks it", () => {
    expect(noAnswerCause(failed(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })))).toBe('connect ECONNREFUSED 127.0.0.1:9');
    expect(noAnswerCause(failed(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })))).toBe('other side closed (UND_ERR_SOCKET)');
  });

  it('bounds what a cause brings: a long message is cut, an AggregateError of many addresses names four', () => {
    const said = noAnswerCause(failed(new Error('x'.repeat(1_000_000))))!;
    expect(said).toHaveLength(501);
    expect(said.endsWith('x…')).toBe(true);
    const many = new AggregateError(Array.from({ length: 1000 }, (_, i) => new Error(`connect ECONNREFUSED 10.0.0.${i}:443`)), '');
    expect(noAnswerCause(failed(many))).toBe('connect ECONNREFUSED 10.0.0.0:443; connect ECONNREFUSED 10.0.0.1:443; connect ECONNREFUSED 10.0.0.2:443; connect ECONNREFUSED 10.0.0.3:443; and 996 more');
  });

  it('masks before it cuts: a credential the cut would split is masked whole, not shown in part', () => {
    const mask = (text: string) => text.replaceAll('SECRETVALUE123', '[redacted]');
    const said = noAnswerCause(failed(new Error(`${'x'.repeat(495)}SECRETVALUE123 and more`)), mask)!;
    expect(said).toBe(`${'x'.repeat(495)}[reda…`);
    const many = new AggregateError([new Error('connect ECONNREFUSED SECRETVALUE123:443'), new Error('')], '');
    expect(noAnswerCause(failed(many), mask)).toBe('connect ECONNREFUSED [redacted]:443');
  });

  it('says nothing of a cause it cannot read as text: none, a non-string message, a getter that throws, a loop', () => {
    const throwing = Object.defineProperty(new TypeError('fetch failed'), 'cause', { get: () => { throw new Error('boom'); } });
    const looping = new Error('');
    (looping as { cause?: unknown }).cause = looping;
    for (const error of [new TypeError('fetch failed'), failed({ message: 42 }), failed('a text'), throwing, failed(looping), failed(new AggregateError([], ''))]) {
      expect(noAnswerCause(error)).toBeUndefined();
    }
  });
});
