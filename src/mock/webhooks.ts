import { setMaxListeners } from 'node:events';
import { buildMemberChangeNotification, buildMemberChangeNotificationV1, memberChangesOf, type LoyaltyClubRef } from '../webhooks/member-changes.js';
import { checkPayload, postWebhook, type CheckedPayload, type DeliveryOutcome } from '../webhooks/send.js';
import { httpUrlProblem, shownUrl } from '../options.js';
import type { Change, Notify } from './state/apply.js';

/** A receiver the mock announces changes to, besides subscriptions made through the API. */
export interface Subscriber {
  url: string;
  secret: string;
}

/** How one receiver wants notifications: a subscription's settings, with the spec's defaults. */
interface Target {
  /** Who named the receiver, for the log: `subscription 9`, or the mock's own options. */
  from: string;
  url: string;
  secret: string;
  version: 1 | 2;
  /** Event types it is sent (`is_sent_on_import` / `_update` / `_delete`). */
  events: Set<string>;
  personId: boolean;
}

/** A subscription written through the API, as the vendor reads it (defaults as the spec gives them). */
function subscriptionTarget(s: Record<string, unknown>): Target | undefined {
  if (typeof s.url !== 'string' || typeof s.secret_token !== 'string') return undefined;
  const events = (['import', 'update', 'delete'] as const).filter((event) => s[`is_sent_on_${event}`] !== false);
  return { from: `subscription ${String(s.id)}`, url: s.url, secret: s.secret_token, version: s.event_schema_version === 2 ? 2 : 1, events: new Set(events), personId: s.is_person_id_sent === true };
}

/**
 * Delivers the webhook a state change calls for, as the vendor would: after the API call has
 * been answered, to every subscriber whose subscription asks for this kind of change, in the
 * format it asks for. Receivers given to the mock directly (`subscribers`, `--webhook-to`) get
 * every change, v2, with `person_id`. How a change becomes a payload is the one thing per vendor
 * that the spec cannot say as data.
 */
interface Webhook {
  /**
   * Whether a change is news to a receiver. The update of a member stamps `updated_at` (x-mock
   * `now`) even when nothing else changes; the vendor announces no such update, and neither does the mock.
   */
  news(change: Change): boolean;
  build(change: Change, club: LoyaltyClubRef, target: Target): unknown;
}

const webhooks: Record<string, Webhook> = {
  memberChangesV2: {
    news: (change) => change.action !== 'update' || !change.before || !change.after || Object.keys(memberChangesOf(change.before as never, change.after as never)).length > 0,
    build: (change, club, target) => {
      const before = (change.before ?? null) as never;
      const after = change.action === 'delete' ? null : ((change.after ?? null) as never);
      // When the member changed, as the vendor's example has it (event date = the member's updated_at); a delete is now.
      const stamped = (after as { updated_at?: unknown } | null)?.updated_at;
      const date = typeof stamped === 'string' ? stamped : undefined;
      return target.version === 1 ? buildMemberChangeNotificationV1(before, after, club, { date }) : buildMemberChangeNotification(before, after, club, { date, includePersonId: target.personId });
    },
  },
};

/** Names the mock session a delivery's change was made in, so tests sharing one receiver tell theirs apart. */
const SESSION_HEADER = 'X-Mock-Session';

const EVENT_OF: Record<string, string> = { create: 'import', update: 'update', delete: 'delete' };

/**
 * An answer as the log tells it. MPC sends a failed delivery again for up to 20 days, on no
 * schedule the sources give; the mock sends each change once, so "(will-retry)" alone had a
 * developer wait for a second delivery that never comes.
 */
const OUTCOME_SHOWN: Record<DeliveryOutcome, string> = { delivered: 'delivered', dropped: 'dropped', 'will-retry': 'will-retry: MPC would send it again; the mock sends each change once' };

/**
 * Deliveries under way at once, and waiting, at most, per mock session (`x-mock-session`); and
 * under way at once across all sessions. Each holds a socket for up to its 5 s timeout: a hundred
 * subscriptions to a receiver that never answers, times a few writes, would otherwise take every
 * file descriptor the process has, and the mock could accept no request. Per session, so one
 * test's receiver that never answers cannot delay or drop another test's deliveries; and waiting
 * across all sessions, as any header names a new session (2,000 of them held 1.1 GB).
 */
export const DELIVERY_LIMITS = { inFlight: 32, waiting: 1000, inFlightAll: 128, waitingAll: 10_000 } as const;

