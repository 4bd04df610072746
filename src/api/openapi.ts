import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { User } from '../engine/identity/users.ts';
import type { Decision } from '../domain/policy/decision.ts';
import type { PolicyEngine } from '../engine/policy/engine.ts';

/** What every route module shares: the app's type, error bodies and response helpers for the OpenAPI document. */
/** `decision`: the last policy decision of the request, which the audit trail records. */
export type Env = { Variables: { user: User; policy: PolicyEngine; decision?: Decision } };
export type Api = OpenAPIHono<Env>;

export const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.array(z.object({ field: z.string(), message: z.string() })).optional() }) });
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });
export const errors = {
  400: errorResponse('Bad input: the message says what to fix'),
  401: errorResponse('No valid token'),
  403: errorResponse('Not allowed'),
  404: errorResponse('Not found'),
  409: errorResponse('Conflicts with the current state'),
};
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
export const secured = [{ token: [] }];
export const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'e1a2b3c4d5' }) });
