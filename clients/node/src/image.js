import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { argumentError } from './errors.js';

// The service reads plain base64 or a data URL; both are sent as they are, so the service's own checks decide.
const DATA_URL = /^data:[^,]*;base64,/i;
const BASE64 = /^[A-Za-z0-9+/=\r\n]+$/;
// A base64 JPEG starts with "/9j/", so a leading slash alone does not make a path: a path is an existing file, or a
// string base64 cannot be (a dot, a backslash, a space...).

/**
 * The image_base64 field for an image given as a Buffer or Uint8Array, a file path or file: URL, plain base64 or a
 * data URL.
 * @param {Buffer|Uint8Array|string|URL} image
 * @param {string} field the argument's name, for the error message
 * @returns {Promise<string>}
 */
export async function imageBase64(image, field = 'image') {
  if (image instanceof Uint8Array) {
    return Buffer.from(image.buffer, image.byteOffset, image.byteLength).toString('base64');
  }
  if (image instanceof URL) {
    return (await readImageFile(fileURLToPath(image), field)).toString('base64');
  }
  if (typeof image !== 'string' || image.length === 0) {
    throw argumentError(`${field} is required: a Buffer, a file path, base64 or a data URL`);
  }
  if (DATA_URL.test(image.slice(0, 100))) {
    return image;
  }
  const file = await readImageFile(image, field, BASE64.test(image));
  if (file !== null) {
    return file.toString('base64');
  }
  return image;
}

/** The file's bytes; null when it does not exist and the string may be base64 instead. */
async function readImageFile(path, field, mayBeBase64 = false) {
  if (mayBeBase64 && path.length > 4096) {
    return null; // far longer than any path: base64
  }
  try {
    return await readFile(path);
  } catch (e) {
    if (mayBeBase64 && (e.code === 'ENOENT' || e.code === 'ENAMETOOLONG' || e.code === 'ENOTDIR')) {
      return null;
    }
    throw argumentError(`${field}: cannot read the file '${path}' (${e.code ?? e.message})`);
  }
}