/** A delivery: its vendor, and how it is sent (through a fetch that ends with the mock, or with a reset of its session). */
interface Queued {
  vendor: string;
  send: (fetch: typeof globalThis.fetch) => Promise<void>;
}

/** One session's deliveries under way (counted, each with the function that ends it) and waiting their turn. */
interface Share {
  underWay: number;
  waiting: Queued[];
  ending: Map<(reason: Error) => void, string>;
}

/**
 * The payload a target gets, built when its first delivery starts and then shared: one change to
 * a thousand subscriptions is built, validated and written at most once per format (v1, v2 with
 * and without person_id), not once per subscription, and a dropped delivery builds nothing.
 */
function payloads(build: (target: Target) => unknown): (target: Target) => CheckedPayload {
  const built = new Map<string, CheckedPayload>();
  return (target) => {
    const form = target.version === 1 ? 'v1' : `v2 ${target.personId}`;
    let checked = built.get(form);
    if (!checked) built.set(form, (checked = checkPayload(build(target))));
    return checked;
  };
}

/** Delivers changes as they come (`deliver`); `stop` ends every delivery under way or waiting, for good. */
export interface Delivery {
  deliver(change: Change & { vendor: string; session?: string; notify?: Notify }): void;
  /**
   * Aborts the deliveries under way, drops those waiting and refuses later ones; resolves once the
   * aborted ones have ended, so nothing is sent after it and no socket keeps the process alive.
   */
  stop(): Promise<void>;
  /**
   * A reset of a vendor's session (of every session when none is named, of every vendor when
   * none is): its deliveries waiting are dropped and those under way aborted, so the changes the
   * reset forgot are not announced into the next test. Later changes are delivered as before.
   */
  forget(vendor?: string, session?: string): void;
}

