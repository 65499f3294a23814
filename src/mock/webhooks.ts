import { setMaxListeners } from 'node:events';
import { buildMemberChangeNotification, buildMemberChangeNotificationV1, memberChangesOf, type LoyaltyClubRef } from '../webhooks/member-changes.js';
import { sendWebhook } from '../webhooks/send.js';
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
 * Deliveries under way at once, and waiting, at most. Each holds a socket for up to its 5 s
 * timeout: a hundred subscriptions to a receiver that never answers, times a few writes, would
 * otherwise take every file descriptor the process has, and the mock could accept no request.
 */
export const DELIVERY_LIMITS = { inFlight: 32, waiting: 1000 } as const;

/** Delivers changes as they come (`deliver`); `stop` ends every delivery under way or waiting, for good. */
export interface Delivery {
  deliver(change: Change & { vendor: string; session?: string; notify?: Notify }): void;
  /**
   * Aborts the deliveries under way, drops those waiting and refuses later ones; resolves once the
   * aborted ones have ended, so nothing is sent after it and no socket keeps the process alive.
   */
  stop(): Promise<void>;
}

export function createDelivery(options: { subscribers?: Record<string, Subscriber[]>; club?: LoyaltyClubRef; log: (line: string) => void }): Delivery {
  const club = options.club ?? { id: 1, slug: 'mock-club' };
  const stopping = new AbortController();
  // One listener per delivery under way (see untilStopped): no leak for Node to warn of.
  setMaxListeners(DELIVERY_LIMITS.inFlight + 1, stopping.signal);
  // The reason fetch rejects with, so a delivery the stop ended is told from one that timed out.
  const stopped = 'the mock stopped';
  // Each delivery's fetch also ends when the mock stops, not only at its own timeout: a controller
  // of its own, told by a listener it takes off when done. (AbortSignal.any on the one long-lived
  // stop signal kept an entry per delivery on Node 20, for as long as the mock ran.)
  const untilStopped: typeof fetch = async (input, init) => {
    const own = new AbortController();
    const end = () => own.abort(stopping.signal.reason);
    const given = init?.signal;
    const timedOut = () => own.abort(given?.reason);
    stopping.signal.addEventListener('abort', end, { once: true });
    given?.addEventListener('abort', timedOut, { once: true });
    try {
      return await fetch(input, { ...init, signal: own.signal });
    } finally {
      stopping.signal.removeEventListener('abort', end);
      given?.removeEventListener('abort', timedOut);
    }
  };
  const underWay = new Set<Promise<void>>();
  const waiting: (() => Promise<void>)[] = [];
  const next = () => {
    const send = waiting.shift();
    if (send) start(send);
  };
  const start = (send: () => Promise<void>) => {
    const sending: Promise<void> = send().finally(() => {
      underWay.delete(sending);
      next();
    });
    underWay.add(sending);
  };
  const queue = (what: string, send: () => Promise<void>) => {
    if (stopping.signal.aborted) options.log(`${what} not sent: the mock is stopping`);
    else if (underWay.size < DELIVERY_LIMITS.inFlight) start(send);
    else if (waiting.length < DELIVERY_LIMITS.waiting) waiting.push(send);
    else options.log(`${what} dropped: ${DELIVERY_LIMITS.inFlight} deliveries under way and ${DELIVERY_LIMITS.waiting} waiting (are the receivers answering?)`);
  };
  function deliver(change: Change & { vendor: string; session?: string; notify?: Notify }) {
    if (!change.notify) return;
    const webhook = webhooks[change.notify.webhook];
    if (!webhook) return options.log(`[${change.vendor}] MOCK BUG: no payload builder for webhook ${change.notify.webhook}`);
    if (!webhook.news(change)) return;
    const event = EVENT_OF[change.action] ?? change.action;
    const targets: Target[] = [
      ...(options.subscribers?.[change.vendor] ?? []).map((s) => ({ ...s, from: 'the receiver given to the mock', version: 2 as const, events: new Set([event]), personId: true })),
      ...change.notify.subscribers.flatMap((s) => subscriptionTarget(s) ?? []),
    ].filter((target) => target.events.has(event));
    const headers = { [SESSION_HEADER]: change.session ?? 'default' };
    for (const target of targets) {
      // Never past an '@' or a '?': a subscription's URL may carry a password or a key.
      const what = `[${change.vendor}] webhook ${change.notify.webhook} → ${shownUrl(target.url)}`;
      const problem = httpUrlProblem(target.url);
      if (problem) {
        options.log(`${what} not sent: the url of ${target.from} ${problem}`);
        continue;
      }
      const payload = webhook.build(change, club, target);
      queue(what, () =>
        sendWebhook({ vendor: 'placewise', event, to: target.url, secret: target.secret, payload, timeoutMs: 5000, headers, fetch: untilStopped }).then(
          // Ended by the stop before an answer came: the receiver may have had it whole.
          (result) => options.log(result.error === stopped ? `${what} not answered: ${stopped} first` : `[${change.vendor}] webhook ${result.webhook} → ${shownUrl(target.url)}: ${result.status ?? result.error} (${result.outcome})`),
          (error: Error) => options.log(`${what} not sent: ${error.message}`),
        ),
      );
    }
  }
  async function stop() {
    stopping.abort(new Error(stopped));
    waiting.length = 0;
    await Promise.all(underWay);
  }
  return { deliver, stop };
}
