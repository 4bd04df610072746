import { z } from 'zod';

/** A token as its owner may see it (the API, the CLI, the portal): never the secret, only its public id. */
export const TokenView = z.object({
  id: z.string().meta({ example: 'tok_k3x9q2mz' }),
  kind: z.string().meta({ description: '`cli` or `session`' }),
  label: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable().meta({ description: 'Updated at most once a minute' }),
  current: z.boolean().meta({ description: 'The token this request was made with' }),
});
export type TokenView = z.infer<typeof TokenView>;
