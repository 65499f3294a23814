/**
 * openapi-typescript's `postTransform` for multipart request bodies: such a body may also be a
 * `FormData`. A file part (`format: binary`, `contentMediaType`) is typed `string`, so a body
 * holding a Blob could not be written at all, while the clients send a FormData body as it is,
 * with its boundary (the way the README gives for Footprints' document upload). The object type
 * stays for a call that passes its own `bodySerializer`, as openapi-fetch documents.
 */
import ts from 'typescript';
import { tsUnion } from 'openapi-typescript';

// The media type object's path, as openapi-typescript names it (`/` in the type escaped `~1`).
const MULTIPART_BODY = /\/requestBody\/content\/multipart~1form-data$/;

export function multipartAcceptsFormData(type: ts.TypeNode, options: { path?: string }): ts.TypeNode | undefined {
  if (!MULTIPART_BODY.test(options.path ?? '')) return undefined;
  return tsUnion([type, ts.factory.createTypeReferenceNode('FormData')]);
}
