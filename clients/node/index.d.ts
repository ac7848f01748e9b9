/// <reference types="node" />
// Types of Rollcall's Node.js client. Answers are the service's JSON (snake_case), as README.md's HTTP API documents;
// the exact schemas are in docs/openapi.json.

export type PersonType = 'student' | 'teacher';
/** A photo: its bytes, a file path or file: URL, plain base64, or a data:image/...;base64, URL. */
export type ImageInput = Buffer | Uint8Array | string | URL;

export interface RetryOptions {
  /** Further attempts after the first (default 3). */
  retries?: number;
  /** First back-off when the answer has no Retry-After (default 250 ms), doubling each attempt. */
  minDelayMs?: number;
  /** Longest wait; a Retry-After beyond it is not waited for and the error is thrown (default 30 s). */
  maxDelayMs?: number;
  /** HTTP statuses retried (default [429, 503]). */
  statuses?: number[];
}

export interface RollcallClientOptions {
  baseUrl: string;
  /** Sent as X-API-Key. */
  apiKey?: string;
  /** Per HTTP attempt (default 30,000). */
  timeoutMs?: number;
  /** false: never retry. */
  retry?: RetryOptions | false;
  fetch?: typeof fetch;
}

export interface ErrorDetails {
  suggestion?: string;
  field?: string;
  [key: string]: unknown;
}

export declare const CLIENT_CODES: Readonly<{
  INVALID_ARGUMENT: 'INVALID_ARGUMENT';
  NETWORK_ERROR: 'NETWORK_ERROR';
  TIMEOUT: 'TIMEOUT';
  INVALID_RESPONSE: 'INVALID_RESPONSE';
}>;

export type ServiceErrorCode =
  | 'VALIDATION_ERROR' | 'INVALID_IMAGE' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'PERSON_NOT_FOUND' | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED' | 'DUPLICATE_ENROLLMENT' | 'SAMPLE_MISMATCH' | 'IMAGE_TOO_LARGE' | 'REQUEST_TOO_LARGE'
  | 'NO_FACE_DETECTED' | 'MULTIPLE_FACES' | 'LOW_QUALITY_IMAGE' | 'RATE_LIMITED' | 'INTERNAL_ERROR'
  | 'MODEL_NOT_LOADED' | 'DATABASE_ERROR' | 'SERVICE_UNAVAILABLE' | 'REQUEST_TIMEOUT';

export declare class RollcallError extends Error {
  readonly name: 'RollcallError';
  /** The service's error_code, or one of CLIENT_CODES (status 0) when no usable answer came back. */
  readonly code: ServiceErrorCode | keyof typeof CLIENT_CODES | (string & {});
  /** HTTP status; 0 when the service did not answer. */
  readonly status: number;
  readonly details: ErrorDetails;
  /** The call's X-Request-Id: finds it in the service's logs. */
  readonly requestId: string | null;
  /** What Retry-After asked for, when a 429 or 503 was not retried (further). */
  readonly retryAfterMs: number | null;
}

export interface Match {
  person_type: PersonType;
  person_code: string;
  person_name: string | null;
  confidence: number;
  similarity_score: number;
}

export interface Attendance {
  session_id: number;
  status: string;
  newly_recorded: boolean;
  recorded_at: string;
}

export interface WorkerStatus {
  worker_id: string;
  last_seen: string;
  model_pack: string | null;
  model_loaded: boolean;
  database: boolean;
  enrolled_faces: number;
  gallery_version: number | null;
  last_reconciled_at: string | null;
  last_reconcile_changes: number;
}

export interface Health {
  status: 'healthy' | 'degraded' | 'unhealthy';
  message: string;
  enrolled_faces: number;
  model_loaded: boolean;
  similarity_threshold: number | null;
  decision: string | null;
  model_pack: string | null;
  worker: string | null;
  kafka: boolean;
  database: boolean;
  resident_memory_mb: number | null;
  gallery_version: number | null;
  last_reconciled_at: string | null;
  workers: WorkerStatus[];
}

export interface EnrollOptions {
  personType: PersonType;
  personCode: string;
  personName: string;
  image: ImageInput;
  allowDuplicate?: boolean;
  allowMismatch?: boolean;
  originalName?: string;
}

