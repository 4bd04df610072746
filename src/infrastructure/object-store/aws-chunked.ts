import { Transform, type TransformCallback } from 'node:stream';
import { S3Error } from './sigv4.ts';

export interface ChunkVerifier {
  /** Returns true when `signature` is the valid chained signature of `chunk`. */
  (chunk: Buffer, signature: string): boolean;
}

const MAX_LINE = 4096;

/**
 * Decodes an `aws-chunked` request body (the framing SigV4 streaming uploads and the AWS SDKs'
 * default trailing checksums use) into the plain object bytes the backing store expects.
 * With a verifier, every chunk's signature is checked before its bytes are passed on.
 * Trailers (e.g. x-amz-checksum-crc32) are read and dropped.
 */
export class AwsChunkedDecoder extends Transform {
  private buf: Buffer = Buffer.alloc(0);
  private state: 'size' | 'data' | 'data-crlf' | 'trailers' | 'done' = 'size';
  private remaining = 0;
  private pendingSignature: string | undefined;
  private dataParts: Buffer[] = [];
  private readonly verify: ChunkVerifier | undefined;
  decodedLength = 0;

  constructor(verify?: ChunkVerifier) {
    super();
    this.verify = verify;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    try {
      this.drain();
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    if (this.state !== 'done' && this.state !== 'trailers') {
      cb(new S3Error('IncompleteBody', 400, 'The aws-chunked request body ended before its final chunk'));
      return;
    }
    cb();
  }

  private readLine(): string | null {
    const nl = this.buf.indexOf('\r\n');
    if (nl < 0) {
      if (this.buf.length > MAX_LINE) throw new S3Error('InvalidRequest', 400, 'Malformed aws-chunked body: line too long');
      return null;
    }
    const line = this.buf.subarray(0, nl).toString('latin1');
    this.buf = this.buf.subarray(nl + 2);
    return line;
  }

  private drain(): void {
    for (;;) {
      if (this.state === 'size') {
        const line = this.readLine();
        if (line === null) return;
        const [sizeHex, ...ext] = line.split(';');
        if (!/^[0-9a-fA-F]{1,12}$/.test(sizeHex.trim())) throw new S3Error('InvalidRequest', 400, 'Malformed aws-chunked body: bad chunk size');
        this.remaining = Number.parseInt(sizeHex, 16);
        const sigExt = ext.map((e) => e.trim()).find((e) => e.startsWith('chunk-signature='));
        this.pendingSignature = sigExt?.slice('chunk-signature='.length);
        if (this.verify && !this.pendingSignature) throw new S3Error('SignatureDoesNotMatch', 403, 'A chunk of the signed upload has no chunk-signature');
        this.dataParts = [];
        this.state = 'data';
        if (this.remaining === 0) {
          this.finishChunk();
          this.state = 'trailers';
        }
        continue;
      }
      if (this.state === 'data') {
        if (this.buf.length === 0) return;
        const take = Math.min(this.remaining, this.buf.length);
        const part = this.buf.subarray(0, take);
        this.buf = this.buf.subarray(take);
        this.remaining -= take;
        // Signed chunks are held until verified; unsigned ones stream straight through.
        if (this.verify) this.dataParts.push(part);
        else {
          this.decodedLength += part.length;
          this.push(part);
        }
        if (this.remaining === 0) {
          this.finishChunk();
          this.state = 'data-crlf';
        }
        continue;
      }
      if (this.state === 'data-crlf') {
        if (this.buf.length < 2) return;
        if (this.buf[0] !== 0x0d || this.buf[1] !== 0x0a) throw new S3Error('InvalidRequest', 400, 'Malformed aws-chunked body: missing CRLF after chunk');
        this.buf = this.buf.subarray(2);
        this.state = 'size';
        continue;
      }
      if (this.state === 'trailers') {
        const line = this.readLine();
        if (line === null) return;
        if (line === '') this.state = 'done';
        continue;
      }
      // done: ignore anything after the terminating empty line
      this.buf = Buffer.alloc(0);
      return;
    }
  }

  private finishChunk(): void {
    if (!this.verify) return;
    const data = Buffer.concat(this.dataParts);
    this.dataParts = [];
    if (!this.verify(data, this.pendingSignature ?? '')) {
      throw new S3Error('SignatureDoesNotMatch', 403, 'A chunk signature of the streamed upload does not match');
    }
    this.decodedLength += data.length;
    if (data.length > 0) this.push(data);
  }
}
