// The attendance door: an Express route that takes the door camera's photo, asks Rollcall who it is (recording
// attendance for the session, when one is set) and answers whether to open.
//
//   ROLLCALL_URL=http://localhost:8000 ROLLCALL_API_KEY=<an ordinary key> DOOR_SESSION_ID=42 node attendance-door.js
//   curl -X POST localhost:3000/door/scan -H 'Content-Type: image/jpeg' --data-binary @face.jpg
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import express from 'express';
import { RollcallClient, RollcallError } from '@rollcall/client';

// The service's own limit on one photo (MAX_IMAGE_BYTES' default); base64 in JSON is 4/3 of it.
const MAX_PHOTO = '10mb';
const MAX_JSON = '14mb';

/**
 * @param {object} door
 * @param {RollcallClient} door.rollcall a client with an ordinary key (the door needs no admin rights)
 * @param {number} [door.sessionId] the class session whose attendance the door records
 * @param {'student'|'teacher'} [door.personType] who may open it
 * @returns {import('express').Express}
 */
export function createDoor({ rollcall, sessionId, personType }) {
  const app = express();
  app.post('/door/scan',
    express.raw({ type: ['image/jpeg', 'image/png', 'image/webp'], limit: MAX_PHOTO }),
    express.json({ limit: MAX_JSON }),
    async (req, res) => {
      const image = Buffer.isBuffer(req.body) ? req.body : req.body?.image_base64;
      if (!image || image.length === 0) {
        res.status(400).json({ open: false, reason: 'NO_PHOTO', message: 'send the photo as image/jpeg, image/png or image/webp, or JSON {image_base64}' });
        return;
      }
      try {
        const { match, attendance } = await rollcall.recognize({ image, personType, sessionId, sourceImageName: 'door' });
        if (match === null) {
          res.json({ open: false, reason: 'UNKNOWN_FACE' });
          return;
        }
        res.json({
          open: true,
          person: { type: match.person_type, code: match.person_code, name: match.person_name },
          attendance: attendance ?? null,
        });
      } catch (e) {
        const { status, body } = refusal(e);
        res.status(status).json(body);
      }
    });
  // body-parser's refusals (a photo over the limit, malformed JSON) as the door's JSON, not Express's HTML page.
  app.use((err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    res.status(err.status ?? 500).json({ open: false, reason: err.type ?? 'ERROR', message: err.expose ? err.message : 'door error' });
  });
  return app;
}

/** What the door answers for a failed recognition: the photo's fault (422), or try again (503), or ours (502). */
function refusal(e) {
  if (!(e instanceof RollcallError)) {
    throw e;
  }
  const body = { open: false, reason: e.code, message: e.message, request_id: e.requestId };
  if (e.status === 400 || e.status === 413 || e.status === 422) {
    return { status: 422, body };
  }
  if (e.status === 0 || e.status === 429 || e.status === 503 || e.status === 504) {
    return { status: 503, body };
  }
  return { status: 502, body };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rollcall = new RollcallClient({ baseUrl: process.env.ROLLCALL_URL ?? 'http://localhost:8000', apiKey: process.env.ROLLCALL_API_KEY, timeoutMs: 10_000 });
  const sessionId = process.env.DOOR_SESSION_ID ? Number(process.env.DOOR_SESSION_ID) : undefined;
  const port = Number(process.env.DOOR_PORT ?? 3000);
  createDoor({ rollcall, sessionId, personType: 'student' }).listen(port, () => console.log(`the door listens on port ${port}`));
}
