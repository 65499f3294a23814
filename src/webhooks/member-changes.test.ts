import { describe, expect, it } from 'vitest';
import type { components } from '../../generated/placewise/schema.js';
import { buildMemberChangeNotification, buildMemberChangeNotificationV1, toNotificationMember } from './member-changes.js';
import { placewiseWebhookExamples, validatePlacewisePayload } from './placewise.js';

type Member = components['schemas']['Member'];
const club = { id: 32, slug: 'infinity-mall' };
const date = '2020-02-05T14:31:15.520Z';

const before: Member = {
  id: 11256,
  person_id: 89103,
  properties: { msisdn: '4740769126', first_name: 'Mark', zip_code: '3300', interests: ['bikes'] },
  consents: { sms_marketing: { status: false, updated_at: '2020-01-21T10:23:34.982Z' } },
  sms_status: 'enabled',
  email_status: 'enabled',
  push_status: 'enabled',
  optin_channel: 'ios',
  optin_subchannel: null,
  created_at: '2020-01-21T10:23:34.982Z',
  updated_at: '2020-01-21T10:23:34.982Z',
};
const after: Member = {
  ...before,
  properties: { email: 'john@example.com', first_name: 'John', last_name: 'Doe', interests: ['bikes'] },
  consents: { sms_marketing: { status: true, updated_at: date }, email_marketing: { status: false, updated_at: date } },
  sms_status: 'verified',
  push_status: 'disabled',
  updated_at: date,
};

describe('buildMemberChangeNotification', () => {
  it('an update reports only what changed, in the vendor example shape, and validates', () => {
    const payload = buildMemberChangeNotification(before, after, club, { date });
    expect(validatePlacewisePayload(payload)).toBe(payload);
    const [event] = payload.events;
    expect(event!.event).toEqual({ type: 'update', date });
    expect(event!.loyalty_club).toEqual(club);
    expect(event!.member).toMatchObject({ id: 11256, person_id: 89103, email: 'john@example.com', msisdn: null, properties: { first_name: 'John' } });
    expect(event!.member.properties).not.toHaveProperty('email');
    expect(event!.member_changes).toEqual({
      msisdn: { change: '-', was: '4740769126', is: null },
      email: { change: '+', was: null, is: 'john@example.com' },
      sms_status: { change: '~', was: 'enabled', is: 'verified' },
      push_status: { change: '~', was: 'enabled', is: 'disabled' },
      properties: {
        first_name: { change: '~', was: 'Mark', is: 'John' },
        last_name: { change: '+', was: null, is: 'Doe' },
        zip_code: { change: '-', was: '3300', is: null },
      },
      consents: {
        sms_marketing: { change: '~', was: false, is: true },
        email_marketing: { change: '+', was: null, is: false },
      },
    });
  });

  it('an import has everything as added', () => {
    const payload = buildMemberChangeNotification(null, before, club, { date });
    expect(validatePlacewisePayload(payload)).toBe(payload);
    expect(payload.events[0]!.event.type).toBe('import');
    expect(payload.events[0]!.member_changes.msisdn).toEqual({ change: '+', was: null, is: '4740769126' });
    expect(payload.events[0]!.member_changes.properties?.interests).toEqual({ change: '+', was: null, is: ['bikes'] });
  });

  it('a delete holds only id and person_id and no changes', () => {
    const payload = buildMemberChangeNotification(after, null, club, { date });
    expect(validatePlacewisePayload(payload)).toBe(payload);
    expect(payload.events[0]).toEqual({ event: { type: 'delete', date }, loyalty_club: club, member: { id: 11256, person_id: 89103 }, member_changes: {} });
  });

  it('an update that changes nothing has empty changes; person_id can be left out', () => {
    const payload = buildMemberChangeNotification(before, structuredClone(before), club, { date, includePersonId: false });
    expect(payload.events[0]!.member_changes).toEqual({});
    expect(payload.events[0]!.member).not.toHaveProperty('person_id');
  });

  it('uses the current time when no date is given', () => {
    const payload = buildMemberChangeNotification(null, { id: 1 }, club);
    expect(Date.now() - Date.parse(payload.events[0]!.event.date)).toBeLessThan(5_000);
    expect(validatePlacewisePayload(payload)).toBe(payload);
  });

  it('needs a member on at least one side', () => {
    expect(() => buildMemberChangeNotification(null, null, club)).toThrow(/before or after/);
  });

  it('maps consents from status to value', () => {
    expect(toNotificationMember(after).consents).toEqual({
      sms_marketing: { value: true, updated_at: date },
      email_marketing: { value: false, updated_at: date },
    });
  });
});

