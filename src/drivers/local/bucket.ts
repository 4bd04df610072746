import type { ObjectStore } from '../../infrastructure/object-store/index.ts';
import { z } from 'zod';
import { defineDriver, type Driver } from '../driver.ts';
import { newAccessKeyId, newSecretKey } from './secrets.ts';

// The bucket is named after the environment and resource, so it takes nothing.
export const bucketParams = z.strictObject({});

export const bucketOutputs = z.strictObject({
  url: z.string().describe('the S3 endpoint'),
  endpoint: z.string().describe('the S3 endpoint (path-style addressing)'),
  bucket: z.string(),
  region: z.string(),
  accessKeyId: z.string(),
  secretAccessKey: z.string(),
});

/** What a bucket resource takes and gives on this target; the path loader checks paths against it. */
export const bucketDeclaration = { type: 'bucket', target: 'local', params: bucketParams, outputs: bucketOutputs };

/**
 * A bucket on the platform's S3-compatible store with a key pair of its own. The store's
 * authorisation layer looks keys up in the platform's state, so a key opens only its bucket.
 */
export function bucketDriver(store: ObjectStore): Driver {
  return defineDriver({
    ...bucketDeclaration,
    async provision({ environmentId, resourceId, state }) {
      const bucket = `${environmentId}-${resourceId}`;
      await store.createBucket(bucket);
      const accessKeyId = typeof state.accessKeyId === 'string' ? state.accessKeyId : newAccessKeyId();
      const secretAccessKey = typeof state.secretAccessKey === 'string' ? state.secretAccessKey : newSecretKey();
      return {
        state: { bucket, accessKeyId, secretAccessKey },
        outputs: { url: store.endpoint, endpoint: store.endpoint, bucket, region: 'us-east-1', accessKeyId, secretAccessKey },
      };
    },
    async status({ environmentId, resourceId }) {
      return (await store.bucketExists(`${environmentId}-${resourceId}`)) ? { healthy: true } : { healthy: false, message: 'bucket is missing' };
    },
    async deprovision({ environmentId, resourceId }) {
      await store.deleteBucket(`${environmentId}-${resourceId}`);
    },
  });
}
