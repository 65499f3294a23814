/**
 * Builds the Placewise v2 member-changes notification that MPC would send for a change of one
 * member, from the member before and after (as the Members API returns it) — for the stateful
 * mock and for tests. Pure: no I/O, no clock unless `date` is left out.
 *
 * The API's Member and the notification's member differ (PLACEWISE-31): the notification has
 * `email` and `msisdn` at the top level (the API keeps them among `properties`) and consents as
 * `{ value }` (the API has `{ status }`). Changes use the `was` / `is` names of the vendor's
 * example (PLACEWISE-30).
 */
import type { components } from '../../generated/placewise/schema.js';
import type { PlacewiseMemberChangesV1, PlacewiseMemberChangesV2 } from './placewise.js';

type Member = components['schemas']['Member'];
type NotificationMember = components['schemas']['NotificationMember'];
type MemberChanges = components['schemas']['MemberChanges'];
type MemberChange = components['schemas']['MemberChange'];

export interface LoyaltyClubRef {
  id: number;
  slug: string;
  /** The club's name (v1 notifications carry it as `customer_name`). */
  name?: string | undefined;
}

export interface MemberChangeOptions {
  /** When the change happened (ISO 8601); now when left out. */
  date?: string | undefined;
  /** Whether `person_id` is sent (the subscription's `is_person_id_sent`); default true. */
  includePersonId?: boolean | undefined;
}

/** Top-level member fields the notification reports changes of, besides consents and properties. */
const TRACKED = ['msisdn', 'email', 'sms_status', 'email_status', 'push_status', 'optin_channel', 'optin_subchannel'] as const;

/**
 * One notification with one event: `import` when there is no member before, `delete` when there
 * is none after (the member then holds only `id` and `person_id`, and there are no changes),
 * `update` otherwise. Only fields that really changed appear in `member_changes`.
 */
export function buildMemberChangeNotification(
  before: Member | null,
  after: Member | null,
  loyaltyClub: LoyaltyClubRef,
  options: MemberChangeOptions = {},
): PlacewiseMemberChangesV2 {
  if (!before && !after) throw new TypeError('buildMemberChangeNotification: a member before or after the change is required');
  const includePersonId = options.includePersonId ?? true;
  const date = options.date ?? new Date().toISOString();
  const type = !before ? 'import' : !after ? 'delete' : 'update';

  let member: NotificationMember;
  let changes: MemberChanges = {};
  if (type === 'delete') {
    const gone = before!;
    member = { id: gone.id, ...(includePersonId ? { person_id: personId(gone) } : {}) };
  } else {
    member = toNotificationMember(after!, includePersonId);
    changes = diff(before ? toNotificationMember(before, includePersonId) : null, member);
  }
  return {
    version: 2,
    events: [{ event: { type, date }, loyalty_club: { id: loyaltyClub.id, slug: loyaltyClub.slug }, member, member_changes: changes }],
  };
}

type ChangeV1 = PlacewiseMemberChangesV1['bulk'][number];

/** Member fields the vendor's v1 example lists among the properties, besides `email` and `msisdn`. */
const V1_FIELDS = ['optin_channel', 'sms_status', 'email_status', 'push_status'] as const;

/**
 * The same change in the deprecated v1 format, still sent to subscriptions set to
 * `event_schema_version: 1`: each property as `{ type, value }` with the value as text (the
 * vendor's example shows strings only; other values are written as JSON, PLACEWISE-34), the
 * member's channel and statuses among them as in the vendor's example, consents as `{ value }`,
 * and for `delete` only the identifiers and no consents.
 */
