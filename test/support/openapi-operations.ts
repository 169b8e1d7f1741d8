// The operations of an OpenAPI 3.1 document, as the HTTP property tests need them.

export interface Operation {
  readonly method: string;
  /** The path with `{name}` placeholders, as in the document. */
  readonly template: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  /** Values the document enumerates for query parameters (valid ones, so handlers are reached too). */
  readonly queryEnums: readonly string[];
  /** Per status, the media types the document declares. */
  readonly responses: Readonly<Record<string, readonly string[]>>;
  /** `x-candor-scope`: read, write, admin or agent; undefined for public routes. */
  readonly scope?: string;
}

interface Parameter {
  readonly in: string;
  readonly name: string;
  readonly schema?: { readonly enum?: readonly unknown[] };
}

interface OperationObject {
  readonly parameters?: readonly Parameter[];
  readonly responses?: Record<string, { readonly content?: Record<string, unknown> }>;
  readonly 'x-candor-scope'?: string;
}

export function operationsOf(document: { paths: Record<string, Record<string, OperationObject>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!['get', 'head', 'post', 'put', 'patch', 'delete', 'options'].includes(method)) continue;
      const parameters = operation.parameters ?? [];
      const responses: Record<string, string[]> = {};
      for (const [status, response] of Object.entries(operation.responses ?? {})) responses[status] = Object.keys(response.content ?? {});
      operations.push({
        method: method.toUpperCase(),
        template,
        pathParams: [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        queryEnums: parameters.flatMap((p) => (p.in === 'query' ? (p.schema?.enum ?? []).map(String) : [])).concat(['1']),
        responses,
        ...(operation['x-candor-scope'] !== undefined ? { scope: operation['x-candor-scope'] } : {}),
      });
    }
  }
  return operations;
}
