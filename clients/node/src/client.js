import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLIENT_CODES, RollcallError, argumentError } from './errors.js';
import { imageBase64 } from './image.js';

const DEFAULT_RETRY = Object.freeze({
  retries: 3,
  minDelayMs: 250,
  maxDelayMs: 30_000,
  statuses: Object.freeze([429, 503]),
});
const JOB_ENDED = new Set(['completed', 'aborted']);

/**
 * A client of one Rollcall service. Every method answers the service's JSON as the README documents it (snake_case
 * fields) and throws {@link RollcallError} for every failure.
 */
export class RollcallClient {
  #baseUrl;
  #apiKey;
  #timeoutMs;
  #retry;
  #fetch;

  /**
   * @param {object} options
   * @param {string} options.baseUrl e.g. http://localhost:8000
   * @param {string} [options.apiKey] sent as X-API-Key
   * @param {number} [options.timeoutMs] per HTTP attempt (default 30 s)
   * @param {object|false} [options.retry] {retries, minDelayMs, maxDelayMs, statuses}; false for none
   * @param {typeof fetch} [options.fetch] another fetch (a proxy agent's, say)
   */
  constructor({ baseUrl, apiKey, timeoutMs = 30_000, retry = {}, fetch: fetchImpl = globalThis.fetch } = {}) {
    if (typeof baseUrl !== 'string' || !/^https?:\/\//i.test(baseUrl)) {
      throw argumentError(`baseUrl must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
    }
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      throw argumentError(`timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
    }
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
    this.#apiKey = apiKey;
    this.#timeoutMs = timeoutMs;
    this.#retry = retry === false ? { ...DEFAULT_RETRY, retries: 0 } : { ...DEFAULT_RETRY, ...retry };
    this.#fetch = fetchImpl;
  }

  /** GET /api/health: the report, also when the service answers 503 (status "unhealthy" or "degraded"). */
  async health() {
    return this.#call('GET', '/api/health', { retries: 0, acceptStatus: (status, body) => status === 503 && typeof body?.status === 'string' });
  }

  /** POST /api/face/enroll. */
  async enroll({ personType, personCode, personName, image, allowDuplicate, allowMismatch, originalName }) {
    return this.#call('POST', '/api/face/enroll', {
      json: {
        person_type: personType, person_code: personCode, person_name: personName,
        image_base64: await imageBase64(image), original_name: originalName,
        allow_duplicate: allowDuplicate, allow_mismatch: allowMismatch,
      },
    });
  }

  /** POST /api/face/recognize. */
  async recognize({ image, personType, similarityThreshold, sessionId, sourceImageName }) {
    return this.#call('POST', '/api/face/recognize', { json: await recognition({ image, personType, similarityThreshold, sessionId, sourceImageName }) });
  }

  /** POST /api/face/recognize-group: every face of a group photo. */
  async recognizeGroup({ image, personType, similarityThreshold, sessionId, sourceImageName }) {
    return this.#call('POST', '/api/face/recognize-group', { json: await recognition({ image, personType, similarityThreshold, sessionId, sourceImageName }) });
  }

  /** POST /api/face/verify: are the two photos the same person? */
  async verify({ image1, image2, similarityThreshold }) {
    return this.#call('POST', '/api/face/verify', {
      json: { image1_base64: await imageBase64(image1, 'image1'), image2_base64: await imageBase64(image2, 'image2'), similarity_threshold: similarityThreshold },
    });
  }

  /** GET /api/face/list/{personType}: one entry per person (perSample: one per photo). */
  async list({ personType = 'all', page, pageSize, perSample } = {}) {
    return this.#call('GET', `/api/face/list/${encodeURIComponent(personType)}`, {
      query: { page, page_size: pageSize, per_sample: perSample },
    });
  }

  /** DELETE /api/face/delete (admin): the person and every photo of theirs. */
  async deletePerson({ personType, personCode }) {
    return this.#call('DELETE', '/api/face/delete', { json: { person_type: personType, person_code: personCode } });
  }

  /** DELETE /api/face/sample/{id} (admin): one photo; the person keeps the others. */
  async deleteSample(id) {
    return this.#call('DELETE', `/api/face/sample/${encodeURIComponent(String(id))}`);
  }

  /** POST /api/face/quality-check: the verdict on a photo before enrolling it. */
  async qualityCheck({ image }) {
    return this.#call('POST', '/api/face/quality-check', { json: { image_base64: await imageBase64(image) } });
  }

  /**
   * POST /api/face/batch-enroll: each item as enroll takes it; one bad item never fails the others (see results).
   * @param {{enrollments: Array<object>, allowDuplicate?: boolean}} batch
   */
  async batchEnroll({ enrollments, allowDuplicate }) {
    if (!Array.isArray(enrollments)) {
      throw argumentError('enrollments must be an array');
    }
    const items = await Promise.all(enrollments.map(async (e, i) => ({
      person_type: e.personType, person_code: e.personCode, person_name: e.personName,
      image_base64: await imageBase64(e.image, `enrollments[${i}].image`), original_name: e.originalName,
      allow_duplicate: e.allowDuplicate, allow_mismatch: e.allowMismatch,
    })));
    return this.#call('POST', '/api/face/batch-enroll', { json: { enrollments: items, allow_duplicate: allowDuplicate } });
  }

  /**
   * POST /api/face/bulk-import (admin), then follows the job to its end. The photos the CSV names must already be in
   * the workers' import folder (BULK_IMPORT_DIR).
   * @param {object} job
   * @param {string|Buffer} [job.csv] the CSV itself
   * @param {string} [job.csvPath] or the CSV's file
   * @param {string} [job.sourceName]
   * @param {boolean} [job.allowDuplicate]
   * @param {(status: object) => void} [job.onProgress] called with every status read while the job runs, and the last
   * @param {number} [job.pollIntervalMs] default 500
   * @param {AbortSignal} [job.signal] stops following (the job goes on)
   * @returns {Promise<object>} the job's final status (completed or aborted)
   */
  async bulkImport({ csv, csvPath, sourceName, allowDuplicate, onProgress, pollIntervalMs = 500, signal }) {
    let body = csv;
    if (body === undefined && csvPath !== undefined) {
      body = await readFile(csvPath).catch((e) => { throw argumentError(`csvPath: cannot read '${csvPath}' (${e.code ?? e.message})`); });
      sourceName ??= csvPath.split(/[\\/]/).pop();
    }
    if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
      throw argumentError('bulkImport needs csv (the text or a Buffer) or csvPath');
    }
    const accepted = await this.#call('POST', '/api/face/bulk-import', {
      body, contentType: 'text/csv; charset=utf-8', query: { source_name: sourceName, allow_duplicate: allowDuplicate },
    });
    for (;;) {
      const status = await this.bulkImportStatus(accepted.job_id);
      onProgress?.(status);
      if (JOB_ENDED.has(status.status)) {
        return status;
      }
      await sleep(pollIntervalMs, undefined, { signal });
    }
  }

  /** GET /api/face/bulk-import/{jobId}. */
  async bulkImportStatus(jobId) {
    return this.#call('GET', `/api/face/bulk-import/${encodeURIComponent(jobId)}`);
  }

  async #call(method, path, { json, body, contentType, query, retries = this.#retry.retries, acceptStatus } = {}) {
    const url = new URL(this.#baseUrl + path);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) {
        url.searchParams.set(name, String(value));
      }
    }
    // One request id for every attempt: the service's logs show the retries of one call together.
    const requestId = randomUUID();
    const headers = { Accept: 'application/json', 'X-Request-Id': requestId };
    if (this.#apiKey) {
      headers['X-API-Key'] = this.#apiKey;
    }
    if (json !== undefined) {
      body = JSON.stringify(json);
      contentType = 'application/json';
    }
    if (contentType) {
      headers['Content-Type'] = contentType;
    }
    for (let attempt = 0; ; attempt++) {
      const response = await this.#send(url, { method, headers, body }, requestId);
      const answer = await readAnswer(response, requestId);
      if (response.ok || acceptStatus?.(response.status, answer)) {
        return answer;
      }
      const error = envelopeError(response, answer, requestId);
      const delay = this.#retryDelay(response.status, error.retryAfterMs, attempt, retries);
      if (delay === null) {
        throw error;
      }
      await sleep(delay);
    }
  }

  async #send(url, init, requestId) {
    try {
      return await this.#fetch(url, { ...init, signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (e) {
      const timedOut = e?.name === 'TimeoutError';
      throw new RollcallError({
        code: timedOut ? CLIENT_CODES.TIMEOUT : CLIENT_CODES.NETWORK_ERROR,
        status: 0,
        message: timedOut ? `no answer from ${url.origin} within ${this.#timeoutMs} ms`
          : `cannot reach ${url.origin}: ${e?.cause?.code ?? e?.cause?.message ?? e?.message}`,
        requestId,
        cause: e,
      });
    }
  }

  /** How long to wait before the next attempt, or null to give up. */
  #retryDelay(status, retryAfterMs, attempt, retries) {
    if (attempt >= retries || !this.#retry.statuses.includes(status)) {
      return null;
    }
    if (retryAfterMs !== null) {
      // The service knows when a slot frees up; waiting longer than the caller allows would only hide the error.
      return retryAfterMs <= this.#retry.maxDelayMs ? retryAfterMs : null;
    }
    // Exponential back-off with full jitter, so that many clients refused together do not come back together.
    const ceiling = Math.min(this.#retry.maxDelayMs, this.#retry.minDelayMs * 2 ** attempt);
    return Math.round(ceiling / 2 + Math.random() * ceiling / 2);
  }
}

