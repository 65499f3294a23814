import { describe, expect, it } from 'vitest';
import { violationAnswer } from './violations.js';

const documented = { error: 'Invalid parameters', details: { event_schema_version: [{ value: 3, error: 'inclusion', options: { in: [1, 2] }, message: 'is not included in the list' }] } };
const violations = { status: 422, at: '/details', symbols: { enum: 'inclusion', 'type:integer': 'not_an_integer', '*': 'invalid' } };

describe('violationAnswer', () => {
  it("files the violation under its field's path, an array index as its text, with the rule's symbol, options and the value sent", () => {
    const error = { keyword: 'enum', instancePath: '/hooks/0/version', params: { allowedValues: [1, 2] }, message: 'must be equal to one of the allowed values' };
    expect(violationAnswer(documented, violations, error, { hooks: [{ version: 9 }] })).toEqual({
      error: 'Invalid parameters',
      details: { hooks: { 0: { version: [{ value: 9, error: 'inclusion', options: { in: [1, 2] }, message: 'must be one of 1, 2' }] } } },
    });
  });

  it('reads a type rule by its type first, then any rule by `*`, and a required field by its own name, without a value', () => {
    const typed = { keyword: 'type', instancePath: '/n', params: { type: 'integer' }, message: 'must be integer' };
    expect(violationAnswer(documented, violations, typed, { n: 'x' })).toMatchObject({ details: { n: [{ error: 'not_an_integer', value: 'x' }] } });
    const required = { keyword: 'required', instancePath: '', params: { missingProperty: 'url' }, message: "must have required property 'url'" };
    expect(violationAnswer(documented, violations, required, {})).toEqual({ error: 'Invalid parameters', details: { url: [{ error: 'invalid', options: {}, message: 'is required but missing' }] } });
  });

  it('shows only the fields the documented error shows, and leaves the answer as it is where no field is named', () => {
    const terse = { error: 'Invalid parameters', details: { per_page: [{ error: 'less_or_equal_to', options: { number: 1000 } }] } };
    const error = { keyword: 'maximum', instancePath: '/n', params: { limit: 10 }, message: 'must be <= 10' };
    expect(violationAnswer(terse, violations, error, { n: 11 })).toEqual({ error: 'Invalid parameters', details: { n: [{ error: 'invalid', options: { number: 10 } }] } });
    expect(violationAnswer(documented, violations, { keyword: 'type', instancePath: '', params: { type: 'object' } }, [])).toBeUndefined();
  });

  it("nests each level below the first in the `nest` field of a list's one item, naming the field as `property` where the example's error does, and files a field `filedAs` elsewhere", () => {
    const member = { email: [{ property: 'email', error: 'duplicated_email_in_community' }] };
    const nested = { status: 422, at: '', nest: 'error', filedAs: { '/properties/email': '/email' }, symbols: { required: 'not_contain_required_property', '*': 'invalid' } };
    const typed = (instancePath: string) => ({ keyword: 'type', instancePath, params: { type: 'string' }, message: 'must be string' });
    expect(violationAnswer(member, nested, typed('/properties/language'), { properties: { language: 5 } })).toEqual({ properties: [{ error: { language: [{ property: 'language', error: 'invalid' }] } }] });
    expect(violationAnswer(member, nested, typed('/properties/email'), { properties: { email: 5 } })).toEqual({ email: [{ property: 'email', error: 'invalid' }] });
    const required = { keyword: 'required', instancePath: '/consents/c1', params: { missingProperty: 'status' }, message: "must have required property 'status'" };
    expect(violationAnswer(member, nested, required, { consents: { c1: {} } })).toEqual({ consents: [{ error: { c1: [{ error: { status: [{ property: 'status', error: 'not_contain_required_property' }] } }] } }] });
    // The "Invalid parameters" form shows no `property`: its example's errors have none.
    expect(violationAnswer(documented, violations, typed('/a/b'), { a: { b: 5 } })).toEqual({ error: 'Invalid parameters', details: { a: { b: [{ value: 5, error: 'invalid', options: {}, message: 'must be string' }] } } });
  });

  it("files the rule's message alone where the documented errors are texts (Placewise's push-token call)", () => {
    const plain = { error: 'Invalid parameters', details: { app_token: ['must be a string'], app_platform: ['must be one of: android, ios'] } };
    const error = { keyword: 'enum', instancePath: '/app_platform', params: { allowedValues: ['android', 'ios', null] }, message: 'must be equal to one of the allowed values' };
    expect(violationAnswer(plain, violations, error, { app_platform: 'windows' })).toEqual({ error: 'Invalid parameters', details: { app_platform: ['must be one of "android", "ios", null'] } });
  });
});
