/**
 * The contract breaks the drift fixture injects: each is a way a real vendor could drift from
 * its spec, on one operation, with what the sandbox report must name for it.
 */
export interface Upstream {
  status: number;
  contentType: string;
  body: string;
  /** The `sl-violations` header of a refused request, where the mock names the fields at fault. */
  violations?: string;
  /** Further headers the answer carries (a 429's Retry-After). */
  headers?: Record<string, string>;
}

export interface Violation {
  vendor: string;
  operationId: string;
  kind: string;
  /**
   * The test that must catch it: the documented-example call, the no-credentials call, or the
   * call that leaves out a required field / breaks a limit (an operation has at most one of each).
   */
  caughtBy: 'example' | 'auth' | 'missing-required' | 'over-limit';
  /** Text the failure must contain: the field, or the status / content type at fault. */
  names: string;
  /** Turns the faithful (mock) success response into the broken one. */
  breakResponse?: (upstream: Upstream, request: { authorization?: string }) => Upstream;
  /** Turns the faithful refusal (a 401, a 4xx for a broken request) into the broken one. */
  breakRefusal?: (upstream: Upstream) => Upstream;
}

/** An 'auth' break with no refusal to break is a vendor whose auth broke: it accepts calls without credentials. */
export const acceptsAnonymous = (violation: Violation) => violation.caughtBy === 'auth' && !violation.breakRefusal;

type Json = Record<string, any>;

/** Edits the JSON body at a path of keys (the last key is set or, with `undefined`, removed). */
export function edit(path: (string | number)[], value: unknown) {
  return (upstream: Upstream): Upstream => {
    const body = JSON.parse(upstream.body) as Json;
    const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], body);
    const last = path[path.length - 1]!;
    if (value === undefined) delete parent[last];
    else parent[last] = value;
    return { ...upstream, body: JSON.stringify(body) };
  };
}

export const withStatus = (status: number, body = '') => (upstream: Upstream): Upstream => ({ ...upstream, status, body });

/** Breaks only the refusal with this status (the one the catching check provokes); other answers pass unchanged. */
const refusing = (status: number, change: (upstream: Upstream) => Upstream) => (upstream: Upstream): Upstream =>
  upstream.status === status ? change(upstream) : upstream;

