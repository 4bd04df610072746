import { request } from 'node:http';

export interface HugeAnswer {
  status: number;
  body: string;
  ms: number;
  /** Bytes written before the answer came. */
  sent: number;
  connection?: string;
}

/**
 * POSTs `total` bytes of JSON-ish filler, with a declared Content-Length or chunked, and resolves
 * with the answer, which a guarded server sends long before the body is through.
 */
export function postHuge(url: string, total: number, declared: boolean): Promise<HugeAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(declared ? { 'content-length': String(total) } : {}) } });
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    let sent = 0;
    let answered = false;
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode!, body, ms: performance.now() - started, sent, connection: res.headers.connection });
      });
    });
    req.on('error', (e) => (answered ? undefined : reject(e)));
    pump();
  });
}
