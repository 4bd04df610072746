export { startObjectStore, isValidBucketName } from './store.ts';
export type { BucketGrant, ObjectStore, ObjectStoreOptions } from './store.ts';