export function buildMemberChangeNotificationV1(before: Member | null, after: Member | null, loyaltyClub: LoyaltyClubRef, options: Pick<MemberChangeOptions, 'date'> = {}): PlacewiseMemberChangesV1 {
  if (!before && !after) throw new TypeError('buildMemberChangeNotificationV1: a member before or after the change is required');
  const type = !before ? 'import' : !after ? 'delete' : 'update';
  const member = (after ?? before)!;
  // The member's own channel and statuses, where it has them: one it lacks leaves a club property of that name as it is.
  const fields = V1_FIELDS.filter((field) => member[field] !== undefined && member[field] !== null).map((field) => [field, member[field]]);
  const all: Record<string, unknown> = { ...member.properties, ...Object.fromEntries(fields) };
  const shown = type === 'delete' ? Object.fromEntries(Object.entries(all).filter(([name]) => name === 'email' || name === 'msisdn')) : all;
  const properties: NonNullable<ChangeV1['properties']> = {};
  for (const [name, value] of Object.entries(shown)) {
    if (value === null || value === undefined) continue;
    properties[name] = { type: Array.isArray(value) ? 'array' : typeof value, value: typeof value === 'string' ? value : JSON.stringify(value) };
  }
  const consents: NonNullable<ChangeV1['consents']> = {};
  if (type !== 'delete') for (const [slug, consent] of Object.entries(member.consents ?? {})) consents[slug] = { value: consent.status };
  const change: ChangeV1 = {
    ...(loyaltyClub.name ? { customer_name: loyaltyClub.name } : {}),
    customer_id: loyaltyClub.id,
    event_type: type,
    external_id: member.id,
    properties,
    consents,
    created_at: options.date ?? new Date().toISOString(),
    ...(member.created_at ? { optin_date: member.created_at } : {}),
  };
  return { version: 1, bulk: [change] };
}

function personId(member: Member): number | null {
  return typeof member.person_id === 'number' ? member.person_id : null;
}

/** The API member in the notification's shape. */
export function toNotificationMember(member: Member, includePersonId = true): NotificationMember {
  const { email, msisdn, ...properties } = (member.properties ?? {}) as Record<string, unknown>;
  const consents: NonNullable<NotificationMember['consents']> = {};
  for (const [slug, consent] of Object.entries(member.consents ?? {})) {
    consents[slug] = { value: consent.status, updated_at: consent.updated_at ?? null };
  }
  const out: NotificationMember = {
    id: member.id,
    ...(includePersonId ? { person_id: personId(member) } : {}),
    msisdn: typeof msisdn === 'string' ? msisdn : null,
    email: typeof email === 'string' ? email : null,
    properties,
    consents,
    sms_status: member.sms_status ?? null,
    email_status: member.email_status ?? null,
    push_status: member.push_status ?? null,
    optin_channel: member.optin_channel ?? null,
    optin_subchannel: member.optin_subchannel ?? null,
  };
  if (member.created_at) out.created_at = member.created_at;
  if (member.updated_at) out.updated_at = member.updated_at;
  return out;
}

/** What changed between two versions of a member, as `member_changes` of an update reports it (empty when nothing did). */
export function memberChangesOf(before: Member, after: Member): MemberChanges {
  return diff(toNotificationMember(before), toNotificationMember(after));
}

function diff(before: NotificationMember | null, after: NotificationMember): MemberChanges {
  const changes: MemberChanges = {};
  for (const field of TRACKED) {
    const change = changeOf(before?.[field], after[field]);
    if (change) changes[field] = change;
  }
  const properties = diffMap(before?.properties ?? {}, after.properties ?? {}, (v) => v);
  if (properties) changes.properties = properties;
  const consents = diffMap(before?.consents ?? {}, after.consents ?? {}, (c) => (c as { value?: unknown } | undefined)?.value);
  if (consents) changes.consents = consents;
  return changes;
}

function diffMap(before: Record<string, unknown>, after: Record<string, unknown>, value: (entry: unknown) => unknown): Record<string, MemberChange> | undefined {
  const out: Record<string, MemberChange> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const change = changeOf(value(before[key]), value(after[key]));
    if (change) out[key] = change;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `+` added, `-` removed, `~` changed; undefined when nothing changed (null and absent are alike). */
function changeOf(was: unknown, is: unknown): MemberChange | undefined {
  const had = was !== undefined && was !== null;
  const has = is !== undefined && is !== null;
  if (!had && !has) return undefined;
  if (!had) return { change: '+', was: null, is };
  if (!has) return { change: '-', was, is: null };
  return sameValue(was, is) ? undefined : { change: '~', was, is };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
