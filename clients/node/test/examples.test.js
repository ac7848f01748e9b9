// The examples in clients/node/examples against the real service: the attendance door (Express) and the analytics
// consumer, which must print the recognition-log events of recognitions made here, decoded from the .avsc files.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RollcallError } from '../index.js';
import { createDoor } from '../examples/attendance-door.js';
import { client, photo, service } from './service.js';

const CONSUMER = fileURLToPath(new URL('../examples/analytics-consumer.js', import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the attendance door (examples/attendance-door.js)', () => {
  test('opens for an enrolled student, not for a stranger, and refuses a bad photo as the photo\'s fault', async () => {
    const admin = client();
    await admin.enroll({ personType: 'student', personCode: 'NDS01', personName: 'Elon Musk', image: photo('elon_musk/01.jpg') });
    const server = createDoor({ rollcall: client({ apiKey: service.apiKey }), personType: 'student' }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const scan = async (body, type) => {
      const response = await fetch(`http://127.0.0.1:${server.address().port}/door/scan`, { method: 'POST', headers: { 'Content-Type': type }, body });
      return { status: response.status, body: await response.json() };
    };
    try {
      const pupil = await scan(await readFile(photo('elon_musk/02.jpg')), 'image/jpeg');
      assert.deepEqual(pupil, { status: 200, body: { open: true, person: { type: 'student', code: 'NDS01', name: 'Elon Musk' }, attendance: null } });
      const stranger = await scan(JSON.stringify({ image_base64: (await readFile(photo('angelina_jolie/02.jpg'))).toString('base64') }), 'application/json');
      assert.deepEqual(stranger, { status: 200, body: { open: false, reason: 'UNKNOWN_FACE' } });
      const garbage = await scan(Buffer.from('not a photo'), 'image/jpeg');
      assert.equal(garbage.status, 422);
      assert.equal(garbage.body.reason, 'INVALID_IMAGE');
      assert.equal(garbage.body.open, false);
    } finally {
      server.close();
      await admin.deletePerson({ personType: 'student', personCode: 'NDS01' });
    }
  });
});

describe('the analytics consumer (examples/analytics-consumer.js)', () => {
  test('prints the decoded recognition-log events of recognitions through the service', async () => {
    const consumer = spawn(process.execPath, [CONSUMER, '--from-beginning'], {
      env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: service.kafka, ANALYTICS_GROUP: `node-test-${randomUUID()}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    consumer.stderr.on('data', (chunk) => { errors += chunk; });
    const printed = [];
    createInterface({ input: consumer.stdout }).on('line', (line) => printed.push(JSON.parse(line)));
    const rollcall = client();
    const marker = `analytics-${randomUUID()}`;
    try {
      await rollcall.enroll({ personType: 'student', personCode: 'NAS01', personName: 'Katy Perry', image: photo('katy_perry/01.jpg') });
      const matched = await rollcall.recognize({ image: photo('katy_perry/02.jpg'), personType: 'student', sourceImageName: `${marker}-1.jpg` });
      assert.equal(matched.match.person_code, 'NAS01');
      await assert.rejects(rollcall.recognize({ image: photo('_noface/01.jpg'), sourceImageName: `${marker}-2.jpg` }),
        (e) => e instanceof RollcallError && e.code === 'NO_FACE_DETECTED');
      const group = await rollcall.recognizeGroup({ image: photo('_group/01.jpg'), personType: 'student', sourceImageName: `${marker}-3.jpg` });
      assert.equal(group.face_count, 2);

      const ours = () => printed.filter((p) => p.event.source_image_name?.startsWith(marker));
      const deadline = Date.now() + 60_000;
      while (ours().length < 4 && Date.now() < deadline && consumer.exitCode === null) {
        await new Promise((done) => setTimeout(done, 200));
      }
      const events = ours().sort((a, b) => a.event.source_image_name.localeCompare(b.event.source_image_name));
      assert.equal(events.length, 4, `four events printed (consumer's stderr: ${errors})`);
      for (const { topic, key, event } of events) {
        assert.equal(topic, 'rollcall.recognition.logs');
        assert.equal(key, event.request_id);
        assert.match(event.event_id, UUID);
        assert.equal(event.model_pack, 'dev');
        assert.ok(Math.abs(Date.parse(event.occurred_at) - Date.now()) < 120_000, `occurred_at ${event.occurred_at} is a time of this run`);
        assert.ok(Number.isInteger(event.processing_time_ms) && event.processing_time_ms >= 0);
        assert.equal(event.session_id, null);
      }
      const pick = (e) => [e.operation, e.success, e.person_type, e.person_code, e.confidence, e.similarity, e.error_code, e.source_image_name];
      assert.deepEqual(events.map((p) => pick(p.event)), [
        ['recognize', true, 'STUDENT', 'NAS01', matched.match.confidence, matched.match.similarity_score, null, `${marker}-1.jpg`],
        ['recognize', false, null, null, null, null, 'NO_FACE_DETECTED', `${marker}-2.jpg`],
        ['recognize_group', false, null, null, null, null, null, `${marker}-3.jpg`],
        ['recognize_group', false, null, null, null, null, null, `${marker}-3.jpg`],
      ]);
      assert.equal(events[2].event.request_id, events[3].event.request_id, 'one request, one event per face');
      assert.notEqual(events[2].event.event_id, events[3].event.event_id);
    } finally {
      consumer.kill('SIGTERM');
      await rollcall.deletePerson({ personType: 'student', personCode: 'NAS01' }).catch(() => {});
    }
  });
});
