// 429 against the real service's rate limit (RATE_LIMIT_PER_MINUTE per API key; test/run.js sets it). A key of its
// own is throttled here, so the other test files, running at the same time, are not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RollcallError } from '../index.js';
import { client, service } from './service.js';

test('RATE_LIMITED (429) is retried once Retry-After has passed; a longer wait than maxDelayMs is not waited', async () => {
  const once = client({ apiKey: service.throttledKey, retry: false });
  for (let i = 0; i < service.rateLimit; i++) {
    await once.bulkImportStatus('no-such-job').catch((e) => assert.equal(e.code, 'NOT_FOUND'));
  }

  const refused = await once.bulkImportStatus('no-such-job').then(() => assert.fail('over the limit'), (e) => e);
  assert.ok(refused instanceof RollcallError);
  assert.deepEqual([refused.code, refused.status], ['RATE_LIMITED', 429]);
  assert.ok(refused.retryAfterMs >= 1000 && refused.retryAfterMs <= 60_000, `Retry-After ${refused.retryAfterMs} ms`);

  const impatient = client({ apiKey: service.throttledKey, retry: { maxDelayMs: 500 } });
  const started = Date.now();
  const notWaited = await impatient.bulkImportStatus('no-such-job').then(() => assert.fail('over the limit'), (e) => e);
  assert.equal(notWaited.code, 'RATE_LIMITED');
  assert.ok(Date.now() - started < refused.retryAfterMs, 'gave up at once rather than wait past maxDelayMs');

  const patient = client({ apiKey: service.throttledKey, retry: { maxDelayMs: 70_000 } });
  const waitFrom = Date.now();
  const expectedWait = notWaited.retryAfterMs;
  const answer = await patient.bulkImportStatus('no-such-job').then(() => assert.fail('no such job'), (e) => e);
  assert.equal(answer.code, 'NOT_FOUND', 'answered once the window let it through');
  assert.ok(Date.now() - waitFrom >= expectedWait - 1000, `waited ${Date.now() - waitFrom} ms for Retry-After ${expectedWait} ms`);
});
