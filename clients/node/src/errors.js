/**
 * Every failure of a call: the service's error envelope ({success:false, error_code, message, details, request_id})
 * with the HTTP status, or one of the client's own codes (status 0) when no answer came back.
 */
export class RollcallError extends Error {
  /**
   * @param {object} fields
   * @param {string} fields.code the service's error_code, or one of CLIENT_CODES
   * @param {number} fields.status the HTTP status; 0 when the service did not answer
   * @param {string} fields.message
   * @param {object} [fields.details] the envelope's details (details.suggestion says what to do)
   * @param {string|null} [fields.requestId] the X-Request-Id of the call, which finds it in the service's logs
   * @param {number|null} [fields.retryAfterMs] what Retry-After asked for, on a 429 or 503 not retried further
   * @param {unknown} [fields.cause]
   */
  constructor({ code, status, message, details = {}, requestId = null, retryAfterMs = null, cause }) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'RollcallError';
    this.code = code;
    this.status = status;
    this.details = details ?? {};
    this.requestId = requestId;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Codes of failures found by the client itself, never by the service. */
export const CLIENT_CODES = Object.freeze({
  /** A call's own argument is missing or unusable (an image file that does not exist, a missing field). */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** No answer: the connection was refused or broken. */
  NETWORK_ERROR: 'NETWORK_ERROR',
  /** No answer within timeoutMs. */
  TIMEOUT: 'TIMEOUT',
  /** An answer that is not the service's JSON (a proxy's error page, say). */
  INVALID_RESPONSE: 'INVALID_RESPONSE',
});

export function argumentError(message) {
  return new RollcallError({ code: CLIENT_CODES.INVALID_ARGUMENT, status: 0, message });
}
