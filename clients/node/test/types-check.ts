// Compiled by `tsc --noEmit` (npm test runs it), never run: the declarations in index.d.ts describe the client's
// real calls and answers, so a TypeScript caller's mistakes are found at compile time.
import { RollcallClient, RollcallError, type Recognized, type BulkImportStatus } from '../index.js';

async function door(): Promise<void> {
  const rollcall = new RollcallClient({ baseUrl: 'http://localhost:8000', apiKey: 'k', timeoutMs: 5000, retry: { retries: 2, maxDelayMs: 10_000 } });
  const seen: Recognized = await rollcall.recognize({ image: Buffer.from([]), personType: 'student', sessionId: 4 });
  const code: string | undefined = seen.match?.person_code;
  await rollcall.enroll({ personType: 'teacher', personCode: 'T1', personName: 'A', image: new URL('file:///a.jpg') });
  await rollcall.verify({ image1: 'a.jpg', image2: 'data:image/jpeg;base64,AAAA' });
  const listed = await rollcall.list({ personType: 'all', page: 1, pageSize: 50 });
  listed.faces.forEach((f) => f.samples.toFixed());
  await rollcall.deleteSample(listed.faces[0].id);
  await rollcall.batchEnroll({ enrollments: [{ personType: 'student', personCode: 'S1', personName: 'B', image: 'b.jpg' }] });
  const job: BulkImportStatus = await rollcall.bulkImport({ csvPath: 'x.csv', onProgress: (s) => s.done / s.total });
  job.failures.map((f) => f.line);
  try {
    await rollcall.qualityCheck({ image: 'c.jpg' });
  } catch (e) {
    if (e instanceof RollcallError && e.code === 'INVALID_IMAGE' && e.status === 400) {
      console.log(e.requestId, e.details.suggestion, code);
    }
  }
  // @ts-expect-error personType is student or teacher
  await rollcall.enroll({ personType: 'parent', personCode: 'P', personName: 'C', image: 'c.jpg' });
}
void door;
