// The contract as the fuzz test reads it: every operation of generated/openapi.ts with its path,
// query and version parameters, their patterns and enums, dereferenced once.
import type { z } from 'zod';
import { openapiDocument } from '../../../generated/openapi';
import { operations } from '../../../generated/routes';

export interface ParamSchema {
  pattern?: string;
  enum?: string[];
  format?: string;
}

export interface SpecParam {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: ParamSchema;
  /** The component it comes from (`Id`, `RemoveZerosVersioned`, …). */
  component: string;
}

export interface SpecOperation {
  operationId: string;
  /** The path template as in the spec (`/v{major}.{minor}/advertisers/{id}`). */
  template: string;
  /** The template without its version prefix (`/advertisers/{id}`). */
  bare: string;
  versioned: boolean;
  authenticated: boolean;
  /** Parameters other than the version prefix's. */
  params: SpecParam[];
  /** The content types of the 200 answer. */
  successTypes: string[];
  /** The 200 `application/json` schema (of the bare twin for v1, of the versioned operation for v2). */
  jsonSchema: { v1: z.ZodType | undefined; v2: z.ZodType | undefined };
}

type Json = Record<string, unknown>;
const doc = openapiDocument as Json;
const components = doc.components as Record<string, Record<string, Json>>;

function deref(node: Json): [Json, string] {
  const ref = node.$ref;
  if (typeof ref !== 'string') return [node, ''];
  const [, , section, name] = ref.split('/') as [string, string, string, string];
  return [components[section]![name]!, name];
}

const routeSchemas = new Map(
  operations.map(({ route }) => {
    const ok = (route.responses as Record<number, { content?: Record<string, { schema: z.ZodType }> }>)[200];
    return [route.operationId, ok?.content?.['application/json']?.schema] as const;
  }),
);

export const specOperations: SpecOperation[] = Object.entries(doc.paths as Record<string, { get: Json }>).map(
  ([template, item]) => {
    const op = item.get;
    const all = ((op.parameters as Json[]) ?? []).map((p) => {
      const [param, component] = deref(p);
      return { ...(param as Omit<SpecParam, 'component'>), required: Boolean(param.required), component };
    });
    const [ok] = deref((op.responses as Record<string, Json>)['200']!);
    const versioned = template.startsWith('/v{major}.{minor}/');
    const bare = versioned ? template.slice('/v{major}.{minor}'.length) : template;
    const bareId = Object.entries(doc.paths as Record<string, { get: Json }>).find(([t]) => t === bare)?.[1]
      .get.operationId as string;
    return {
      operationId: op.operationId as string,
      template,
      bare,
      versioned,
      // The document's security applies unless the operation overrides it with `security: []`.
      authenticated: !(Array.isArray(op.security) && op.security.length === 0),
      params: all.filter((p) => p.component !== 'VersionMajor' && p.component !== 'VersionMinor'),
      successTypes: Object.keys((ok.content as Json) ?? {}),
      jsonSchema: {
        v1: routeSchemas.get(bareId),
        v2: routeSchemas.get(op.operationId as string),
      },
    };
  },
);

/** The rule `removeZeros` follows under a `/v1.x/` prefix: the bare operations' (RemoveZerosVersioned). */
export const removeZerosV1 = components.parameters!.RemoveZeros!.schema as ParamSchema;
