// Rollcall admin page. Plain JavaScript against the documented HTTP API, no build step and no external files: the
// Content-Security-Policy of /admin allows scripts from this origin only. Every call goes through api() so that
// the key, the error envelope and the sign-in screen are handled in one place.
'use strict';

const KEY_STORAGE = 'rollcall.apiKey'; // sessionStorage: the key lives as long as this tab, never on disk
const PAGE_SIZE = 1000; // the list endpoint's largest page
const POLL_MS = 500; // bulk-import progress refresh

const $ = (id) => document.getElementById(id);
const state = { people: [], threshold: null, thumbs: new Map(), streams: {} };

/** A failed call: the API's error envelope, or a network failure in the same shape. */
class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error_code ? body.error_code : (status ? `HTTP_${status}` : 'NETWORK_ERROR');
    this.details = (body && body.details) || {};
    this.body = body;
  }
}

async function api(method, path, { json, form, raw } = {}) {
  const headers = {};
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) headers['X-API-Key'] = key;
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, { error_code: 'NETWORK_ERROR', message: 'The service cannot be reached: ' + e.message });
  }
  if (raw && response.ok) return response;
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
  if (!response.ok) {
    const error = new ApiError(response.status, parsed);
    if (response.status === 401) showSignIn(error);
    throw error;
  }
  return parsed;
}

// ---- messages ---------------------------------------------------------------------------------------------------

function say(text, kind = 'info') {
  const m = $('message');
  m.textContent = text;
  m.className = 'message ' + kind;
  m.hidden = !text;
}

function sayError(e) {
  const suggestion = e.details && e.details.suggestion ? ' ' + e.details.suggestion : '';
  say(`${e.code}: ${e.message}.${suggestion}`, 'error');
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : String(text);
  return td;
}

function button(label, className, onClick, ariaLabel) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (className) b.className = className;
  if (ariaLabel) b.setAttribute('aria-label', ariaLabel);
  b.addEventListener('click', onClick);
  return b;
}

function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString();
}

function confirmAction(text) {
  const dialog = $('confirm');
  $('confirm-text').textContent = text;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
    $('confirm-cancel').focus(); // the safe choice has the focus: Enter alone never deletes
  });
}

// ---- screens and sign-in ----------------------------------------------------------------------------------------

const loaders = {
  people: loadPeople, enroll: () => {}, recognize: loadThreshold, bulk: () => {}, sessions: loadSessions, status: loadStatus,
};

function show(screen) {
  document.querySelectorAll('.screen').forEach((s) => { s.hidden = s.id !== 'screen-' + screen; });
  document.querySelectorAll('#nav button[data-screen]').forEach((b) => {
    if (b.dataset.screen === screen) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
  });
  if (screen !== 'sign-in') {
    $('nav').hidden = false;
    if (location.hash !== '#' + screen) history.replaceState(null, '', '#' + screen);
  }
  stopCameras();
  const load = loaders[screen];
  if (load) load();
}

/** @param error the 401 that sent the user here (its message says whether the key was missing or wrong) */
function showSignIn(error) {
  $('nav').hidden = true;
  stopCameras();
  document.querySelectorAll('.screen').forEach((s) => { s.hidden = s.id !== 'screen-sign-in'; });
  if (error) sayError(error);
  $('api-key').focus();
}

async function start() {
  document.querySelectorAll('#nav button[data-screen]').forEach((b) => b.addEventListener('click', () => { say(''); show(b.dataset.screen); }));
  $('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(KEY_STORAGE);
    state.thumbs.forEach((url) => URL.revokeObjectURL(url));
    state.thumbs.clear();
    say('Signed out.');
    showSignIn();
  });
  $('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY_STORAGE, $('api-key').value.trim());
    $('api-key').value = '';
    try {
      await api('GET', '/api/face/list/all?page=1&page_size=1');
      say('Signed in.', 'ok');
      show('people');
    } catch (e) {
      sessionStorage.removeItem(KEY_STORAGE);
      if (e.status !== 401) sayError(e);
    }
  });
  wirePeople();
  wireCameraButtons();
  wireEnroll();
  wireRecognize();
  wireBulk();
  wireSessions();
  $('status-refresh').addEventListener('click', loadStatus);
  // Open the screen in the address (a bookmark), after checking that the API answers this tab (key or loopback).
  try {
    await api('GET', '/api/face/list/all?page=1&page_size=1');
    const wanted = location.hash.slice(1);
    show(loaders[wanted] ? wanted : 'people');
  } catch (e) {
    if (e.status !== 401) { sayError(e); show('status'); }
  }
}

