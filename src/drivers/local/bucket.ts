import type { ObjectStore } from '../../infrastructure/object-store/index.ts';
import type { Driver } from '../driver.ts';
import { newAccessKeyId, newSecretKey } from './secrets.ts';

/**
 * A bucket on the platform's S3-compatible store with a key pair of its own. The store's
 * authorisation layer looks keys up in the platform's state, so a key opens only its bucket.
 */
export function bucketDriver(store: ObjectStore): Driver {
  return {
    type: 'bucket',
    target: 'local',
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
  };
}
