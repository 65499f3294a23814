/**
 * A consumer of the published package, type-checked and run by package.test.ts against the
 * mocks the package's own CLI started. It uses every vendor's client and types.
 */
import { createFootprintsClient, type FootprintsSchemas } from 'martech-contracts/footprints';
import { createImprzdClient, type ImprzdClient } from 'martech-contracts/imprzd';
import { createPerxClient, type PerxSchemas } from 'martech-contracts/perx';
import { createPlacewiseClient, type PlacewiseSchemas } from 'martech-contracts/placewise';
import { createXonvoClient, type XonvoSchemas } from 'martech-contracts/xonvo';

const url = (vendor: string) => {
  const value = process.env[`${vendor.toUpperCase()}_URL`];
  if (!value) throw new Error(`set ${vendor.toUpperCase()}_URL`);
  return value;
};

const xonvo = createXonvoClient({ baseUrl: url('xonvo'), username: 'u', password: 'p' });
const lead: XonvoSchemas['LeadFields'] = { firstName: 'Ann', lastName: 'Lee', phone: '+1333-111-8888', timestamp: '06-23-2021 22:55:23' };
// A setting passed on as read, unset here: an optional parameter or field given undefined is left out, and compiles under exactOptionalPropertyTypes.
const stats = await xonvo.GET('/accounts/{accountId}/statistics', { params: { path: { accountId: 21 }, query: { from: process.env['XONVO_FROM'] } } }); // the account the examples show
if (stats.error !== undefined) throw new Error(`xonvo ${stats.response.status}`);
const leadCount: number = stats.data.leadCount;
// @ts-expect-error — a path the spec does not have is a type error, so the types are real.
void xonvo.GET('/accounts/{accountId}/nothing-here', { params: { path: { accountId: 1 } } });

const footprints = createFootprintsClient({ baseUrl: url('footprints'), key: 'k', secret: 's' });
const added = await footprints.POST('/api/lead', { body: { userFirstName: lead.firstName, userLastName: lead.lastName, userEmail: 'ann@example.com', userPhone: '0700000000', userComments: process.env['LEAD_COMMENTS'] } });
const token: FootprintsSchemas['TokenResponse']['access_token'] = 'typed';

const perx = createPerxClient({ baseUrl: url('perx'), clientId: 'id', clientSecret: 'secret' });
const rewards = await perx.asUser('66666').GET('/v4/rewards', { params: { query: { page: 1, size: 5 } } });
const voucherState: PerxSchemas['VoucherState'] = 'issued';

const placewise = createPlacewiseClient({ baseUrl: url('placewise'), token: 't', userAgent: 'consumer', productName: 'default' });
const groups = await placewise.GET('/members_groups', { params: { query: { page_no: 1, per_page: 10 } } });
const group: PlacewiseSchemas['MembersGroup'] | undefined = groups.data?.members_groups[0];

const imprzd: ImprzdClient = createImprzdClient({ baseUrl: url('placewise'), token: 'jwt' });

console.log(
  JSON.stringify({
    xonvo: leadCount,
    footprints: added.response.status,
    perx: rewards.data?.data.length,
    placewise: group?.id,
    typed: [token, voucherState, typeof imprzd.GET],
  }),
);