export interface Enrolled {
  success: true;
  message: string;
  person_code: string;
  embedding_id: number;
  samples: number;
  person_name?: string;
  previous_name?: string;
}

export interface RecognizeOptions {
  image: ImageInput;
  personType?: PersonType;
  similarityThreshold?: number;
  sessionId?: number;
  sourceImageName?: string;
}

export interface Recognized {
  success: true;
  match: Match | null;
  processing_time_ms: number;
  attendance?: Attendance | null;
}

export interface GroupFace {
  bbox: number[];
  score: number;
  match: Match | null;
  attendance?: Attendance | null;
}

export interface GroupRecognized {
  success: true;
  faces: GroupFace[];
  face_count: number;
  recognized_count: number;
  processing_time_ms: number;
}

export interface Verified {
  success: true;
  same_person: boolean;
  similarity_score: number;
  confidence: number | null;
  threshold: number;
  processing_time_ms: number;
}

export interface ListOptions {
  personType?: PersonType | 'all';
  page?: number;
  pageSize?: number;
  perSample?: boolean;
}

export interface FaceEntry {
  id: number;
  person_type: PersonType;
  person_code: string;
  person_name: string | null;
  enrollment_date: string;
  has_image: boolean;
  samples: number;
}

export interface Listed {
  success: true;
  faces: FaceEntry[];
  total_count: number;
  page?: number | null;
  page_size?: number | null;
}

export interface Deleted {
  success: true;
  message: string;
  deleted_samples: number;
}

export interface QualityChecked {
  success: true;
  quality: {
    score: number;
    face_detected: boolean;
    face_count: number;
    recommendation: string;
    [measurement: string]: unknown;
  };
}

export interface BatchEnrollOptions {
  enrollments: EnrollOptions[];
  allowDuplicate?: boolean;
}

export interface BatchItemResult {
  person_code: string | null;
  success: boolean;
  message: string;
  embedding_id?: number | null;
  error_code?: string | null;
}

export interface BatchEnrolled {
  success: true;
  results: BatchItemResult[];
  summary: { total: number; successful: number; failed: number };
}

export interface BulkImportFailure {
  line: number;
  person_code: string;
  error_code: string;
  message: string;
  details?: ErrorDetails | null;
}

export interface BulkImportStatus {
  success: true;
  job_id: string;
  status: 'queued' | 'running' | 'completed' | 'aborted';
  total: number;
  done: number;
  failed: number;
  successful: number;
  last_error: unknown;
  failures: BulkImportFailure[];
  failures_truncated: boolean;
  source_name: string | null;
  worker: string | null;
  updated_at: string | null;
}

export interface BulkImportOptions {
  /** The CSV (person_type,person_code,person_name,image_path); or csvPath. */
  csv?: string | Buffer;
  csvPath?: string;
  sourceName?: string;
  allowDuplicate?: boolean;
  /** Called with each status read while the job runs, and with the final one. */
  onProgress?: (status: BulkImportStatus) => void;
  pollIntervalMs?: number;
  /** Stops following the job (the job itself goes on). */
  signal?: AbortSignal;
}

export declare class RollcallClient {
  constructor(options: RollcallClientOptions);
  health(): Promise<Health>;
  enroll(options: EnrollOptions): Promise<Enrolled>;
  recognize(options: RecognizeOptions): Promise<Recognized>;
  recognizeGroup(options: RecognizeOptions): Promise<GroupRecognized>;
  verify(options: { image1: ImageInput; image2: ImageInput; similarityThreshold?: number }): Promise<Verified>;
  list(options?: ListOptions): Promise<Listed>;
  deletePerson(options: { personType: PersonType; personCode: string }): Promise<Deleted>;
  deleteSample(id: number | string): Promise<Deleted>;
  qualityCheck(options: { image: ImageInput }): Promise<QualityChecked>;
  batchEnroll(options: BatchEnrollOptions): Promise<BatchEnrolled>;
  bulkImport(options: BulkImportOptions): Promise<BulkImportStatus>;
  bulkImportStatus(jobId: string): Promise<BulkImportStatus>;
}