export function createDelivery(options: { subscribers?: Record<string, Subscriber[]>; club?: LoyaltyClubRef; log: (line: string) => void }): Delivery {
  const club = options.club ?? { id: 1, slug: 'mock-club' };
  const stopping = new AbortController();
  // One listener per delivery under way (see until): no leak for Node to warn of.
  setMaxListeners(DELIVERY_LIMITS.inFlightAll + 1, stopping.signal);
  // The reason fetch rejects with, so a delivery the stop ended is told from one that timed out.
  const stopped = 'the mock stopped';
  // The reason a delivery a reset ended is logged with, as the stop's is.
  const reset = 'its session was reset';
  // Each delivery's fetch also ends when the mock stops, or its session is reset, not only at its own
  // timeout: a controller of its own, told by a listener it takes off when done. (AbortSignal.any on
  // the one long-lived stop signal kept an entry per delivery on Node 20, for as long as the mock ran.)
  const until = (share: Share, vendor: string): typeof fetch => async (input, init) => {
    const own = new AbortController();
    const end = () => own.abort(stopping.signal.reason);
    const given = init?.signal;
    const timedOut = () => own.abort(given?.reason);
    const forgotten = (reason: Error) => own.abort(reason);
    stopping.signal.addEventListener('abort', end, { once: true });
    given?.addEventListener('abort', timedOut, { once: true });
    share.ending.set(forgotten, vendor);
    try {
      // Queued in the tick the stop came: its listener would come too late to end it.
      if (stopping.signal.aborted) throw stopping.signal.reason;
      return await fetch(input, { ...init, signal: own.signal });
    } finally {
      stopping.signal.removeEventListener('abort', end);
      given?.removeEventListener('abort', timedOut);
      share.ending.delete(forgotten);
    }
  };
  const underWay = new Set<Promise<void>>();
  // Sessions with deliveries under way or waiting, in the order they get the next free place.
  const shares = new Map<string, Share>();
  const start = (session: string, share: Share, queued: Queued) => {
    share.underWay++;
    const sending: Promise<void> = queued.send(until(share, queued.vendor)).finally(() => {
      underWay.delete(sending);
      share.underWay--;
      if (share.underWay === 0 && share.waiting.length === 0) shares.delete(session);
      pump();
    });
    underWay.add(sending);
    // Last in line for the next place, so that sessions take turns.
    shares.delete(session);
    shares.set(session, share);
  };
  // The first session in line with a delivery waiting and a place of its own free.
  const nextTurn = () => {
    for (const turn of shares) if (turn[1].waiting.length > 0 && turn[1].underWay < DELIVERY_LIMITS.inFlight) return turn;
    return undefined;
  };
  const pump = () => {
    while (underWay.size < DELIVERY_LIMITS.inFlightAll) {
      const turn = nextTurn();
      if (!turn) return;
      waitingAll--;
      start(turn[0], turn[1], turn[1].waiting.shift()!);
    }
  };
  let waitingAll = 0;
  const queue = (what: string, session: string, queued: Queued) => {
    if (stopping.signal.aborted) return options.log(`${what} not sent: the mock is stopping`);
    const share: Share = shares.get(session) ?? { underWay: 0, waiting: [], ending: new Map() };
    if (share.waiting.length >= DELIVERY_LIMITS.waiting) {
      // Not only a receiver that never answers: one change to more subscriptions than the places and the line hold fills them at once (3,000 answering in a millisecond lost 1,968).
      return options.log(`${what} dropped: session ${session} has ${share.underWay} deliveries under way and ${DELIVERY_LIMITS.waiting} waiting, the most it holds (are its receivers answering? are there more than ${DELIVERY_LIMITS.inFlight + DELIVERY_LIMITS.waiting} subscriptions?)`);
    }
    if (waitingAll >= DELIVERY_LIMITS.waitingAll) {
      return options.log(`${what} dropped: ${DELIVERY_LIMITS.waitingAll} deliveries wait across all sessions (are their receivers answering?)`);
    }
    waitingAll++;
    share.waiting.push(queued);
    if (!shares.has(session)) shares.set(session, share);
    pump();
  };
  function deliver(change: Change & { vendor: string; session?: string; notify?: Notify }) {
    if (!change.notify) return;
    const webhook = webhooks[change.notify.webhook];
    if (!webhook) return options.log(`[${change.vendor}] MOCK BUG: no payload builder for webhook ${change.notify.webhook}`);
    const event = EVENT_OF[change.action] ?? change.action;
    const targets: Target[] = [
      ...(options.subscribers?.[change.vendor] ?? []).map((s) => ({ ...s, from: 'the receiver given to the mock', version: 2 as const, events: new Set([event]), personId: true })),
      ...change.notify.subscribers.flatMap((s) => subscriptionTarget(s) ?? []),
    ].filter((target) => target.events.has(event));
    // Asked only when someone listens: telling news diffs the whole member, 9,000 properties of it on every update no one subscribed to.
    if (targets.length === 0 || !webhook.news(change)) return;
    const session = change.session ?? 'default';
    const headers = { [SESSION_HEADER]: session };
    const payloadFor = payloads((target) => webhook.build(change, club, target));
    for (const target of targets) {
      // Never past an '@' or a '?': a subscription's URL may carry a password or a key.
      const what = `[${change.vendor}] webhook ${change.notify.webhook} → ${shownUrl(target.url)}`;
      const problem = httpUrlProblem(target.url);
      if (problem) {
        options.log(`${what} not sent: the url of ${target.from} ${problem}`);
        continue;
      }
      queue(what, session, {
        vendor: change.vendor,
        send: (fetch) =>
          // Built in the promise: a payload the spec refuses (a mock bug) is logged, not thrown at the queue.
          Promise.resolve()
            .then(() => postWebhook(payloadFor(target), { to: target.url, secret: target.secret, timeoutMs: 5000, headers, fetch }))
            .then(
              // Ended by the stop or a reset before an answer came: the receiver may have had it whole.
              (result) => options.log(result.error === stopped || result.error === reset ? `${what} not answered: ${result.error} first` : `[${change.vendor}] webhook ${result.webhook} → ${shownUrl(target.url)}: ${result.status ?? result.error} (${OUTCOME_SHOWN[result.outcome]})`),
              (error: Error) => options.log(`${what} not sent: ${error.message}`),
            ),
      });
    }
  }
  async function stop() {
    stopping.abort(new Error(stopped));
    for (const share of shares.values()) share.waiting.length = 0;
    waitingAll = 0;
    await Promise.all(underWay);
  }
  function forget(vendor?: string, session?: string) {
    for (const [name, share] of shares) {
      if (session && name !== session) continue;
      const kept = share.waiting.filter((queued) => vendor && queued.vendor !== vendor);
      const dropped = share.waiting.length - kept.length;
      waitingAll -= dropped;
      share.waiting = kept;
      // Each logs itself as "not answered: its session was reset first" once its fetch has ended.
      for (const [end, of] of share.ending) if (!vendor || of === vendor) end(new Error(reset));
      if (dropped > 0) options.log(`${vendor ? `[${vendor}] ` : ''}${dropped} webhook deliveries of session ${name} dropped unsent: ${reset}`);
      if (share.underWay === 0 && share.waiting.length === 0) shares.delete(name);
    }
  }
  return { deliver, stop, forget };
}
