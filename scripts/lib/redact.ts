// The redactor lives in the runtime: recorded client traffic (the `record` option) is masked with it too.
export { createRedactor } from '../../src/record/redact.js';
