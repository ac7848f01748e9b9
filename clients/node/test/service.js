// What test/run.js hands the test files: the running service's address, its broker, keys made for the run, and the
// real photos of ../shared/faces/dev.
import { join } from 'node:path';
import { RollcallClient } from '../index.js';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the tests with 'npm test' (node test/run.js), which starts the service`);
  }
  return value;
}

export const service = Object.freeze({
  url: required('ROLLCALL_TEST_URL'),
  kafka: required('ROLLCALL_TEST_KAFKA'),
  importDir: required('ROLLCALL_TEST_IMPORT_DIR'),
  apiKey: required('ROLLCALL_TEST_API_KEY'),
  adminKey: required('ROLLCALL_TEST_ADMIN_KEY'),
  throttledKey: required('ROLLCALL_TEST_THROTTLED_KEY'),
  rateLimit: Number(required('ROLLCALL_TEST_RATE_LIMIT')),
});

/** A photo of ../shared/faces/dev, e.g. photo('tom_hanks/01.jpg'). */
export function photo(relative) {
  return join(required('ROLLCALL_TEST_SHARED'), 'faces', 'dev', relative);
}

/** A client with the admin key (every call allowed) unless told otherwise. */
export function client(options = {}) {
  return new RollcallClient({ baseUrl: service.url, apiKey: service.adminKey, ...options });
}