async function recognition({ image, personType, similarityThreshold, sessionId, sourceImageName }) {
  return {
    image_base64: await imageBase64(image), person_type: personType, similarity_threshold: similarityThreshold,
    session_id: sessionId, source_image_name: sourceImageName,
  };
}

async function readAnswer(response, requestId) {
  const text = await response.text();
  if (text.length === 0 && response.status === 204) {
    return {};
  }
  try {
    return JSON.parse(text);
  } catch {
    if (!response.ok) {
      return null; // envelopeError describes it by its status
    }
    throw new RollcallError({
      code: CLIENT_CODES.INVALID_RESPONSE, status: response.status,
      message: `the answer is not JSON (Content-Type ${response.headers.get('content-type')})`, requestId,
    });
  }
}

function envelopeError(response, answer, requestId) {
  const retryAfterMs = retryAfter(response.headers.get('retry-after'));
  if (answer && typeof answer.error_code === 'string') {
    return new RollcallError({
      code: answer.error_code, status: response.status, message: answer.message ?? answer.error_code,
      details: answer.details, requestId: answer.request_id ?? response.headers.get('x-request-id') ?? requestId, retryAfterMs,
    });
  }
  return new RollcallError({
    code: CLIENT_CODES.INVALID_RESPONSE, status: response.status,
    message: `HTTP ${response.status} without the service's error envelope (a proxy in between?)`,
    requestId: response.headers.get('x-request-id') ?? requestId, retryAfterMs,
  });
}

/** Retry-After as seconds or an HTTP date (RFC 9110 10.2.3), in milliseconds; null when absent or unreadable. */
export function retryAfter(header) {
  if (header === null || header === undefined || header.trim() === '') {
    return null;
  }
  if (/^\d+$/.test(header.trim())) {
    return Number(header.trim()) * 1000;
  }
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}