// ---- people -----------------------------------------------------------------------------------------------------

function wirePeople() {
  $('people-filter').addEventListener('submit', (e) => e.preventDefault());
  $('people-search').addEventListener('input', renderPeople);
  $('people-search').addEventListener('search', renderPeople); // the field's clear button
  $('people-type').addEventListener('change', loadPeople);
  $('people-refresh').addEventListener('click', loadPeople);
}

/** Every sample of the chosen type, page by page, grouped into people (a person's samples in enrollment order). */
async function loadPeople() {
  const type = $('people-type').value;
  const samples = [];
  try {
    for (let page = 1; ; page++) {
      const r = await api('GET', `/api/face/list/${type}?per_sample=true&page=${page}&page_size=${PAGE_SIZE}`);
      samples.push(...r.faces);
      if (r.faces.length < PAGE_SIZE || samples.length >= r.total_count) break;
    }
  } catch (e) {
    if (e.status !== 401) sayError(e);
    return;
  }
  const byPerson = new Map();
  for (const s of samples) {
    const key = s.person_type + '\u0000' + s.person_code;
    if (!byPerson.has(key)) {
      byPerson.set(key, { type: s.person_type, code: s.person_code, name: s.person_name, enrolled: s.enrollment_date, samples: [] });
    }
    byPerson.get(key).samples.push(s);
  }
  state.people = [...byPerson.values()];
  renderPeople();
}

function renderPeople() {
  const query = $('people-search').value.trim().toLocaleLowerCase();
  const shown = state.people.filter((p) => !query
    || p.code.toLocaleLowerCase().includes(query) || (p.name || '').toLocaleLowerCase().includes(query));
  const body = $('people-table').querySelector('tbody');
  body.replaceChildren();
  for (const p of shown) {
    const tr = document.createElement('tr');
    tr.dataset.code = p.code;
    tr.dataset.type = p.type;
    const photos = document.createElement('td');
    const thumbs = document.createElement('div');
    thumbs.className = 'thumbs';
    for (const s of p.samples) thumbs.append(thumbnail(p, s));
    photos.append(thumbs);
    tr.append(photos, cell(p.code), cell(p.name), cell(p.type), cell(p.samples.length), cell(formatTime(p.enrolled)));
    const actions = document.createElement('td');
    actions.append(button('Delete', 'danger delete-person', () => deletePerson(p), `Delete ${p.name || p.code} and every photo`));
    tr.append(actions);
    body.append(tr);
  }
  $('people-count').textContent = `${shown.length} of ${state.people.length} people`;
}

function thumbnail(person, sample) {
  const box = document.createElement('div');
  box.className = 'thumb';
  const label = `photo ${sample.id} of ${person.name || person.code}`;
  if (sample.has_image) {
    const img = document.createElement('img');
    img.alt = label;
    img.dataset.sample = sample.id;
    box.append(img);
    loadThumbnail(img, sample.id);
  } else {
    const none = document.createElement('span');
    none.className = 'no-photo';
    none.title = 'No photo kept for this sample';
    none.setAttribute('role', 'img');
    none.setAttribute('aria-label', `sample ${sample.id}: no photo kept`);
    box.append(none);
  }
  if (person.samples.length > 1) {
    box.append(button('×', 'delete-sample', () => deleteSample(person, sample), `Delete ${label}`));
  }
  return box;
}

