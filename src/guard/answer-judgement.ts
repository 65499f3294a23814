/**
 * A client's guard judging one answer against its operation's documented responses. Loaded on the
 * client's first guarded call, with the validators: the judging and its rules in words are opt-in,
 * and a client whose guard is off does not ship them (CLIENT-230).
 */
import { statusKeys } from './documented.js';
import { JUDGED_ERRORS, type OperationTable } from './table.js';
import { schemaProblem } from './schema-problem.js';
import { judgeResponse, type Judgement, type ReceivedResponse } from './violation.js';

/** An operation's documented responses, as the operation table holds them. */
export type DocumentedResponses = OperationTable[string][1];

/**
 * The findings of one answer, each message saying where the validator stopped counting (at
 * JUDGED_ERRORS), and the body as read. `quoted` masks a body quoted in a message.
 */
export function judgeAnswer(responses: DocumentedResponses, received: ReceivedResponse, quoted: (text: string) => string): Judgement {
  let errors = 0;
  const judged = judgeResponse(
    (code) => responses[statusKeys(code).find((k) => k in responses) ?? ''],
    received,
    (validate, value) => {
      if (validate(value)) return [];
      const all = validate.errors ?? [];
      errors = all.length;
      return all.slice(0, JUDGED_ERRORS).map(schemaProblem);
    },
    quoted,
  );
  if (errors < JUDGED_ERRORS) return judged;
  const cut = `; counting stopped at ${JUDGED_ERRORS} schema errors`;
  return { ...judged, findings: judged.findings.map((f) => ({ ...f, message: f.message + cut })) };
}
