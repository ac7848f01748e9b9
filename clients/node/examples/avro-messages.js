// Reads Rollcall's Kafka messages from the .avsc files alone: Avro single-object encoding (C3 01, the writer schema's
// 8-byte little-endian CRC-64-AVRO fingerprint, then Avro binary), with no schema registry and no Java.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import avro from 'avsc';

const MARKER = Buffer.from([0xc3, 0x01]);
const HEADER_BYTES = MARKER.length + 8;

/** timestamp-millis as a Date (avsc leaves logical types to the reader). */
class TimestampMillis extends avro.types.LogicalType {
  _fromValue(value) { return new Date(Number(value)); }
  _toValue(date) { return date instanceof Date ? date.getTime() : undefined; }
  _resolve(type) { return avro.Type.isType(type, 'long', 'logical:timestamp-millis') ? this._fromValue : undefined; }
}
const LOGICAL_TYPES = { 'timestamp-millis': TimestampMillis };

/**
 * Parses every .avsc under a folder (schemas/src/main/avro: one file per named type, naming each other's types)
 * into one registry, whatever the order of the files.
 * @returns {Promise<Map<string, avro.Type>>} full name (io.rollcall.schemas.RecognitionLogEvent) -> type
 */
export async function loadSchemaFolder(dir) {
  const pending = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.avsc')) {
      const path = join(entry.parentPath ?? entry.path, entry.name);
      pending.push({ path, schema: JSON.parse(await readFile(path, 'utf8')) });
    }
  }
  const registry = {};
  const types = new Map();
  // A file fails while a type it names is not parsed yet: parse in rounds until every file is in, or a round adds none.
  while (pending.length > 0) {
    const failures = [];
    for (const file of pending) {
      // A copy per try: a failed parse leaves the names it had reached registered, and the next try would clash.
      const scratch = { ...registry };
      try {
        const type = avro.Type.forSchema(file.schema, { registry: scratch, logicalTypes: LOGICAL_TYPES });
        Object.assign(registry, scratch);
        types.set(type.name, type);
      } catch (error) {
        failures.push({ ...file, error });
      }
    }
    if (failures.length === pending.length) {
      throw new Error(`cannot parse ${failures[0].path}: ${failures[0].error.message}`);
    }
    pending.splice(0, pending.length, ...failures);
  }
  return types;
}

/** Parses one self-contained schema file (a history version, schemas/src/main/resources/io/rollcall/schemas/history). */
export async function loadSchemaFile(path) {
  return avro.Type.forSchema(JSON.parse(await readFile(path, 'utf8')), { logicalTypes: LOGICAL_TYPES });
}

/**
 * The CRC-64-AVRO (Rabin) fingerprint of a schema's Parsing Canonical Form, as the Avro specification defines it:
 * what single-object encoding puts after C3 01.
 * @returns {bigint}
 */
export function fingerprint(type) {
  let fp = EMPTY;
  // avsc writes schema() without options in Parsing Canonical Form (its own MD5 fingerprint hashes the same string).
  for (const byte of Buffer.from(JSON.stringify(type.schema()), 'utf8')) {
    fp = (fp >> 8n) ^ TABLE[Number((fp ^ BigInt(byte)) & 0xffn)];
  }
  return fp;
}

const EMPTY = 0xc15d213aa4d7a795n;
const TABLE = Array.from({ length: 256 }, (_, i) => {
  let fp = BigInt(i);
  for (let j = 0; j < 8; j++) {
    fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n));
  }
  return fp & 0xffffffffffffffffn;
});

/**
 * A decoder of one message type: reads each message with the writer schema its fingerprint names (the current
 * version or an older one), resolved to the reader's (current) schema, as Avro's schema evolution rules allow.
 * @param {avro.Type} reader the type the application reads, normally the current .avsc
 * @param {avro.Type[]} [olderWriters] released versions other writers may still use
 */
export function singleObjectDecoder(reader, olderWriters = []) {
  const resolvers = new Map([[fingerprint(reader), null]]);
  for (const writer of olderWriters) {
    const fp = fingerprint(writer);
    if (!resolvers.has(fp)) {
      resolvers.set(fp, reader.createResolver(writer));
    }
  }
  return (bytes) => {
    if (bytes.length < HEADER_BYTES || bytes[0] !== MARKER[0] || bytes[1] !== MARKER[1]) {
      throw new Error('not an Avro single-object encoded message (no C3 01 marker)');
    }
    const fp = bytes.readBigUInt64LE(2);
    if (!resolvers.has(fp)) {
      throw new Error(`unknown writer schema, fingerprint ${fp.toString(16).padStart(16, '0')}: update the .avsc files`);
    }
    return reader.fromBuffer(bytes.subarray(HEADER_BYTES), resolvers.get(fp) ?? undefined);
  };
}