describe('toNotificationMember', () => {
  it('moves email and msisdn to the top level and carries every tracked field and both timestamps', () => {
    const member: Member = { ...after, email_status: 'verified', optin_subchannel: 'app-store' };
    expect(toNotificationMember(member)).toStrictEqual({
      id: 11256,
      person_id: 89103,
      msisdn: null,
      email: 'john@example.com',
      properties: { first_name: 'John', last_name: 'Doe', interests: ['bikes'] },
      consents: {
        sms_marketing: { value: true, updated_at: date },
        email_marketing: { value: false, updated_at: date },
      },
      sms_status: 'verified',
      email_status: 'verified',
      push_status: 'disabled',
      optin_channel: 'ios',
      optin_subchannel: 'app-store',
      created_at: '2020-01-21T10:23:34.982Z',
      updated_at: date,
    });
  });

  it('gives null for what the member lacks, and leaves out timestamps it does not have', () => {
    expect(toNotificationMember({ id: 5, consents: { news: {} } })).toStrictEqual({
      id: 5,
      person_id: null,
      msisdn: null,
      email: null,
      properties: {},
      consents: { news: { value: undefined, updated_at: null } },
      sms_status: null,
      email_status: null,
      push_status: null,
      optin_channel: null,
      optin_subchannel: null,
    });
  });

  it('sends person_id only as a number (the API docs also allow a string), and leaves it out on request', () => {
    expect(toNotificationMember({ id: 5, person_id: '89103' }).person_id).toBeNull();
    expect(toNotificationMember({ id: 5, person_id: 89103 }, false)).not.toHaveProperty('person_id');
  });

  it('takes only string emails and msisdns to the top level', () => {
    const member = toNotificationMember({ id: 5, properties: { email: 42, msisdn: 4740769126, zip_code: '3300' } });
    expect(member).toMatchObject({ email: null, msisdn: null, properties: { zip_code: '3300' } });
  });
});

describe('buildMemberChangeNotification: what counts as a change', () => {
  const changesOf = (was: unknown, is: unknown) =>
    buildMemberChangeNotification({ id: 1, properties: { address: was } }, { id: 1, properties: { address: is } }, club, { date }).events[0]!.member_changes;

  it('lists only the fields that changed (no keys for unchanged ones)', () => {
    const payload = buildMemberChangeNotification({ id: 1, sms_status: 'enabled' }, { id: 1, sms_status: 'verified' }, club, { date });
    expect(Object.keys(payload.events[0]!.member_changes)).toEqual(['sms_status']);
  });

  it('compares nested values by content', () => {
    expect(changesOf({ street: 'Storgata 1', city: 'Oslo' }, { street: 'Storgata 1', city: 'Oslo' })).toStrictEqual({});
    expect(changesOf({ street: 'Storgata 1', city: 'Oslo' }, { street: 'Storgata 1', city: 'Bergen' }).properties?.address?.change).toBe('~');
    expect(changesOf({ street: 'Storgata 1', city: 'Oslo' }, { street: 'Storgata 2', city: 'Oslo' }).properties?.address?.change).toBe('~');
    expect(changesOf({ street: 'Storgata 1' }, { street: 'Storgata 1', city: 'Oslo' }).properties?.address?.change).toBe('~');
  });

  it('takes a change of kind as a change, even between empty values', () => {
    expect(changesOf(0, {}).properties?.address).toEqual({ change: '~', was: 0, is: {} });
    expect(changesOf({}, 0).properties?.address).toEqual({ change: '~', was: {}, is: 0 });
    expect(changesOf([], {}).properties?.address).toEqual({ change: '~', was: [], is: {} });
    expect(changesOf({ floor: null }, { floor: {} }).properties?.address?.change).toBe('~');
    expect(changesOf({ floor: {} }, { floor: null }).properties?.address?.change).toBe('~');
  });
});

