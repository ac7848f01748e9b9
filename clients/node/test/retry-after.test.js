// Retry-After in both of its forms (RFC 9110 10.2.3): the service sends seconds; a proxy in front may send a date.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryAfter } from '../src/client.js';

test('Retry-After in seconds, as an HTTP date, or absent or unreadable', () => {
  assert.equal(retryAfter('7'), 7000);
  assert.equal(retryAfter(' 0 '), 0);
  const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
  const ms = retryAfter(inTenSeconds);
  assert.ok(ms > 8000 && ms <= 10_000, `${ms} ms until ${inTenSeconds}`);
  assert.equal(retryAfter('Wed, 21 Oct 2015 07:28:00 GMT'), 0, 'a date already past: retry now');
  assert.equal(retryAfter(null), null);
  assert.equal(retryAfter(''), null);
  assert.equal(retryAfter('soon'), null);
});
