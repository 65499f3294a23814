/** Just enough of the OpenAPI 3.1 document shape for the scripts and the test harness. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; 'x-origin'?: unknown[] };
  servers?: { url: string; description?: string; variables?: Record<string, { default: string; enum?: string[] }> }[];
  paths?: Record<string, Record<string, unknown>>;
  components?: {
    securitySchemes?: Record<string, SecurityScheme>;
    [section: string]: unknown;
  };
  security?: SecurityRequirement[];
}

export type SecurityRequirement = Record<string, string[]>;

export interface SecurityScheme {
  type: 'http' | 'apiKey' | 'oauth2' | 'openIdConnect' | 'mutualTLS';
  scheme?: string;
  bearerFormat?: string;
  in?: 'query' | 'header' | 'cookie';
  name?: string;
  description?: string;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface OperationRef {
  method: (typeof HTTP_METHODS)[number];
  path: string;
  operation: Record<string, any> & { operationId: string };
  /** Parameters declared on the path item, which every operation of the path inherits. */
  pathParameters: unknown[];
}

export function listOperations(doc: OpenApiDocument): OperationRef[] {
  const found: OperationRef[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as OperationRef['operation'] | undefined;
      if (operation) found.push({ method, path, operation, pathParameters: (item.parameters as unknown[]) ?? [] });
    }
  }
  return found;
}

/** A webhook's operation (OpenAPI 3.1 `webhooks`: a request the vendor sends), under the webhook's name. */
export interface WebhookRef {
  name: string;
  method: (typeof HTTP_METHODS)[number];
  operation: Record<string, any> & { operationId: string };
}

export function listWebhooks(doc: OpenApiDocument): WebhookRef[] {
  const webhooks = (doc as OpenApiDocument & { webhooks?: Record<string, Record<string, unknown>> }).webhooks ?? {};
  const found: WebhookRef[] = [];
  for (const [name, item] of Object.entries(webhooks)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as WebhookRef['operation'] | undefined;
      if (operation) found.push({ name, method, operation });
    }
  }
  return found;
}

/** A short human name for a security scheme: "HTTP Basic", "API key in query access_token", … */
export function describeScheme(scheme: SecurityScheme): string {
  if (scheme.type === 'http') return scheme.scheme === 'basic' ? 'HTTP Basic' : `Bearer ${scheme.bearerFormat ?? 'token'}`;
  if (scheme.type === 'apiKey') return `API key in ${scheme.in} ${scheme.name}`;
  return scheme.type;
}