/** Photos need the key, which an img element cannot send: fetched here and shown from a blob URL. */
async function loadThumbnail(img, id) {
  try {
    if (!state.thumbs.has(id)) {
      const response = await api('GET', `/api/admin/face/sample/${id}/image`, { raw: true });
      state.thumbs.set(id, URL.createObjectURL(await response.blob()));
    }
    img.src = state.thumbs.get(id);
  } catch (e) {
    img.alt = e.status === 403 ? 'Photos need an admin key' : 'Photo not available';
    img.title = img.alt;
  }
}

async function deletePerson(p) {
  if (!await confirmAction(`Delete ${p.name || p.code} (${p.type} ${p.code}) and all ${p.samples.length} photo(s)? This cannot be undone.`)) return;
  try {
    const r = await api('DELETE', '/api/face/delete', { json: { person_type: p.type, person_code: p.code } });
    say(`Deleted ${p.code}: ${r.deleted_samples} sample(s).`, 'ok');
    await loadPeople();
  } catch (e) {
    if (e.status !== 401) sayError(e);
  }
}

async function deleteSample(p, s) {
  if (!await confirmAction(`Delete photo ${s.id} of ${p.name || p.code}? Their other photos stay.`)) return;
  try {
    await api('DELETE', `/api/face/sample/${s.id}`);
    say(`Deleted photo ${s.id} of ${p.code}.`, 'ok');
    await loadPeople();
  } catch (e) {
    if (e.status !== 401) sayError(e);
  }
}

// ---- photos: file or camera -------------------------------------------------------------------------------------

function readFile(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

async function startCamera(target) {
  const video = $(target + '-video');
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    say('This browser offers no camera here (a camera needs https or localhost).', 'error');
    return;
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' }, audio: false });
    state.streams[target] = stream;
    video.srcObject = stream;
    $(target + '-camera').hidden = false;
    $(target + '-capture').focus();
  } catch (e) {
    say('The camera could not be opened: ' + e.message, 'error');
  }
}

function capture(target) {
  const video = $(target + '-video');
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d').drawImage(video, 0, 0);
  return canvas.toDataURL('image/jpeg', 0.92);
}

function stopCameras() {
  for (const [target, stream] of Object.entries(state.streams)) {
    stream.getTracks().forEach((t) => t.stop());
    $(target + '-camera').hidden = true;
  }
  state.streams = {};
}

function wireCameraButtons() {
  document.querySelectorAll('.camera-start').forEach((b) => b.addEventListener('click', () => startCamera(b.dataset.target)));
}

// ---- enroll -----------------------------------------------------------------------------------------------------

let enrollPhoto = null; // { dataUrl, name }

function wireEnroll() {
  $('enroll-file').addEventListener('change', async () => {
    const file = $('enroll-file').files[0];
    if (file) await checkEnrollPhoto(await readFile(file), file.name);
  });
  $('enroll-capture').addEventListener('click', () => checkEnrollPhoto(capture('enroll'), 'camera.jpg'));
  $('enroll-form').addEventListener('submit', submitEnroll);
}

