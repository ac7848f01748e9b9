// An analytics consumer outside the JVM: reads rollcall.recognition.logs and prints each recognition attempt as one
// JSON line, decoded from the .avsc files alone (docs/analytics.md).
//
//   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 node analytics-consumer.js [--from-beginning]
//
// Environment: KAFKA_BOOTSTRAP_SERVERS (default 127.0.0.1:9092), KAFKA_TOPIC_PREFIX (as the service's),
// ANALYTICS_GROUP (consumer group, default rollcall-analytics-example; put under the prefix like the service's own
// groups), ROLLCALL_SCHEMAS (the schemas module, default ../../../schemas from this file).
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { readdir } from 'node:fs/promises';
import kafkajs from 'kafkajs';
import { loadSchemaFile, loadSchemaFolder, singleObjectDecoder } from './avro-messages.js';

const { Kafka, logLevel } = kafkajs;
const HERE = fileURLToPath(new URL('.', import.meta.url));
const SCHEMAS = resolve(process.env.ROLLCALL_SCHEMAS ?? join(HERE, '..', '..', '..', 'schemas'));
const PREFIX = process.env.KAFKA_TOPIC_PREFIX ? `${process.env.KAFKA_TOPIC_PREFIX}.` : '';
const TOPIC = `${PREFIX}rollcall.recognition.logs`;
const GROUP = `${PREFIX}${process.env.ANALYTICS_GROUP ?? 'rollcall-analytics-example'}`;
// Delivery is at least once: a redelivered event carries the same event_id. Remember the most recent ids to drop
// repeats; a real pipeline keeps event_id unique in its store instead (docs/analytics.md).
const REMEMBERED_EVENT_IDS = 100_000;

/** The decoder of recognition-log events: the current schema, and every released version as a possible writer. */
export async function recognitionLogDecoder(schemasDir = SCHEMAS) {
  const current = await loadSchemaFolder(join(schemasDir, 'src', 'main', 'avro'));
  const historyDir = join(schemasDir, 'src', 'main', 'resources', 'io', 'rollcall', 'schemas', 'history');
  const older = [];
  for (const name of await readdir(historyDir)) {
    if (/^RecognitionLogEvent-v\d+\.avsc$/.test(name)) {
      older.push(await loadSchemaFile(join(historyDir, name)));
    }
  }
  return singleObjectDecoder(current.get('io.rollcall.schemas.RecognitionLogEvent'), older);
}

async function main() {
  const decode = await recognitionLogDecoder();
  const kafka = new Kafka({
    clientId: 'rollcall-analytics-example',
    brokers: (process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()),
    logLevel: logLevel.ERROR,
  });
  const consumer = kafka.consumer({ groupId: GROUP });
  const seen = new Set();
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: process.argv.includes('--from-beginning') });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      let event;
      try {
        event = decode(message.value);
      } catch (e) {
        console.error(`skipped ${topic}/${partition}@${message.offset}: ${e.message}`);
        return;
      }
      if (seen.has(event.event_id)) {
        return;
      }
      seen.add(event.event_id);
      if (seen.size > REMEMBERED_EVENT_IDS) {
        seen.delete(seen.values().next().value); // a Set iterates in insertion order: the oldest goes
      }
      console.log(JSON.stringify({ topic, partition, offset: message.offset, key: message.key?.toString('utf8'), event }));
    },
  });
  console.error(`reading ${TOPIC} as group ${GROUP}`);
  const stop = async () => {
    await consumer.disconnect();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
