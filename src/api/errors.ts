import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { PlatformError } from '../engine/errors.ts';
import { redact } from '../domain/secrets/redact.ts';

export const ErrorBody = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'array' } } } },
} as const;

/** Every failure becomes JSON for people: what was wrong and how to fix it. Never a stack trace. */
export function errorResponse(err: Error, c: Context): Response {
  if (err instanceof PlatformError) {
    return c.json({ error: { code: err.code, message: err.message, details: err.details } }, err.status);
  }
  if (err instanceof HTTPException) {
    const message = err.status === 400 && /json/i.test(err.message) ? 'the request body is not valid JSON' : err.message || 'bad request';
    return c.json({ error: { code: 'bad_request', message } }, err.status);
  }
  console.error(`[api] ${c.req.method} ${c.req.path}: ${redact(err.stack ?? err.message, [])}`);
  return c.json({ error: { code: 'internal', message: 'the platform failed to handle this request; it has been logged' } }, 500);
}