/** The quality check's verdict comes before the enrollment, so staff retake a poor photo while the pupil is there. */
async function checkEnrollPhoto(dataUrl, name) {
  enrollPhoto = { dataUrl, name };
  $('enroll-preview').src = dataUrl;
  $('enroll-preview').hidden = false;
  $('enroll-submit').disabled = true;
  const out = $('enroll-quality');
  out.textContent = 'Checking the photo…';
  try {
    const q = (await api('POST', '/api/face/quality-check', { json: { image_base64: dataUrl } })).quality;
    const good = q.recommendation === 'suitable_for_enrollment';
    out.replaceChildren();
    const verdict = document.createElement('p');
    verdict.className = 'verdict ' + (good ? 'good' : 'bad');
    verdict.id = 'enroll-verdict';
    verdict.dataset.recommendation = q.recommendation;
    verdict.textContent = (good ? 'Suitable for enrollment' : 'Not suitable: ' + q.recommendation.replaceAll('_', ' '))
      + ` (quality ${Number(q.score).toFixed(2)})`;
    const facts = document.createElement('dl');
    facts.className = 'summary';
    const add = (k, v) => { const dt = document.createElement('dt'); dt.textContent = k; const dd = document.createElement('dd'); dd.textContent = v; facts.append(dt, dd); };
    // The service's verdicts in words (adequate, too_dark, blurry, ...), each with the measurement behind it.
    const measured = (verdict, value, unit) => verdict.replaceAll('_', ' ') + (value == null ? '' : ` (${Math.round(value)}${unit})`);
    add('Faces found', q.face_count);
    if (q.face_size != null) add('Face size', measured(q.face_size, q.face_width_px, ' px wide'));
    if (q.brightness != null) add('Brightness', measured(q.brightness, q.mean_luminance, ' of 255'));
    if (q.blur_level != null) add('Sharpness', measured(q.blur_level, q.sharpness, ''));
    if (q.pose) add('Pose', `yaw ${Math.round(q.pose.yaw)}°, pitch ${Math.round(q.pose.pitch)}°, roll ${Math.round(q.pose.roll)}°`);
    out.append(verdict, facts);
    // A poor photo can still be sent: the service refuses it with LOW_QUALITY_IMAGE when the check is enforced.
    $('enroll-submit').disabled = false;
  } catch (e) {
    out.textContent = '';
    if (e.status !== 401) sayError(e);
  }
}

async function submitEnroll(event) {
  event.preventDefault();
  if (!enrollPhoto) { say('Choose a photo or take one first.', 'error'); return; }
  const body = {
    person_type: $('enroll-type').value,
    person_code: $('enroll-code').value.trim(),
    person_name: $('enroll-name').value.trim() || undefined,
    image_base64: enrollPhoto.dataUrl,
    original_name: enrollPhoto.name,
    allow_duplicate: $('enroll-allow-duplicate').checked,
  };
  $('enroll-submit').disabled = true;
  try {
    const r = await api('POST', '/api/face/enroll', { json: body });
    say(`${r.message}: ${body.person_type} ${r.person_code} now has ${r.samples} photo(s).`, 'ok');
    $('enroll-form').reset();
    $('enroll-preview').hidden = true;
    $('enroll-quality').textContent = '';
    enrollPhoto = null;
  } catch (e) {
    $('enroll-submit').disabled = false;
    if (e.status !== 401) sayError(e);
  }
}

// ---- recognise --------------------------------------------------------------------------------------------------

async function loadThreshold() {
  try {
    const h = await api('GET', '/api/health');
    state.threshold = h.similarity_threshold;
  } catch (e) {
    state.threshold = null;
  }
}

function wireRecognize() {
  $('recognize-form').addEventListener('submit', (e) => e.preventDefault());
  $('recognize-file').addEventListener('change', async () => {
    const file = $('recognize-file').files[0];
    if (file) await recognize(await readFile(file), file.name);
  });
  $('recognize-capture').addEventListener('click', () => recognize(capture('recognize'), 'camera.jpg'));
}

