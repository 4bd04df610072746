/** Plain data that can be stored as JSONB and shown to people: what drivers keep and give. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
