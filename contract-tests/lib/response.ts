import type { createValidator } from './validator.js';
import { escapePointer, operationPointer, resolve, type LoadedSpec, type OperationRef } from './spec.js';

export interface ReceivedResponse {
  status: number;
  contentType: string;
  text: string;
}

export async function receive(response: Response): Promise<ReceivedResponse> {
  return {
    status: response.status,
    contentType: (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(),
    text: await response.text(),
  };
}

/** The documented response for a status: exact code, then its range (4XX), then default. */
function documentedResponse(spec: LoadedSpec, op: OperationRef, status: number) {
  const responses = op.operation.responses ?? {};
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses);
  if (!key) return undefined;
  return resolve(spec.doc, `${operationPointer(op)}/responses/${escapePointer(key)}`);
}

const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

function mediaMatches(documented: string, actual: string) {
  if (documented === actual || documented === '*/*') return true;
  return documented.endsWith('/*') && actual.startsWith(documented.slice(0, -1));
}

/** Everything about a response that breaks the operation's contract, one sentence each. */
export function contractProblems(
  spec: LoadedSpec,
  validate: ReturnType<typeof createValidator>,
  op: OperationRef,
  received: ReceivedResponse,
): string[] {
  const documented = documentedResponse(spec, op, received.status);
  if (!documented) return [`status ${received.status} is not documented`];
  const content: Record<string, unknown> = documented.value.content ?? {};
  const mediaTypes = Object.keys(content);
  if (mediaTypes.length === 0) {
    return received.text.trim() === '' ? [] : [`status ${received.status} documents no body, but one was sent`];
  }
  const mediaType = mediaTypes.find((m) => mediaMatches(m, received.contentType));
  if (!mediaType) {
    return [`content type "${received.contentType || '(none)'}" is not documented for ${received.status} (${mediaTypes.join(', ')})`];
  }
  if (!isJson(mediaType)) return [];
  let body: unknown;
  try {
    body = JSON.parse(received.text);
  } catch {
    return [`body is not JSON: ${received.text.slice(0, 80)}`];
  }
  const schemaPointer = `${documented.pointer}/content/${escapePointer(mediaType)}/schema`;
  return validate(schemaPointer, body).map((p) => `body ${p.message}`);
}