/** recognize-group rather than recognize: it answers every face with its box, so the page can draw them. */
async function recognize(dataUrl, name) {
  const out = $('recognize-result');
  out.textContent = 'Recognising…';
  const image = new Image();
  image.src = dataUrl;
  await image.decode();
  const canvas = $('recognize-canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const g = canvas.getContext('2d');
  g.drawImage(image, 0, 0);
  let r;
  try {
    const body = { image_base64: dataUrl, source_image_name: name };
    if ($('recognize-type').value) body.person_type = $('recognize-type').value;
    [r] = await Promise.all([api('POST', '/api/face/recognize-group', { json: body }), loadThreshold()]);
  } catch (e) {
    out.textContent = '';
    if (e.status !== 401) sayError(e);
    return;
  }
  out.replaceChildren();
  const lineWidth = Math.max(2, Math.round(canvas.width / 200));
  r.faces.forEach((f, i) => {
    const [x1, y1, x2, y2] = f.bbox.map(Math.round); // whole pixels: a crisp line, not a blurred one
    g.lineWidth = lineWidth;
    g.strokeStyle = f.match ? '#1e7b34' : '#9a6200';
    g.strokeRect(x1, y1, x2 - x1, y2 - y1);
    const p = document.createElement('p');
    p.className = 'match ' + (f.match ? 'known' : 'unknown');
    p.dataset.code = f.match ? f.match.person_code : '';
    p.dataset.box = JSON.stringify([x1, y1, x2, y2]);
    const threshold = state.threshold == null ? '' : ` against the threshold ${state.threshold.toFixed(3)}`;
    p.textContent = f.match
      ? `Face ${i + 1}: ${f.match.person_name || f.match.person_code} (${f.match.person_type} ${f.match.person_code}),`
        + ` similarity ${f.match.similarity_score.toFixed(3)}${threshold}, confidence ${f.match.confidence.toFixed(2)}`
      : `Face ${i + 1}: unknown, no enrolled face reaches the threshold${threshold}`;
    out.append(p);
  });
  if (r.faces.length === 0) out.textContent = 'No face found in this photo.';
  const time = document.createElement('p');
  time.className = 'muted';
  time.textContent = `${r.face_count} face(s), ${r.recognized_count} recognised, ${r.processing_time_ms} ms`;
  out.append(time);
}

// ---- bulk import ------------------------------------------------------------------------------------------------

function wireBulk() {
  $('bulk-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = $('bulk-file').files[0];
    if (!file) return;
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('source_name', file.name);
    form.append('allow_duplicate', $('bulk-allow-duplicate').checked ? 'true' : 'false');
    try {
      const accepted = await api('POST', '/api/face/bulk-import', { form });
      say(accepted.message, 'ok');
      $('bulk-job').hidden = false;
      await followJob(accepted.job_id);
    } catch (e) {
      if (e.status === 401) return;
      sayError(e);
      // A refused CSV names every invalid row (nothing was queued): shown in the same table, the field in the message.
      const rows = (e.details.errors || []).map((x) => ({ line: x.line, person_code: '', error_code: e.code, message: `${x.field}: ${x.message}` }));
      if (rows.length) { $('bulk-job').hidden = false; renderFailures(rows); }
    }
  });
}