describe('buildMemberChangeNotificationV1', () => {
  it('an update: every property as { type, value } with the value as text, consents as { value }, valid v1', () => {
    const payload = buildMemberChangeNotificationV1(before, after, { ...club, name: 'Infinity Mall' }, { date });
    expect(payload).toEqual({
      version: 1,
      bulk: [
        {
          customer_name: 'Infinity Mall',
          customer_id: 32,
          event_type: 'update',
          external_id: 11256,
          properties: {
            email: { type: 'string', value: 'john@example.com' },
            first_name: { type: 'string', value: 'John' },
            last_name: { type: 'string', value: 'Doe' },
            interests: { type: 'array', value: '["bikes"]' },
            optin_channel: { type: 'string', value: 'ios' },
            sms_status: { type: 'string', value: 'verified' },
            email_status: { type: 'string', value: 'enabled' },
            push_status: { type: 'string', value: 'disabled' },
          },
          consents: { sms_marketing: { value: true }, email_marketing: { value: false } },
          created_at: date,
          optin_date: '2020-01-21T10:23:34.982Z',
        },
      ],
    });
    expect(validatePlacewisePayload(payload)).toBe(payload);
  });

  it('an import without a club name leaves customer_name out; a delete keeps only the identifiers and no consents', () => {
    expect(buildMemberChangeNotificationV1(null, after, club, { date }).bulk[0]).toMatchObject({ event_type: 'import', customer_id: 32 });
    expect(buildMemberChangeNotificationV1(null, after, club, { date }).bulk[0]).not.toHaveProperty('customer_name');
    const gone = buildMemberChangeNotificationV1(before, null, club, { date });
    expect(gone.bulk[0]).toMatchObject({ event_type: 'delete', external_id: 11256, properties: { msisdn: { type: 'string', value: '4740769126' } }, consents: {} });
    expect(Object.keys(gone.bulk[0]!.properties!)).toEqual(['msisdn']);
    expect(validatePlacewisePayload(gone)).toBe(gone);
  });

  it("carries the member's MSISDN, statuses and opt-in channel among the properties, as the vendor's v1 example does, from the member", () => {
    const member: Member = { ...after, properties: { msisdn: '4740000000', email: 'x@example.com' }, sms_status: 'enabled', email_status: 'hard_bounced', push_status: undefined, optin_channel: 'webforms' };
    const { properties } = buildMemberChangeNotificationV1(null, member, club, { date }).bulk[0]!;
    expect(properties).toEqual({
      msisdn: { type: 'string', value: '4740000000' },
      email: { type: 'string', value: 'x@example.com' },
      optin_channel: { type: 'string', value: 'webforms' },
      sms_status: { type: 'string', value: 'enabled' },
      email_status: { type: 'string', value: 'hard_bounced' },
    });
    // The vendor's example names these properties; the mock's notification names the same ones.
    const vendorNames = Object.keys((placewiseWebhookExamples.memberChangesV1.update as { bulk: { properties: object }[] }).bulk[0]!.properties);
    const full = buildMemberChangeNotificationV1(null, { ...member, push_status: 'enabled', properties: { ...member.properties, birthday: '1990-01-01', gender: 'woman', language: 'en', first_name: 'J', last_name: 'D' } }, club, { date });
    expect(Object.keys(full.bulk[0]!.properties!).sort()).toEqual([...vendorNames].sort());
    // A club property of the same name as a field the member lacks is kept (a second round found it dropped).
    const clubOwn = buildMemberChangeNotificationV1(null, { ...member, properties: { push_status: 'club-value' } }, club, { date });
    expect(clubOwn.bulk[0]!.properties!.push_status).toEqual({ type: 'string', value: 'club-value' });
  });

  it('needs a member before or after', () => {
    expect(() => buildMemberChangeNotificationV1(null, null, club)).toThrow(TypeError);
  });
});
