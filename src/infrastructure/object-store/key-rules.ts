import { S3Error } from './sigv4.ts';

/** AWS's own limit on an object key, in bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;
/**
 * s3rver stores a key as a path: each part between slashes becomes a file or directory name, and
 * the last part gets a suffix such as `._S3rver_metadata.json` (22 bytes, the longest one). Local
 * filesystems allow 255 bytes per name, so a longer part would fail inside the backend; one limit
 * for every part keeps the rule easy to state.
 */
const NAME_MAX = 255;
const LONGEST_SUFFIX = Buffer.byteLength('._S3rver_metadata.json');
export const MAX_KEY_PART_BYTES = NAME_MAX - LONGEST_SUFFIX;
/** s3rver names its own files with this marker; a key containing it could collide with them. */
const RESERVED_MARKER = '._S3rver_';

/**
 * Percent-decodes one part of a request (bucket, key, copy source). Invalid escapes and bytes that
 * are not UTF-8 are a 400 naming the part, never a crash in the backend.
 */
export function decodeUriPart(raw: string, what: string): string {
  if (/[^\x21-\x7e]/.test(raw)) {
    throw new S3Error('InvalidURI', 400, `The ${what} in the URL contains a character that is not percent-encoded; percent-encode it as UTF-8`);
  }
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new S3Error('InvalidURI', 400, `The ${what} in the URL is not valid percent-encoded UTF-8 (check escapes such as %E2%82%AC)`);
  }
}

/** The bucket part of a path: a NUL can never be part of a bucket name. */
export function checkBucketText(bucket: string): void {
  if (bucket.includes('\0')) throw new S3Error('InvalidURI', 400, 'The bucket name contains a NUL character (%00)');
}

/**
 * Every rule an object key must meet before it reaches the backend, wherever it comes from (the
 * URL, x-amz-copy-source, a DeleteObjects body). `what` names the source in the message.
 */
export function checkObjectKey(key: string, what = 'object key'): void {
  if (!key.isWellFormed()) throw new S3Error('InvalidArgument', 400, `The ${what} is not valid UTF-8 (it contains an unpaired surrogate)`);
  if (key.includes('\0')) throw new S3Error('InvalidArgument', 400, `The ${what} contains a NUL character (%00); remove it`);
  const bytes = Buffer.byteLength(key);
  if (bytes > MAX_KEY_BYTES) {
    throw new S3Error('KeyTooLongError', 400, `Your key is too long: the ${what} has ${bytes} bytes of UTF-8, the limit is ${MAX_KEY_BYTES}`);
  }
  const parts = key.split('/');
  // s3rver maps keys straight onto the filesystem, so '.'/'..' segments could reach another bucket.
  if (parts.some((p) => p === '.' || p === '..')) {
    throw new S3Error('InvalidArgument', 400, "Object keys may not contain '.' or '..' path segments");
  }
  for (const part of parts) {
    const n = Buffer.byteLength(part);
    if (n > MAX_KEY_PART_BYTES) {
      throw new S3Error(
        'KeyTooLongError',
        400,
        `Your key is too long for this store: each part of the ${what} between slashes may be at most ${MAX_KEY_PART_BYTES} bytes of UTF-8, and one part has ${n}; split it with '/'`,
      );
    }
    if (part.includes(RESERVED_MARKER)) {
      throw new S3Error('InvalidArgument', 400, `The ${what} may not contain '${RESERVED_MARKER}': this store names its own files with it`);
    }
  }
}

/**
 * s3rver joins uploadId and partNumber into file paths unchecked, so they must be exactly what it
 * issues (32 hex digits) and what S3 allows (1..10000) before they get there.
 */
export function checkMultipartQuery(query: Array<[string, string]>): void {
  for (const [name, value] of query) {
    if (name === 'uploadId' && !/^[0-9a-f]{32}$/.test(value)) {
      throw new S3Error('NoSuchUpload', 404, 'The specified multipart upload does not exist: upload IDs are the 32 hex digits CreateMultipartUpload returned');
    }
    if (name === 'partNumber' && !(/^[1-9]\d{0,4}$/.test(value) && Number(value) <= 10000)) {
      throw new S3Error('InvalidArgument', 400, 'Part number must be an integer between 1 and 10000, inclusive');
    }
  }
}
