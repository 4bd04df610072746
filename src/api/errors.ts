import type { Context, Env as HonoEnv } from 'hono';
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { PlatformError } from '../engine/errors.ts';
import { redact } from '../domain/secrets/redact.ts';

export const ErrorBody = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'array' } } } },
} as const;

/**
 * PostgreSQL's SQLSTATEs for text it cannot store: 22021 (a NUL or invalid byte sequence for the
 * encoding) and 22P05 (a character with no equivalent in it). The request guards refuse such text
 * first; should any slip past, it is still the caller's bad input, not the platform's failure.
 */
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

const httpCodes: Record<number, string> = { 400: 'bad_request', 404: 'not_found', 405: 'method_not_allowed', 408: 'request_timeout', 413: 'payload_too_large', 415: 'unsupported_media_type' };

/** Every failure becomes JSON for people: what was wrong and how to fix it. Never a stack trace. */
export function errorResponse(err: Error, c: Context): Response {
  if (err instanceof PlatformError) {
    return c.json({ error: { code: err.code, message: err.message, details: err.details } }, err.status);
  }
  if (err instanceof HTTPException) {
    const message = err.status === 400 && /json/i.test(err.message) ? 'the request body is not valid JSON' : err.message || 'bad request';
    return c.json({ error: { code: httpCodes[err.status] ?? 'bad_request', message } }, err.status);
  }
  const state = sqlState(err);
  if (state && UNSTORABLE_TEXT.has(state)) {
    return c.json({ error: { code: 'invalid_request', message: 'the request holds text that cannot be stored (a NUL byte or bytes that are not UTF-8); remove them and send UTF-8 text' } }, 400);
  }
  console.error(`[api] ${c.req.method} ${c.req.path}: ${redact(err.stack ?? err.message, [])}`);
  return c.json({ error: { code: 'internal', message: 'the platform failed to handle this request; it has been logged' } }, 500);
}

/**
 * An API app with the platform's answers to bad input: a failed request validation becomes a 400
 * naming each field, any error a JSON body for people. createApi and the route tests both use it,
 * so the tests prove the real hook.
 */
export function newApiApp<E extends HonoEnv>(): OpenAPIHono<E> {
  const app = new OpenAPIHono<E>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const details = result.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
        return c.json({ error: { code: 'invalid_request', message: details.map((d) => `${d.field}: ${d.message}`).join('; '), details } }, 400);
      }
    },
  });
  app.onError(errorResponse);
  return app;
}
