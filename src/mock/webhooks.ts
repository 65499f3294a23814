import { buildMemberChangeNotification, type LoyaltyClubRef } from '../webhooks/member-changes.js';
import { sendWebhook } from '../webhooks/send.js';
import type { Change, Notify } from './state/apply.js';

/** A receiver the mock announces changes to, besides subscriptions made through the API. */
export interface Subscriber {
  url: string;
  secret: string;
}

/**
 * Delivers the webhook a state change calls for, as the vendor would: after the API call has
 * been answered, to every subscriber. How a change becomes a payload is the one thing per vendor
 * that the spec cannot say as data.
 */
const builders: Record<string, (change: Change, club: LoyaltyClubRef) => unknown> = {
  memberChangesV2: (change, club) => buildMemberChangeNotification((change.before ?? null) as never, change.action === 'delete' ? null : ((change.after ?? null) as never), club),
};

export function createDelivery(options: { subscribers?: Record<string, Subscriber[]>; club?: LoyaltyClubRef; log: (line: string) => void }) {
  const club = options.club ?? { id: 1, slug: 'mock-club' };
  return function deliver(change: Change & { vendor: string; notify?: Notify }) {
    if (!change.notify) return;
    const build = builders[change.notify.webhook];
    if (!build) return options.log(`[${change.vendor}] MOCK BUG: no payload builder for webhook ${change.notify.webhook}`);
    const targets = [
      ...(options.subscribers?.[change.vendor] ?? []),
      ...change.notify.subscribers.flatMap((s) => (typeof s.url === 'string' && typeof s.secret_token === 'string' ? [{ url: s.url, secret: s.secret_token }] : [])),
    ];
    if (targets.length === 0) return;
    const payload = build(change, club);
    for (const target of targets) {
      void sendWebhook({ vendor: 'placewise', event: change.action, to: target.url, secret: target.secret, payload, timeoutMs: 5000 }).then(
        (result) => options.log(`[${change.vendor}] webhook ${change.notify!.webhook} → ${target.url}: ${result.status ?? result.error} (${result.outcome})`),
        (error: Error) => options.log(`[${change.vendor}] webhook ${change.notify!.webhook} → ${target.url} not sent: ${error.message}`),
      );
    }
  };
}
