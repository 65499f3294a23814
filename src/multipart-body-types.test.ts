/**
 * A multipart request body may be a FormData: checked by `tsc` (the calls are in a function never
 * run; expectTypeOf is a no-op at run time). Footprints' document upload typed its body as
 * `{ documents: string | string[] }` (a file part is `format: binary`, read as a string), so the
 * FormData the README gives for it, the one body the client sends as multipart, needed a cast.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { createFootprintsClient, type FootprintsClient } from './footprints.js';

async function calls(footprints: FootprintsClient) {
  const documents = new FormData();
  documents.append('documents', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'a.pdf');
  const path = { leadId: 'L1', documentType: 'contracts' } as const;
  await footprints.PUT('/api/lead/{leadId}/{documentType}', { params: { path }, body: documents });
  // The object form stays, for a call that makes its own FormData with `bodySerializer`.
  await footprints.PUT('/api/lead/{leadId}/{documentType}', { params: { path }, body: { documents: 'a.pdf' }, bodySerializer: () => documents });
  // @ts-expect-error — the body is still required.
  await footprints.PUT('/api/lead/{leadId}/{documentType}', { params: { path } });
  // @ts-expect-error — a form-encoded body is not multipart: a FormData there would be sent as multipart, which the operation does not take.
  await footprints.POST('/api/lead', { body: documents });
}

describe('multipart request bodies', () => {
  it('take a FormData (checked by tsc)', () => {
    expectTypeOf(calls).parameter(0).toEqualTypeOf<FootprintsClient>();
    expectTypeOf(createFootprintsClient).returns.toEqualTypeOf<FootprintsClient>();
  });
});
