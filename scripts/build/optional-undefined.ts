/**
 * openapi-typescript's `transformProperty` and `postTransform` for what may be left out: an
 * optional property or parameter takes `undefined` too. The clients send an `undefined` field as
 * a left-out one (JSON and form bodies drop it, openapi-fetch skips it in a query), so under
 * `exactOptionalPropertyTypes` a value passed on as read (`query: { from: process.env.FROM }`)
 * must compile, as the factories' options do (CLIENT-170).
 */
import ts from 'typescript';
import { tsUnion, UNDEFINED } from 'openapi-typescript';

export function optionalTakesUndefined(property: ts.PropertySignature): ts.PropertySignature | undefined {
  if (!property.questionToken || !property.type) return undefined;
  return ts.factory.updatePropertySignature(property, property.modifiers, property.name, property.questionToken, tsUnion([property.type, UNDEFINED]));
}

type Parameter = { name?: string; in?: string; required?: boolean; $ref?: string; schema?: { type?: unknown } };
type Doc = { paths?: Record<string, Record<string, { parameters?: Parameter[] } | Parameter[] | undefined>>; components?: { parameters?: Record<string, Parameter> } };
const unescape = (part: string) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
// An inline parameter's schema, as openapi-typescript names it: #/paths/<path>/<method>/parameters/<in>/<name>.
const INLINE = /^#\/paths\/([^/]+)\/([^/]+)\/parameters\/(query|header|cookie)\/(.+)$/;
// A shared one: #/components/parameters/<name>.
const SHARED = /^#\/components\/parameters\/([^/]+)$/;

/** A parameter that is not required takes `undefined` (`doc` says which are). */
export function optionalParameterTakesUndefined(doc: Doc) {
  const find = (path: string): Parameter | undefined => {
    const shared = SHARED.exec(path);
    if (shared) return doc.components?.parameters?.[unescape(shared[1]!)];
    const inline = INLINE.exec(path);
    if (!inline) return undefined;
    const item = doc.paths?.[unescape(inline[1]!)];
    const own = (item?.[inline[2]!] as { parameters?: Parameter[] } | undefined)?.parameters ?? [];
    const shared2 = (item?.parameters as Parameter[] | undefined) ?? [];
    return [...own, ...shared2].find((p) => p.in === inline[3] && p.name === unescape(inline[4]!));
  };
  return (type: ts.TypeNode, options: { path?: string }): ts.TypeNode | undefined => {
    const parameter = find(options.path ?? '');
    if (!parameter || parameter.in === 'path' || parameter.required) return undefined;
    // An array parameter's items are given the parameter's own path: only the array takes `undefined`, not each item.
    if (parameter.schema?.type === 'array' && !isArray(type)) return undefined;
    return tsUnion([type, UNDEFINED]);
  };
}

const isArray = (type: ts.TypeNode): boolean => ts.isArrayTypeNode(type) || ts.isTupleTypeNode(type) || (ts.isTypeOperatorNode(type) && isArray(type.type));
