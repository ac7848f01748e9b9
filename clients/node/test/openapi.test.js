// docs/openapi.json is the running service's document, exactly: a change to the API fails here until the document is
// regenerated (cd clients/node && npm run openapi:update) and committed with it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { service } from './service.js';

const COMMITTED = new URL('../../../docs/openapi.json', import.meta.url);
// Every call the client makes (src/client.js): each must be in the document.
const CLIENT_CALLS = [
  ['get', '/api/health'], ['post', '/api/face/enroll'], ['post', '/api/face/recognize'], ['post', '/api/face/recognize-group'],
  ['post', '/api/face/verify'], ['get', '/api/face/list/{personType}'], ['delete', '/api/face/delete'],
  ['delete', '/api/face/sample/{id}'], ['post', '/api/face/quality-check'], ['post', '/api/face/batch-enroll'],
  ['post', '/api/face/bulk-import'], ['get', '/api/face/bulk-import/{jobId}'],
];

async function served() {
  const response = await fetch(`${service.url}/api/openapi.json`, { headers: { 'X-API-Key': service.apiKey } });
  assert.equal(response.status, 200);
  return response.json();
}

test('the running service publishes exactly the committed docs/openapi.json', async () => {
  const committed = JSON.parse(await readFile(COMMITTED, 'utf8'));
  assert.deepStrictEqual(await served(), committed,
    'docs/openapi.json differs from the running service\'s document: regenerate it with `cd clients/node && npm run openapi:update`');
});

test('every call of the Node.js client is in the document', async () => {
  const { paths } = JSON.parse(await readFile(COMMITTED, 'utf8'));
  for (const [method, path] of CLIENT_CALLS) {
    assert.ok(paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
  }
});

test('the document names its own origin as the server, never a host', async () => {
  assert.deepEqual((await served()).servers, [{ url: '/', description: 'This server' }]);
});