async function followJob(jobId) {
  for (;;) {
    const job = await api('GET', `/api/face/bulk-import/${encodeURIComponent(jobId)}`);
    const progress = $('bulk-progress');
    progress.max = Math.max(job.total, 1);
    progress.value = job.done;
    $('bulk-summary').textContent = `${job.status}: ${job.done} of ${job.total} rows done, ${job.successful} enrolled, ${job.failed} failed`;
    $('bulk-summary').dataset.status = job.status;
    renderFailures(job.failures || []);
    if (job.status === 'aborted') {
      const why = job.last_error ? `: ${job.last_error.message || job.last_error.error_code}` : '';
      say(`Import aborted${why}`, 'error');
      return;
    }
    if (job.status === 'completed') {
      // last_error is only the latest failed row; every failed row is in the table.
      say(`Import completed: ${job.successful} enrolled, ${job.failed} failed${job.failed ? ' (listed below)' : ''}.`,
        job.failed ? 'info' : 'ok');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function renderFailures(rows) {
  const body = $('bulk-failures').querySelector('tbody');
  body.replaceChildren(...rows.map((f) => {
    const tr = document.createElement('tr');
    tr.append(cell(f.line), cell(f.person_code), cell(f.error_code), cell(f.message));
    return tr;
  }));
}

// ---- sessions ---------------------------------------------------------------------------------------------------

function wireSessions() {
  $('sessions-filter').addEventListener('submit', (e) => { e.preventDefault(); loadSessions(); });
}

async function loadSessions() {
  const day = $('sessions-date').value; // empty: today in the school's calendar (SCHOOL_TIMEZONE)
  try {
    const r = await api('GET', '/api/sessions' + (day ? `?date=${encodeURIComponent(day)}` : ''));
    $('sessions-date').value = r.date;
    const body = $('sessions-table').querySelector('tbody');
    body.replaceChildren(...r.sessions.map((s) => {
      const tr = document.createElement('tr');
      tr.dataset.session = s.session_id;
      const open = document.createElement('td');
      open.append(button('Attendance', 'secondary', () => loadAttendance(s, tr), `Attendance of session ${s.session_id}`));
      tr.append(cell(s.session_id), cell(formatTime(s.start_time)), cell(s.attendance_count), open);
      return tr;
    }));
    if (r.sessions.length === 0) say(`No sessions on ${r.date}.`);
    if (r.truncated) say(`Only the first ${r.sessions.length} sessions of ${r.date} are shown.`);
  } catch (e) {
    if (e.status !== 401) sayError(e);
  }
}

async function loadAttendance(session, row) {
  document.querySelectorAll('#sessions-table tr.selected').forEach((r) => r.classList.remove('selected'));
  row.classList.add('selected');
  try {
    const r = await api('GET', `/api/sessions/${session.session_id}/attendance`);
    $('attendance-title').textContent = `Attendance of session ${session.session_id}`
      + (r.truncated ? ` (the first ${r.records.length} records)` : '');
    const body = $('attendance-table').querySelector('tbody');
    body.replaceChildren(...r.records.map((a) => {
      const tr = document.createElement('tr');
      tr.append(cell(a.student_code), cell(a.student_name), cell(a.status), cell(formatTime(a.recorded_at)));
      return tr;
    }));
  } catch (e) {
    if (e.status !== 401) sayError(e);
  }
}

// ---- status -----------------------------------------------------------------------------------------------------

async function loadStatus() {
  const started = performance.now();
  let h;
  try {
    h = await api('GET', '/api/health');
  } catch (e) {
    if (e.status === 503 && e.body && e.body.status) {
      h = e.body; // unhealthy or degraded: health still says what is wrong, and which workers report
      say(`The service is ${h.status}: ${h.message}`, 'error');
    } else {
      if (e.status !== 401) sayError(e);
      return;
    }
  }
  const roundTrip = Math.round(performance.now() - started);
  const summary = $('status-summary');
  summary.replaceChildren();
  const add = (k, v) => { const dt = document.createElement('dt'); dt.textContent = k; const dd = document.createElement('dd'); dd.textContent = v == null ? '—' : String(v); summary.append(dt, dd); };
  add('Status', `${h.status}: ${h.message}`);
  add('Model pack', h.model_pack == null ? null : `${h.model_pack} (${h.model_loaded ? 'loaded' : 'not loaded'})`);
  add('Gallery', `${h.enrolled_faces} face sample(s)`);
  add('Threshold', h.similarity_threshold == null ? null : `${h.similarity_threshold.toFixed(3)} (${h.decision})`);
  add('Database', h.database ? 'reachable' : 'down');
  add('Kafka', h.kafka ? 'reachable' : 'down');
  add('Latency', `${roundTrip} ms for this health check through a worker`);
  add('Answered by', h.worker);
  add('Worker memory', h.resident_memory_mb == null ? null : `${h.resident_memory_mb} MiB`);
  summary.dataset.status = h.status;
  const body = $('status-workers').querySelector('tbody');
  body.replaceChildren(...(h.workers || []).map((w) => {
    const tr = document.createElement('tr');
    tr.append(cell(w.worker_id), cell(formatTime(w.last_seen)), cell(w.model_pack), cell(w.model_loaded ? 'loaded' : 'not loaded'),
      cell(w.database ? 'reachable' : 'down'), cell(w.enrolled_faces), cell(w.gallery_version));
    return tr;
  }));
}

document.addEventListener('DOMContentLoaded', start);
