/** An error meant for the person who made the request: the API turns it into a 4xx with this message. */
export class PlatformError extends Error {
  readonly status: 400 | 401 | 403 | 404 | 409;
  readonly code: string;
  readonly details?: { field: string; message: string }[];
  constructor(status: PlatformError['status'], code: string, message: string, details?: { field: string; message: string }[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}
