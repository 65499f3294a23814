// Dredd hooks (dredd 14 loads only CommonJS hook files). Everything vendor-specific arrives in the
// plan file written by scripts/dredd.ts, so this file is the same for every vendor and target.
const hooks = require('hooks');
const { appendFileSync, readFileSync } = require('node:fs');

const plan = JSON.parse(readFileSync(process.env.MARTECH_DREDD_PLAN, 'utf8'));

function operationOf(transaction) {
  const path = transaction.origin.resourceName;
  const method = transaction.request.method.toLowerCase();
  return plan.operations.find((op) => op.path === path && op.method === method);
}

function addAuth(transaction, auth) {
  Object.assign(transaction.request.headers, auth.headers);
  for (const [name, value] of Object.entries(auth.query)) {
    const separator = transaction.fullPath.includes('?') ? '&' : '?';
    const pair = `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
    transaction.fullPath += separator + pair;
    transaction.request.uri += separator + pair;
  }
}

hooks.beforeEach((transaction) => {
  // Every transaction dredd really runs, so scripts/dredd.ts can tell which ones it dropped.
  const seen = `${transaction.request.method.toUpperCase()} ${transaction.origin.resourceName} ${transaction.expected.statusCode}`;
  appendFileSync(plan.seenFile, `${seen}\n`);
  const op = operationOf(transaction);
  if (!op) {
    transaction.fail = `no operation in the plan for ${transaction.request.method} ${transaction.origin.resourceName}`;
    return;
  }
  if (op.skip) {
    transaction.skip = true;
    return;
  }
  const status = Number(transaction.expected.statusCode);
  const success = status >= 200 && status < 300;
  if (!success) {
    // Against the mock, ask Prism for the documented error response; a sandbox cannot be
    // steered to one, so there only the success transactions run.
    if (!plan.preferStatus) {
      transaction.skip = true;
      return;
    }
    transaction.skip = false;
    transaction.request.headers.Prefer = `code=${status}`;
  }
  // Without an expected body, dredd's validator (gavel) judges status and headers only.
  if (!plan.exampleBodies) delete transaction.expected.body;
  addAuth(transaction, op.auth);
  if (op.body !== undefined) {
    // Dredd sends no body for form-encoded and multipart requests; send the spec's first example.
    transaction.request.body = op.body;
    transaction.request.headers['Content-Type'] = op.contentType;
  }
});

// Against a sandbox, an answer saying the vendor cannot answer for now (rate limited, down, or its
// gateway without an answer: contract-tests/lib/unavailable.ts) says nothing of the contract: it is
// not judged, and the transaction fails as not checked, its call noted for scripts/dredd.ts to name.
hooks.beforeEachValidation((transaction) => {
  const status = transaction.real.statusCode;
  if (!plan.unavailable.includes(status)) return;
  const [, retryAfter] = Object.entries(transaction.real.headers ?? {}).find(([name]) => name.toLowerCase() === 'retry-after') ?? [];
  const call = `${transaction.request.method.toUpperCase()} ${transaction.origin.resourceName}`;
  appendFileSync(plan.notCheckedFile, `${JSON.stringify({ call, status, retryAfter })}\n`);
  transaction.expected = { statusCode: String(status) };
  // Dredd prints a failure as two lines, its title and then why, and lists them again at the end,
  // interleaved with the others: the title says it too, or it reads as drift on its own.
  transaction.id = `${transaction.id}: ${plan.notCheckedFail} (answered ${status}${retryAfter ? `, Retry-After: ${retryAfter}` : ''})`;
  transaction.fail = plan.notCheckedFail;
});
