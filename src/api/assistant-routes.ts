import { createRoute, z } from '@hono/zod-openapi';
import { Choice, Intent, Pending, ProposedAction, Slots } from '../domain/assistant/schema.ts';
import { Assistant, type ApiCall } from '../engine/assistant/assistant.ts';
import { errors, json, secured, type Api } from './openapi.ts';

const AssistantRequest = z.strictObject({
  text: z.string().max(1000, 'keep a sentence under 1000 characters').optional().openapi({ example: 'launch a data science experiment' }),
  confirm: z.string().max(20_000, 'confirm is the confirmToken of a proposal, as it came').optional().openapi({ description: 'The confirmToken of a proposal: carries it out' }),
  context: z.strictObject({ pending: Pending.optional().openapi({ description: 'The `pending` of the previous answer, when it asked a question: this text answers it' }) }).optional(),
}).refine((b) => Boolean(b.text?.trim()) !== Boolean(b.confirm), { message: 'send either text (a sentence) or confirm (the confirmToken of a proposal), not both and not neither', path: ['text'] });

const AssistantAnswer = z.object({
  understood: z.object({ intent: Intent, slots: Slots }),
  says: z.string().openapi({ description: 'What the assistant says, for a person' }),
  question: z.string().optional(),
  choices: z.array(Choice).optional().openapi({ description: 'Send a choice\'s text back to pick it' }),
  pending: Pending.optional(),
  proposal: z.object({ action: ProposedAction, request: z.record(z.string(), z.unknown()), confirmToken: z.string() }).optional()
    .openapi({ description: 'What it would do; nothing is done until confirm is sent with confirmToken (within 10 minutes)' }),
  result: z.unknown().optional(),
}).openapi('AssistantAnswer');

/**
 * POST /api/v1/assistant: a sentence in, what was understood and what would be done out; a
 * confirmation carries the proposal out. Every platform call it makes is a request to this same
 * API with the caller's own token: the same validation, policy decisions and audit rows.
 */
export function registerAssistantRoutes(app: Api): void {
  const assistant = new Assistant();
  app.openapi(createRoute({ method: 'post', path: '/api/v1/assistant', security: secured, tags: ['assistant'],
    summary: 'Ask the platform in a sentence; confirm what it proposes',
    description: 'Understands launching a path, a path\'s docs, spend, catalog search, your environments (list, stop, start, delete) and why a launch was refused, offline. Reads are answered at once; what creates or destroys comes back as a proposal to confirm. An unclear request gets a question and choices, never an action.',
    request: { body: { required: true, content: { 'application/json': { schema: AssistantRequest } } } },
    responses: { 200: json(AssistantAnswer, 'What it understood, and its answer, proposal or result'), ...errors } }),
    async (c) => {
      const auth = c.req.header('authorization') ?? '';
      const call: ApiCall = async (method, path, body) => {
        const res = await app.request(path, {
          method, body: body === undefined ? undefined : JSON.stringify(body),
          headers: { authorization: auth, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        }, c.env);
        const text = await res.text();
        return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : null };
      };
      const answer = await assistant.answer(c.req.valid('json'), c.get('user'), call);
      if (answer.error) {
        const { error, ...rest } = answer;
        return c.json({ ...rest, error: { code: error.code, message: error.message } }, error.status as 400);
      }
      return c.json(answer, 200);
    });
}
