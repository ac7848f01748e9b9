// The client against the real service (test/run.js starts it): every method, on real photos, with exact outcomes.
// Test files run at the same time against one service, so each uses people of its own: teachers NCT.. and students
// NB... here.
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { RollcallClient, RollcallError } from '../index.js';
import { client, photo, service } from './service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof RollcallError, `a RollcallError, not ${e?.stack ?? e}`);
    return e;
  }
  assert.fail('expected a RollcallError');
}

describe('RollcallClient', () => {
  const rollcall = client();

  test('enrolls, recognises, verifies, lists and deletes', async () => {
    const enrolled = await rollcall.enroll({ personType: 'teacher', personCode: 'NCT01', personName: 'Tom Hanks', image: photo('tom_hanks/01.jpg') });
    assert.equal(enrolled.success, true);
    assert.equal(enrolled.person_code, 'NCT01');
    assert.equal(enrolled.samples, 1);
    assert.ok(Number.isInteger(enrolled.embedding_id) && enrolled.embedding_id > 0);
    const second = await rollcall.enroll({ personType: 'teacher', personCode: 'NCT01', personName: 'Tom Hanks', image: await readFile(photo('tom_hanks/03.jpg')) });
    assert.equal(second.samples, 2);

    const recognized = await rollcall.recognize({ image: photo('tom_hanks/02.jpg'), personType: 'teacher' });
    assert.equal(recognized.success, true);
    assert.deepEqual({ ...recognized.match, confidence: undefined, similarity_score: undefined },
      { person_type: 'teacher', person_code: 'NCT01', person_name: 'Tom Hanks', confidence: undefined, similarity_score: undefined });
    assert.ok(recognized.match.confidence >= 0.5, `confidence ${recognized.match.confidence} is at least the threshold's 0.5`);
    const stranger = await rollcall.recognize({ image: photo('angelina_jolie/01.jpg'), personType: 'teacher' });
    assert.equal(stranger.match, null);

    const same = await rollcall.verify({ image1: photo('tom_hanks/01.jpg'), image2: photo('tom_hanks/03.jpg') });
    assert.equal(same.same_person, true);
    assert.ok(same.similarity_score >= same.threshold);
    const different = await rollcall.verify({ image1: photo('tom_hanks/01.jpg'), image2: photo('angelina_jolie/01.jpg') });
    assert.equal(different.same_person, false);
    assert.ok(different.similarity_score < different.threshold);

    const listed = await rollcall.list({ personType: 'teacher' });
    assert.equal(listed.total_count, 1);
    assert.deepEqual(listed.faces.map((f) => [f.person_code, f.person_name, f.samples, f.has_image]), [['NCT01', 'Tom Hanks', 2, true]]);
    const paged = await rollcall.list({ personType: 'teacher', page: 1, pageSize: 1 });
    assert.equal(paged.faces.length, 1);
    const samples = await rollcall.list({ personType: 'teacher', perSample: true });
    assert.equal(samples.faces.length, 2);

    const oneSample = await rollcall.deleteSample(samples.faces[1].id);
    assert.equal(oneSample.deleted_samples, 1);
    assert.equal((await rollcall.list({ personType: 'teacher' })).faces[0].samples, 1);

    const deleted = await rollcall.deletePerson({ personType: 'teacher', personCode: 'NCT01' });
    assert.equal(deleted.deleted_samples, 1);
    assert.equal((await rollcall.recognize({ image: photo('tom_hanks/02.jpg'), personType: 'teacher' })).match, null);
    const again = await rejection(rollcall.deletePerson({ personType: 'teacher', personCode: 'NCT01' }));
    assert.equal(again.code, 'PERSON_NOT_FOUND');
    assert.equal(again.status, 404);
  });

  test('a bad image throws RollcallError with code INVALID_IMAGE and status 400', async () => {
    const e = await rejection(rollcall.recognize({ image: Buffer.from('this is not a photo') }));
    assert.equal(e.code, 'INVALID_IMAGE');
    assert.equal(e.status, 400);
    assert.equal(e.message, 'not an image: the data is not JPEG, PNG or WebP');
    assert.match(e.details.suggestion, /JPEG, PNG or WebP/);
    assert.match(e.requestId, UUID);
  });

  test('takes an image as a Buffer, a file path, a file URL, base64 or a data URL', async () => {
    const file = photo('kofi_annan/01.jpg');
    const bytes = await readFile(file);
    const forms = [bytes, new Uint8Array(bytes), file, pathToFileURL(file), bytes.toString('base64'),
      `data:image/jpeg;base64,${bytes.toString('base64')}`];
    const scores = [];
    for (const image of forms) {
      scores.push((await rollcall.qualityCheck({ image })).quality.score);
    }
    assert.equal(new Set(scores).size, 1, `one score for one photo: ${scores}`);
    assert.ok(scores[0] > 0);
  });

  test('an image file that does not exist is INVALID_ARGUMENT, found before any request', async () => {
    const e = await rejection(rollcall.enroll({ personType: 'teacher', personCode: 'NCT09', personName: 'Nobody', image: './no/such/photo.jpg' }));
    assert.equal(e.code, 'INVALID_ARGUMENT');
    assert.equal(e.status, 0);
    assert.match(e.message, /no\/such\/photo\.jpg/);
  });

  test('a photo without a face cannot be enrolled: NO_FACE_DETECTED, 422', async () => {
    const e = await rejection(rollcall.enroll({ personType: 'teacher', personCode: 'NCT09', personName: 'Nobody', image: photo('_noface/01.jpg') }));
    assert.equal(e.code, 'NO_FACE_DETECTED');
    assert.equal(e.status, 422);
  });

  test('a field the service refuses is VALIDATION_ERROR naming it', async () => {
    const e = await rejection(rollcall.enroll({ personType: 'parent', personCode: 'NCT09', personName: 'Nobody', image: photo('kofi_annan/01.jpg') }));
    assert.equal(e.code, 'VALIDATION_ERROR');
    assert.equal(e.status, 400);
    assert.equal(e.details.field, 'person_type');
  });

  test('recognizeGroup answers every face of a group photo', async () => {
    const group = await rollcall.recognizeGroup({ image: photo('_group/01.jpg'), personType: 'teacher' });
    assert.equal(group.face_count, 2);
    assert.equal(group.faces.length, 2);
    assert.equal(group.recognized_count, 0);
    for (const face of group.faces) {
      assert.equal(face.bbox.length, 4);
    }
  });

  test('batchEnroll: one bad item never fails the others', async () => {
    const batch = await rollcall.batchEnroll({
      enrollments: [
        { personType: 'teacher', personCode: 'NCT02', personName: 'Kofi Annan', image: photo('kofi_annan/01.jpg') },
        { personType: 'teacher', personCode: 'NCT03', personName: 'Not a photo', image: Buffer.from('nothing') },
      ],
    });
    assert.deepEqual(batch.summary, { total: 2, successful: 1, failed: 1 });
    assert.deepEqual(batch.results.map((r) => [r.person_code, r.success, r.error_code ?? null]),
      [['NCT02', true, null], ['NCT03', false, 'INVALID_IMAGE']]);
    assert.equal((await rollcall.recognize({ image: photo('kofi_annan/02.jpg'), personType: 'teacher' })).match.person_code, 'NCT02');
    assert.equal((await rollcall.deletePerson({ personType: 'teacher', personCode: 'NCT02' })).deleted_samples, 1);
  });

  test('keys: an ordinary key may not delete (FORBIDDEN, 403); no key at all is UNAUTHORIZED, 401', async () => {
    const ordinary = client({ apiKey: service.apiKey });
    assert.equal((await ordinary.list({ personType: 'teacher' })).success, true);
    const forbidden = await rejection(ordinary.deletePerson({ personType: 'teacher', personCode: 'NCT01' }));
    assert.deepEqual([forbidden.code, forbidden.status], ['FORBIDDEN', 403]);
    const anonymous = new RollcallClient({ baseUrl: service.url });
    const unauthorized = await rejection(anonymous.list());
    assert.deepEqual([unauthorized.code, unauthorized.status], ['UNAUTHORIZED', 401]);
    assert.equal((await anonymous.health()).status, 'healthy', 'health needs no key');
  });

  test('no answer is NETWORK_ERROR (nothing listening) or TIMEOUT (too slow), status 0', async () => {
    const closed = new RollcallClient({ baseUrl: 'http://127.0.0.1:9', retry: false });
    const refused = await rejection(closed.health());
    assert.deepEqual([refused.code, refused.status], ['NETWORK_ERROR', 0]);
    assert.match(refused.requestId, UUID);
    const hasty = client({ timeoutMs: 1 });
    const late = await rejection(hasty.recognize({ image: photo('kofi_annan/03.jpg') }));
    assert.deepEqual([late.code, late.status], ['TIMEOUT', 0]);
  });

  test('bulkImport follows the job with a progress callback to its end, failed rows listed', async () => {
    const folder = join(service.importDir, 'node-client');
    await mkdir(folder, { recursive: true });
    await copyFile(photo('laura_bush/01.jpg'), join(folder, 'laura.jpg'));
    await copyFile(photo('vladimir_putin/01.jpg'), join(folder, 'vladimir.jpg'));
    await copyFile(photo('_noface/01.jpg'), join(folder, 'noface.jpg'));
    const csv = ['person_type,person_code,person_name,image_path',
      'student,NBS01,Laura Bush,node-client/laura.jpg',
      'student,NBS02,Vladimir Putin,node-client/vladimir.jpg',
      'student,NBS03,No Face,node-client/noface.jpg',
      'student,NBS04,No File,node-client/missing.jpg'].join('\n');
    const seen = [];

    const final = await rollcall.bulkImport({ csv, sourceName: 'node-client.csv', onProgress: (s) => seen.push(s), pollIntervalMs: 100 });

    assert.equal(final.status, 'completed');
    assert.deepEqual([final.total, final.done, final.successful, final.failed], [4, 4, 2, 2]);
    assert.deepEqual(final.failures.map((f) => [f.line, f.person_code, f.error_code]),
      [[4, 'NBS03', 'NO_FACE_DETECTED'], [5, 'NBS04', 'VALIDATION_ERROR']]);
    assert.equal(final.source_name, 'node-client.csv');
    assert.ok(seen.length >= 1);
    assert.deepEqual(seen.at(-1), final);
    const done = seen.map((s) => s.done);
    assert.deepEqual(done, [...done].sort((a, b) => a - b), `progress never goes back: ${done}`);
    assert.equal((await rollcall.recognize({ image: photo('laura_bush/02.jpg'), personType: 'student' })).match?.person_code, 'NBS01');
    for (const code of ['NBS01', 'NBS02']) {
      await rollcall.deletePerson({ personType: 'student', personCode: code });
    }
  });

  test('an invalid CSV is refused whole: VALIDATION_ERROR listing every bad row, nothing queued', async () => {
    const csv = 'person_type,person_code,person_name,image_path\nparent,NBS05,Someone,a.jpg\nstudent,NBS06,Someone,../b.jpg\n';
    const e = await rejection(rollcall.bulkImport({ csv }));
    assert.deepEqual([e.code, e.status], ['VALIDATION_ERROR', 400]);
    assert.deepEqual(e.details.errors.map((row) => [row.line, row.field]), [[2, 'person_type'], [3, 'image_path']]);
  });
});