export const violations: Violation[] = [
  // XONVO
  { vendor: 'xonvo', operationId: 'getAccountStatistics', kind: 'wrong type (integer sent as string)', caughtBy: 'example', names: 'leadCount', breakResponse: edit(['leadCount'], '1') },
  { vendor: 'xonvo', operationId: 'getLeadStatistics', kind: 'required field missing', caughtBy: 'example', names: 'qualified', breakResponse: edit(['qualified'], undefined) },
  { vendor: 'xonvo', operationId: 'createAccount', kind: 'null where not nullable', caughtBy: 'example', names: '/id', breakResponse: edit(['id'], null) },
  { vendor: 'xonvo', operationId: 'updateAccount', kind: 'number where integer', caughtBy: 'example', names: '/id', breakResponse: edit(['id'], 18.5) },
  {
    vendor: 'xonvo',
    operationId: 'pauseAccount',
    kind: 'undocumented status (that also echoes the credentials it got)',
    caughtBy: 'example',
    names: 'status 403',
    breakResponse: (_upstream, request) => ({ status: 403, contentType: 'application/json', body: JSON.stringify({ error: `not allowed for ${request.authorization}` }) }),
  },
  {
    vendor: 'xonvo',
    operationId: 'unpauseAccount',
    kind: 'a body where none is documented',
    caughtBy: 'example',
    names: 'documents no body',
    breakResponse: (upstream) => ({ ...upstream, contentType: 'application/json', body: '{"paused":false}' }),
  },
  { vendor: 'xonvo', operationId: 'resetLead', kind: 'broken auth: accepts calls without credentials', caughtBy: 'auth', names: '401' },
  {
    vendor: 'xonvo',
    operationId: 'updateLeadsBulk',
    kind: 'a refusal that does not name the missing field',
    caughtBy: 'missing-required',
    names: 'does not name',
    // A conforming body, and no sl-violations header: nothing says which field was wrong.
    breakRefusal: refusing(400, (u) => ({ ...u, contentType: 'application/json', body: '{"status":400,"error":"Bad Request"}', violations: undefined })),
  },
  {
    vendor: 'xonvo',
    operationId: 'unsubscribeLead',
    kind: 'a refusal whose body breaks the spec (status as a string)',
    caughtBy: 'missing-required',
    names: '/status',
    breakRefusal: refusing(400, (u) => ({ ...u, contentType: 'application/json', body: '{"status":"400","error":"Bad Request"}' })),
  },
  // Footprints
  { vendor: 'footprints', operationId: 'createToken', kind: 'wrong type (integer sent as string)', caughtBy: 'example', names: 'expires_in', breakResponse: edit(['expires_in'], '31535999') },
  { vendor: 'footprints', operationId: 'getClient', kind: 'required field missing', caughtBy: 'example', names: '_id', breakResponse: edit(['_id'], undefined) },
  { vendor: 'footprints', operationId: 'sendMobileSensors', kind: 'wrong type (boolean sent as string)', caughtBy: 'example', names: 'success', breakResponse: edit(['success'], 'yes') },
  {
    vendor: 'footprints',
    operationId: 'listChannels',
    kind: 'wrong content type',
    caughtBy: 'example',
    names: 'content type "text/html"',
    breakResponse: () => ({ status: 200, contentType: 'text/html', body: '<html><body>channels</body></html>' }),
  },
  { vendor: 'footprints', operationId: 'initWebTracking', kind: 'undocumented success status', caughtBy: 'example', names: 'status 201', breakResponse: (u) => ({ ...u, status: 201 }) },
  { vendor: 'footprints', operationId: 'updateLeadNps', kind: 'broken auth: accepts calls without access_token', caughtBy: 'auth', names: '401' },
  {
    vendor: 'footprints',
    operationId: 'listLeads',
    kind: 'a 401 whose body breaks the spec (message as a number)',
    caughtBy: 'auth',
    names: '/message',
    breakRefusal: refusing(401, (u) => ({ ...u, contentType: 'application/json', body: '{"status":"error","message":401}' })),
  },
  // Perx
  { vendor: 'perx', operationId: 'listRewards', kind: 'wrong type inside a list item', caughtBy: 'example', names: '/data/0/id', breakResponse: edit(['data', 0, 'id'], '205') },
  { vendor: 'perx', operationId: 'getVoucher', kind: 'value outside the enum', caughtBy: 'example', names: '/data/state', breakResponse: edit(['data', 'state'], 'lost') },
  { vendor: 'perx', operationId: 'listVouchers', kind: 'required envelope field missing', caughtBy: 'example', names: 'meta', breakResponse: edit(['meta'], undefined) },
  { vendor: 'perx', operationId: 'getCampaign', kind: 'null where not nullable', caughtBy: 'example', names: '/data/id', breakResponse: edit(['data', 'id'], null) },
  {
    vendor: 'perx',
    operationId: 'getCurrentCustomer',
    kind: 'body that is not JSON',
    caughtBy: 'example',
    names: 'not JSON',
    breakResponse: (u) => ({ ...u, body: '<!doctype html><title>Maintenance</title>' }),
  },
  { vendor: 'perx', operationId: 'listMerchants', kind: 'broken auth: accepts calls without a bearer token', caughtBy: 'auth', names: '401' },
  // Placewise
  { vendor: 'placewise', operationId: 'listMembersGroups', kind: 'wrong type in pagination', caughtBy: 'example', names: 'total_pages', breakResponse: edit(['pagination_info', 'total_pages'], '3') },
  { vendor: 'placewise', operationId: 'getMembersGroup', kind: 'required field missing', caughtBy: 'example', names: 'automatic', breakResponse: edit(['members_group', 'automatic'], undefined) },
  { vendor: 'placewise', operationId: 'deleteMembersGroup', kind: 'undocumented status', caughtBy: 'example', names: 'status 204', breakResponse: withStatus(204) },
  { vendor: 'placewise', operationId: 'listMembers', kind: 'null where not nullable', caughtBy: 'example', names: 'is_last_page', breakResponse: edit(['pagination_info', 'is_last_page'], null) },
  // Imprzd: one operation, answering an image and needing no credentials; a page where the image should be is the drift it can show.
  {
    vendor: 'imprzd',
    operationId: 'getDisplayImage',
    kind: 'wrong content type (an HTML page where an image is documented)',
    caughtBy: 'example',
    names: 'content type "text/html"',
    breakResponse: () => ({ status: 200, contentType: 'text/html', body: '<html><body>Error: file not found</body></html>' }),
  },
];
