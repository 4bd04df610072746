/** A failure that retrying cannot fix (bad params, a policy refusal): the engine stops retrying at once. */
export class PermanentDriverError extends Error {}
