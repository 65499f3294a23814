/**
 * A consumer that passes its settings on as it read them: each optional one may be undefined, as
 * a value from the environment or a config file is. Type-checked by package.test.ts under
 * exactOptionalPropertyTypes, where an option typed `?: T` refuses undefined (the clients take
 * undefined as "not given").
 */
import { startMocks } from 'martech-contracts/mock';
import { createFootprintsClient } from 'martech-contracts/footprints';
import { createHarRecorder, createImprzdClient } from 'martech-contracts/imprzd';
import { createPerxClient } from 'martech-contracts/perx';
import { buildMemberChangeNotification, createPlacewiseClient, verifyPlacewiseWebhook } from 'martech-contracts/placewise';
import { createXonvoClient } from 'martech-contracts/xonvo';

const setting = (name: string): string | undefined => process.env[name];
const number = (name: string): number | undefined => (setting(name) === undefined ? undefined : Number(setting(name)));
const flag = (name: string): boolean | undefined => (setting(name) === undefined ? undefined : setting(name) === 'true');

const recorder = createHarRecorder({ maxBodyBytes: number('MAX_BODY'), maxKeptBytes: number('MAX_KEPT') });
const record = flag('RECORD') ? recorder.record : undefined;
const common = {
  baseUrl: setting('BASE_URL'),
  fetch: flag('LOG') ? fetch : undefined,
  timeoutMs: number('TIMEOUT_MS'),
  retry: flag('RETRY') ? { retries: 2, on: undefined, maxWaitSeconds: number('MAX_WAIT') } : undefined,
  validate: flag('VALIDATE') ? ('report' as const) : undefined,
  onViolation: undefined,
  sample: number('SAMPLE'),
  record,
};
export const clients = [
  createXonvoClient({ ...common, username: 'u', password: 'p' }),
  createFootprintsClient({ ...common, key: 'k', secret: 's', grant: undefined }),
  createPerxClient({ ...common, clientId: 'id', clientSecret: 'secret', userTokenSeconds: number('USER_TOKEN_SECONDS'), maxUserClients: undefined }),
  createPlacewiseClient({ ...common, clubSlug: setting('CLUB'), token: 't', userAgent: 'a', productName: 'p' }),
  createImprzdClient({ ...common, token: 'jwt' }),
];
export const mocks = () =>
  startMocks({ vendors: undefined, host: setting('HOST'), portBase: number('PORT_BASE'), gatewayPort: number('GATEWAY_PORT'), stateless: flag('STATELESS'), dynamic: undefined, seed: setting('SEED'), log: undefined, onLoaded: undefined, onChange: undefined, subscribers: undefined });
export const verify = (request: Request) => verifyPlacewiseWebhook(request, 'secret', { maxBodyBytes: number('MAX_WEBHOOK'), signal: undefined });
export const notification = buildMemberChangeNotification(null, null, { id: 1, slug: 'club', name: setting('CLUB_NAME') }, { date: setting('DATE'), includePersonId: flag('PERSON_ID') });
