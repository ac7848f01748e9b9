#!/usr/bin/env node
// Rollcall face-pipeline reference implementation (Node.js).
//
// Independent of the Java worker: it decodes photos with sharp (libvips + mozjpeg/libjpeg-turbo, libpng),
// resamples with OpenCV.js (the same C++ resize/warpAffine code as cv2), runs the models with onnxruntime-node,
// and writes pinned reference values (boxes, keypoints, embeddings) as JSON for the Java tests.
//
// Pipeline (mirrors InsightFace python-package: model_zoo/scrfd.py, utils/face_align.py, model_zoo/arcface_onnx.py):
//   decode -> 8-bit RGB (grey replicated, alpha dropped, EXIF orientation applied, embedded ICC profile ignored)
//   for S in det_sizes: letterbox top-left into SxS (INTER_LINEAR resize), blob (x-127.5)/128 RGB NCHW, SCRFD decode
//   concatenate candidates of all sizes -> one InsightFace NMS -> sort by area desc
//   5-point Umeyama similarity -> warpAffine 112x112 -> recognizer (x-127)/128 RGB NCHW -> L2 normalise
//
// Usage: node reference.mjs --models DIR --faces DIR --out FILE [--images a.jpg,b.png] [--threads N] [--quiet] [--diagnose] [--perturb N]

import fs from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import cvModule from '@techstark/opencv-js';

// ---------------------------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------------------------

const DETECTOR = 'buffalo_sc/det_500m.onnx';
const RECOGNIZER = 'faceplugin/fr_feature.onnx';
const DET_SIZES = [128, 640];
const DET_THRESHOLD = 0.7;
const NMS_THRESHOLD = 0.4;
const STRIDES = [8, 16, 32];
const NUM_ANCHORS = 2;
// Candidates scoring within this margin below the threshold are kept aside for the --diagnose report only.
const NEAR_MARGIN = 0.05;
const DET_MEAN = 127.5;
const DET_STD = 128.0;
const REC_MEAN = 127.0;
const REC_STD = 128.0;
const REC_SIZE = 112;

// ArcFace 112x112 five-point template (left eye, right eye, nose tip, left mouth corner, right mouth corner).
export const ARCFACE_TEMPLATE = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

// The dev-pack selection (paths relative to --faces). See README.md for why each is here.
const DEFAULT_IMAGES = [
  'angelina_jolie/01.jpg', // large colour, 1382x1868 (portrait -> height-limited letterbox)
  'angelina_jolie/02.jpg', // colour, progressive JPEG, landscape
  'katy_perry/01.jpg', // large colour 1366x2048
  'kit_harington/01.jpg', // wide colour 1200x599, embedded ICC profile
  'george_w_bush/01.jpg', // small LFW crop 250x250, colour
  'scarlett_johansson/01.jpg', // colour
  'tom_hanks/01.jpg', // grayscale JPEG (1 component) 350x350
  'serena_williams/01.jpg', // grayscale
  'vladimir_putin/01.jpg', // grayscale
  'alex_lacamoire/01.png', // PNG, RGBA (alpha dropped), embedded ICC profile
  '_group/01.jpg', // 2 faces expected (groups.csv)
  '_group/03.jpg', // 2 faces expected
  '_group/05.jpg', // 5 faces expected
  '_noface/03.jpg', // mandrill
  '_noface/08.png', // blank white
];

// Sanity pairs (largest face of each image); computed on demand, not written to the JSON.
const SAME_PAIRS = [
  ['angelina_jolie/01.jpg', 'angelina_jolie/02.jpg'],
  ['angelina_jolie/01.jpg', 'angelina_jolie/04.jpg'],
  ['george_w_bush/01.jpg', 'george_w_bush/02.jpg'],
  ['tom_hanks/01.jpg', 'tom_hanks/02.jpg'],
  ['serena_williams/01.jpg', 'serena_williams/02.jpg'],
];
const DIFF_PAIRS = [
  ['angelina_jolie/01.jpg', 'katy_perry/01.jpg'],
  ['angelina_jolie/01.jpg', 'scarlett_johansson/01.jpg'],
  ['george_w_bush/01.jpg', 'vladimir_putin/01.jpg'],
  ['tom_hanks/01.jpg', 'serena_williams/01.jpg'],
  ['kit_harington/01.jpg', 'george_w_bush/01.jpg'],
];
const DEBUG_IMAGE = 'angelina_jolie/01.jpg';

// ---------------------------------------------------------------------------------------------------------------
// OpenCV.js bootstrap
// ---------------------------------------------------------------------------------------------------------------

// The emscripten module object is itself a thenable, so it must never be returned from an async function or passed
// to resolve() directly (promise adoption would call its then() and never settle). Wrap it in a plain object.
async function loadOpenCv() {
  if (cvModule instanceof Promise) return { cv: await cvModule };
  if (!cvModule.Mat) {
    await new Promise((resolve) => {
      cvModule.onRuntimeInitialized = () => resolve();
    });
  }
  return { cv: cvModule };
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------------------------

/**
 * Decode an image file to an 8-bit interleaved RGB buffer.
 * - EXIF orientation applied (like cv2.imread's default).
 * - Embedded ICC profile ignored (cv2.imread ignores it too; sharp would otherwise convert to sRGB).
 * - Alpha dropped (not composited), grey replicated to 3 channels.
 */
export async function decodeRgb(file) {
  const { data, info } = await sharp(file, { ignoreIcc: true, autoOrient: true, failOn: 'error' })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  const out = Buffer.alloc(width * height * 3);
  const n = width * height;
  if (channels === 1 || channels === 2) {
    for (let i = 0; i < n; i++) {
      const g = data[i * channels];
      out[i * 3] = g;
      out[i * 3 + 1] = g;
      out[i * 3 + 2] = g;
    }
  } else if (channels === 3 || channels === 4) {
    for (let i = 0; i < n; i++) {
      out[i * 3] = data[i * channels];
      out[i * 3 + 1] = data[i * channels + 1];
      out[i * 3 + 2] = data[i * channels + 2];
    }
  } else {
    throw new Error(`${file}: unsupported channel count ${channels}`);
  }
  return { width, height, rgb: out };
}

/**
 * Robustness probe (--perturb N): add deterministic pseudo-random integer noise in [-N, N] to every byte, clamped
 * to 0..255. A decoder that differs from libjpeg-turbo by a level or two behaves roughly like N = 1 or 2.
 */
function addNoise(buf, amplitude) {
  let state = 0x2545f491;
  for (let i = 0; i < buf.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const delta = (state >>> 16) % (2 * amplitude + 1) - amplitude;
    buf[i] = Math.min(255, Math.max(0, buf[i] + delta));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Detection (SCRFD)
// ---------------------------------------------------------------------------------------------------------------

function rgbToMat(cv, img) {
  const mat = new cv.Mat(img.height, img.width, cv.CV_8UC3);
  mat.data.set(img.rgb);
  return mat;
}

/** Letterbox geometry exactly as scrfd.py detect(): returns new_w, new_h, det_scale. */
export function letterboxGeometry(width, height, size) {
  const imRatio = height / width;
  const modelRatio = 1.0; // square input
  let newW;
  let newH;
  if (imRatio > modelRatio) {
    newH = size;
    newW = Math.trunc(newH / imRatio);
  } else {
    newW = size;
    newH = Math.trunc(newW * imRatio);
  }
  return { newW, newH, detScale: newH / height };
}

/** Build the SxS detector blob (NCHW float32, RGB, (x-127.5)/128) with the image resized into the top-left corner. */
function detectorBlob(cv, srcMat, width, height, size) {
  const { newW, newH, detScale } = letterboxGeometry(width, height, size);
  const resized = new cv.Mat();
  cv.resize(srcMat, resized, new cv.Size(newW, newH), 0, 0, cv.INTER_LINEAR);
  const plane = size * size;
  const blob = new Float32Array(3 * plane);
  // Canvas is zero (black): normalised value of a 0 pixel.
  blob.fill((0 - DET_MEAN) / DET_STD);
  const px = resized.data;
  for (let y = 0; y < newH; y++) {
    for (let x = 0; x < newW; x++) {
      const s = (y * newW + x) * 3;
      const d = y * size + x;
      blob[d] = (px[s] - DET_MEAN) / DET_STD; // R
      blob[plane + d] = (px[s + 1] - DET_MEAN) / DET_STD; // G
      blob[2 * plane + d] = (px[s + 2] - DET_MEAN) / DET_STD; // B
    }
  }
  resized.delete();
  return { blob, newW, newH, detScale };
}

/** Run SCRFD at one input size; return candidates in original-image pixels. */
async function detectAtSize(cv, session, srcMat, width, height, size, trace) {
  const { blob, newW, newH, detScale } = detectorBlob(cv, srcMat, width, height, size);
  if (trace) trace.blob = { size, newW, newH, detScale, data: blob };
  const inputName = session.inputNames[0];
  const feeds = { [inputName]: new ort.Tensor('float32', blob, [1, 3, size, size]) };
  const results = await session.run(feeds);
  const names = session.outputNames; // declared order, NOT sorted
  if (names.length !== 9) throw new Error(`expected 9 detector outputs, got ${names.length}`);
  const candidates = [];
  for (let si = 0; si < STRIDES.length; si++) {
    const stride = STRIDES[si];
    const scores = results[names[si]].data;
    const boxes = results[names[si + 3]].data;
    const kpss = results[names[si + 6]].data;
    const H = Math.floor(size / stride);
    const W = Math.floor(size / stride);
    const n = H * W * NUM_ANCHORS;
    if (scores.length !== n || boxes.length !== 4 * n || kpss.length !== 10 * n) {
      throw new Error(`stride ${stride}: unexpected output sizes ${scores.length}/${boxes.length}/${kpss.length} for ${n} anchors`);
    }
    for (let i = 0; i < n; i++) {
      const score = scores[i];
      if (!(score >= DET_THRESHOLD - NEAR_MARGIN)) continue;
      const cell = Math.floor(i / NUM_ANCHORS);
      const row = Math.floor(cell / W);
      const col = cell % W;
      const cx = col * stride;
      const cy = row * stride;
      const b = i * 4;
      const bbox = [
        (cx - boxes[b] * stride) / detScale,
        (cy - boxes[b + 1] * stride) / detScale,
        (cx + boxes[b + 2] * stride) / detScale,
        (cy + boxes[b + 3] * stride) / detScale,
      ];
      const k = i * 10;
      const kps = [];
      for (let p = 0; p < 5; p++) {
        kps.push([(cx + kpss[k + 2 * p] * stride) / detScale, (cy + kpss[k + 2 * p + 1] * stride) / detScale]);
      }
      candidates.push({ score, bbox, kps, size, stride });
    }
  }
  return candidates;
}

/** InsightFace NMS (+1 pixel convention); input sorted by score descending. Drops ovr > thresh. */
export function nms(dets, thresh) {
  const area = (b) => (b[2] - b[0] + 1) * (b[3] - b[1] + 1);
  let order = dets.map((_, i) => i);
  const keep = [];
  while (order.length > 0) {
    const i = order[0];
    keep.push(dets[i]);
    const bi = dets[i].bbox;
    const ai = area(bi);
    const rest = [];
    for (let t = 1; t < order.length; t++) {
      const j = order[t];
      const bj = dets[j].bbox;
      const w = Math.max(0, Math.min(bi[2], bj[2]) - Math.max(bi[0], bj[0]) + 1);
      const h = Math.max(0, Math.min(bi[3], bj[3]) - Math.max(bi[1], bj[1]) + 1);
      const inter = w * h;
      const ovr = inter / (ai + area(bj) - inter);
      if (ovr <= thresh) rest.push(j);
    }
    order = rest;
  }
  return keep;
}

async function detect(cv, session, srcMat, width, height, trace, diag) {
  let all = [];
  for (const size of DET_SIZES) {
    const t = trace && size === 640 ? trace : null;
    all = all.concat(await detectAtSize(cv, session, srcMat, width, height, size, t));
  }
  const near = all.filter((d) => !(d.score >= DET_THRESHOLD));
  all = all.filter((d) => d.score >= DET_THRESHOLD);
  // Stable sort by score descending (ties keep size/stride/anchor order).
  all = all.map((d, idx) => ({ d, idx })).sort((a, b) => b.d.score - a.d.score || a.idx - b.idx).map((e) => e.d);
  const kept = nms(all, NMS_THRESHOLD);
  if (diag) diagnose(diag, all, near, kept);
  const area = (b) => (b[2] - b[0]) * (b[3] - b[1]);
  return kept
    .map((d, idx) => ({ d, idx }))
    .sort((a, b) => area(b.d.bbox) - area(a.d.bbox) || a.idx - b.idx)
    .map((e) => e.d);
}

function overlap(bi, bj) {
  const area = (b) => (b[2] - b[0] + 1) * (b[3] - b[1] + 1);
  const w = Math.max(0, Math.min(bi[2], bj[2]) - Math.max(bi[0], bj[0]) + 1);
  const h = Math.max(0, Math.min(bi[3], bj[3]) - Math.max(bi[1], bj[1]) + 1);
  const inter = w * h;
  return inter / (area(bi) + area(bj) - inter);
}

/**
 * How fragile is this result against small numeric differences (decoder, resampling, ORT build)?
 * - bestBelow: highest score under the threshold (a face that could appear);
 * - per kept face: the strongest competing candidate it suppressed (score gap and max coordinate difference:
 *   if the gap is tiny and the boxes differ, another implementation may keep the other box);
 * - closestOvr: the candidate-vs-kept overlap nearest to the NMS threshold (a face that could split or merge).
 */
function diagnose(diag, all, near, kept) {
  diag.bestBelow = near.reduce((m, d) => Math.max(m, d.score), -Infinity);
  diag.faces = kept.map((k) => {
    let rival = null;
    for (const d of all) {
      if (d === k || kept.includes(d)) continue;
      if (overlap(k.bbox, d.bbox) > NMS_THRESHOLD && (!rival || d.score > rival.score)) rival = d;
    }
    const maxDiff = rival
      ? Math.max(...k.bbox.map((v, i) => Math.abs(v - rival.bbox[i])), ...k.kps.flatMap((p, i) => p.map((v, j) => Math.abs(v - rival.kps[i][j]))))
      : null;
    return { score: k.score, rivalGap: rival ? k.score - rival.score : null, rivalSize: rival?.size, rivalMaxDiff: maxDiff };
  });
  let closest = null;
  for (const d of all) {
    if (kept.includes(d)) continue;
    for (const k of kept) {
      const o = overlap(k.bbox, d.bbox);
      if (o > 0 && (closest === null || Math.abs(o - NMS_THRESHOLD) < Math.abs(closest - NMS_THRESHOLD))) closest = o;
    }
  }
  diag.closestOvr = closest;
}

// ---------------------------------------------------------------------------------------------------------------
// Alignment: Umeyama similarity (with scale) via a hand-written 2x2 SVD, as skimage SimilarityTransform.estimate
// ---------------------------------------------------------------------------------------------------------------

/** SVD of a real 2x2 matrix [[a,b],[c,d]] = U * diag(s) * Vt, s[0] >= s[1] >= 0, U and Vt orthogonal. */
export function svd2x2(m) {
  const [[a, b], [c, d]] = m;
  const e = (a + d) / 2;
  const f = (a - d) / 2;
  const g = (c + b) / 2;
  const h = (c - b) / 2;
  const q = Math.hypot(e, h);
  const r = Math.hypot(f, g);
  let s1 = q + r;
  let s2 = q - r;
  const a1 = Math.atan2(g, f);
  const a2 = Math.atan2(h, e);
  const theta = (a2 - a1) / 2;
  const phi = (a2 + a1) / 2;
  // A = R(phi) * diag(s1, s2) * R(theta), with R(t) = [[cos t, -sin t],[sin t, cos t]]
  const U = [
    [Math.cos(phi), -Math.sin(phi)],
    [Math.sin(phi), Math.cos(phi)],
  ];
  const Vt = [
    [Math.cos(theta), -Math.sin(theta)],
    [Math.sin(theta), Math.cos(theta)],
  ];
  if (s2 < 0) {
    // make the second singular value non-negative by flipping the second column of U
    s2 = -s2;
    U[0][1] = -U[0][1];
    U[1][1] = -U[1][1];
  }
  return { U, S: [s1, s2], Vt };
}

const det2 = (m) => m[0][0] * m[1][1] - m[0][1] * m[1][0];
const mul2 = (x, y) => [
  [x[0][0] * y[0][0] + x[0][1] * y[1][0], x[0][0] * y[0][1] + x[0][1] * y[1][1]],
  [x[1][0] * y[0][0] + x[1][1] * y[1][0], x[1][0] * y[0][1] + x[1][1] * y[1][1]],
];

/**
 * Least-squares similarity transform mapping src points onto dst points (Umeyama 1991, with scale),
 * following skimage.transform._geometric._umeyama. Returns the 2x3 matrix [[a,b,tx],[c,d,ty]].
 */
export function umeyama(src, dst) {
  const n = src.length;
  const dim = 2;
  const mean = (pts) => [pts.reduce((s, p) => s + p[0], 0) / n, pts.reduce((s, p) => s + p[1], 0) / n];
  const sm = mean(src);
  const dm = mean(dst);
  const sd = src.map((p) => [p[0] - sm[0], p[1] - sm[1]]);
  const dd = dst.map((p) => [p[0] - dm[0], p[1] - dm[1]]);
  // A = dst_demean^T @ src_demean / n
  const A = [
    [0, 0],
    [0, 0],
  ];
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < 2; r++) for (let c = 0; c < 2; c++) A[r][c] += (dd[i][r] * sd[i][c]) / n;
  }
  const d = [1, 1];
  if (det2(A) < 0) d[dim - 1] = -1;
  const { U, S, Vt } = svd2x2(A);
  const tol = Math.max(S[0], S[1]) * 2 * Number.EPSILON;
  const rank = (S[0] > tol ? 1 : 0) + (S[1] > tol ? 1 : 0);
  let R;
  if (rank === 0) throw new Error('degenerate keypoints (rank 0)');
  if (rank === dim - 1) {
    if (det2(U) * det2(Vt) > 0) {
      R = mul2(U, Vt);
    } else {
      R = mul2(mul2(U, [[1, 0], [0, -1]]), Vt);
    }
  } else {
    R = mul2(mul2(U, [[d[0], 0], [0, d[1]]]), Vt);
  }
  // scale = 1 / var(src_demean).sum() * (S @ d)   (population variance)
  let varSum = 0;
  for (const p of sd) varSum += (p[0] * p[0] + p[1] * p[1]) / n;
  const scale = (S[0] * d[0] + S[1] * d[1]) / varSum;
  const tx = dm[0] - scale * (R[0][0] * sm[0] + R[0][1] * sm[1]);
  const ty = dm[1] - scale * (R[1][0] * sm[0] + R[1][1] * sm[1]);
  return [
    [scale * R[0][0], scale * R[0][1], tx],
    [scale * R[1][0], scale * R[1][1], ty],
  ];
}

/** Independent closed form (complex least squares) of the same similarity, used only as a self-check. */
function similarityClosedForm(src, dst) {
  const n = src.length;
  const sm = [0, 0];
  const dm = [0, 0];
  for (let i = 0; i < n; i++) {
    sm[0] += src[i][0] / n;
    sm[1] += src[i][1] / n;
    dm[0] += dst[i][0] / n;
    dm[1] += dst[i][1] / n;
  }
  let re = 0;
  let im = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const sx = src[i][0] - sm[0];
    const sy = src[i][1] - sm[1];
    const dx = dst[i][0] - dm[0];
    const dy = dst[i][1] - dm[1];
    re += sx * dx + sy * dy; // Re(conj(s) * d)
    im += sx * dy - sy * dx; // Im(conj(s) * d)
    den += sx * sx + sy * sy;
  }
  const a = re / den;
  const b = im / den;
  return [
    [a, -b, dm[0] - (a * sm[0] - b * sm[1])],
    [b, a, dm[1] - (b * sm[0] + a * sm[1])],
  ];
}

function alignFace(cv, srcMat, kps) {
  const M = umeyama(kps, ARCFACE_TEMPLATE);
  const check = similarityClosedForm(kps, ARCFACE_TEMPLATE);
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 3; c++) {
      if (Math.abs(M[r][c] - check[r][c]) > 1e-6 * Math.max(1, Math.abs(check[r][c]))) {
        throw new Error(`Umeyama self-check failed: ${JSON.stringify(M)} vs ${JSON.stringify(check)}`);
      }
    }
  }
  const mMat = cv.matFromArray(2, 3, cv.CV_64F, [M[0][0], M[0][1], M[0][2], M[1][0], M[1][1], M[1][2]]);
  const dst = new cv.Mat();
  cv.warpAffine(srcMat, dst, mMat, new cv.Size(REC_SIZE, REC_SIZE), cv.INTER_LINEAR, cv.BORDER_CONSTANT, new cv.Scalar(0, 0, 0, 0));
  const crop = Uint8Array.from(dst.data);
  mMat.delete();
  dst.delete();
  return { M, crop };
}

// ---------------------------------------------------------------------------------------------------------------
// Embedding
// ---------------------------------------------------------------------------------------------------------------

async function embed(session, crop) {
  const plane = REC_SIZE * REC_SIZE;
  const blob = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    blob[i] = (crop[i * 3] - REC_MEAN) / REC_STD;
    blob[plane + i] = (crop[i * 3 + 1] - REC_MEAN) / REC_STD;
    blob[2 * plane + i] = (crop[i * 3 + 2] - REC_MEAN) / REC_STD;
  }
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', blob, [1, 3, REC_SIZE, REC_SIZE]) };
  const out = await session.run(feeds);
  const v = out[session.outputNames[0]].data;
  if (v.length !== 512) throw new Error(`expected 512-d embedding, got ${v.length}`);
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  return { raw: v, rawNorm: norm, unit: Array.from(v, (x) => x / norm) };
}

// ---------------------------------------------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------------------------------------------

const r3 = (x) => Math.round(x * 1000) / 1000;
const r6 = (x) => Math.round(x * 1e6) / 1e6;

function parseArgs(argv) {
  const args = { threads: 1, quiet: false };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--models') args.models = next();
    else if (a === '--faces') args.faces = next();
    else if (a === '--out') args.out = next();
    else if (a === '--images') args.images = next().split(',').filter(Boolean);
    else if (a === '--threads') args.threads = parseInt(next(), 10);
    else if (a === '--quiet') args.quiet = true;
    else if (a === '--diagnose') args.diagnose = true;
    else if (a === '--perturb') args.perturb = parseInt(next(), 10);
    else if (a === '--help' || a === '-h') args.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv);
  if (args.help || !args.models || !args.faces) {
    console.log('usage: node reference.mjs --models DIR --faces DIR [--out FILE] [--images a.jpg,b.png] [--threads N] [--quiet] [--diagnose] [--perturb N]');
    process.exit(args.help ? 0 : 2);
  }
  const log = args.quiet ? () => {} : (...m) => console.log(...m);
  const { cv } = await loadOpenCv();
  // logSeverityLevel 3: silence the benign 'Expected shape from model of {12800,1}' warnings (declared shapes are for 640x640).
  const opts = { intraOpNumThreads: args.threads, interOpNumThreads: 1, executionProviders: ['cpu'], logSeverityLevel: 3 };
  const detSession = await ort.InferenceSession.create(path.join(args.models, DETECTOR), opts);
  const recSession = await ort.InferenceSession.create(path.join(args.models, RECOGNIZER), opts);
  log(`detector inputs ${detSession.inputNames} outputs (declared order) ${detSession.outputNames.join(',')}`);
  log(`recognizer inputs ${recSession.inputNames} outputs ${recSession.outputNames}`);

  const cache = new Map();
  async function processImage(rel, wantTrace = false, perturb = 0) {
    const key = `${rel}|${perturb}`;
    if (cache.has(key) && !wantTrace) return cache.get(key);
    const img = await decodeRgb(path.join(args.faces, rel));
    if (perturb > 0) addNoise(img.rgb, perturb);
    const srcMat = rgbToMat(cv, img);
    const trace = wantTrace ? {} : null;
    try {
      const diag = args.diagnose ? {} : null;
      const dets = await detect(cv, detSession, srcMat, img.width, img.height, trace, diag);
      const faces = [];
      for (const d of dets) {
        const { M, crop } = alignFace(cv, srcMat, d.kps);
        const e = await embed(recSession, crop);
        faces.push({ ...d, M, crop, embedding: e.unit, rawNorm: e.rawNorm });
      }
      const res = { path: rel, width: img.width, height: img.height, faces, trace, diag, topLeft: img.rgb.subarray(0, 9) };
      cache.set(key, res);
      return res;
    } finally {
      srcMat.delete();
    }
  }

  const images = args.images ?? DEFAULT_IMAGES;
  const out = {
    pack: 'dev',
    detector: DETECTOR,
    recognizer: RECOGNIZER,
    det_sizes: DET_SIZES,
    det_threshold: DET_THRESHOLD,
    nms_threshold: NMS_THRESHOLD,
    images: [],
  };
  log('\n== per-image results ==');
  for (const rel of images) {
    const t0 = Date.now();
    const res = await processImage(rel, rel === DEBUG_IMAGE);
    out.images.push({
      path: rel,
      width: res.width,
      height: res.height,
      faces: res.faces.map((f) => ({
        bbox: f.bbox.map(r3),
        score: r6(f.score),
        kps: f.kps.map((p) => p.map(r3)),
        embedding: f.embedding.map(r6),
      })),
    });
    log(`${rel} ${res.width}x${res.height}: ${res.faces.length} face(s) [${Date.now() - t0} ms]`);
    for (const f of res.faces) {
      log(
        `   score=${f.score.toFixed(4)} (from S=${f.size}, stride ${f.stride}) bbox=[${f.bbox.map((x) => x.toFixed(1)).join(', ')}]` +
          ` leye=(${f.kps[0].map((x) => x.toFixed(1))}) reye=(${f.kps[1].map((x) => x.toFixed(1))}) rawNorm=${f.rawNorm.toFixed(3)}`,
      );
    }
    if (res.diag) {
      const dg = res.diag;
      const fmt = (x, n = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(n));
      log(`   diagnose: best score below threshold=${fmt(dg.bestBelow)}; NMS overlap closest to ${NMS_THRESHOLD}: ${fmt(dg.closestOvr, 3)}`);
      for (const f of dg.faces) {
        log(`   diagnose: face score ${fmt(f.score)}: strongest suppressed rival gap=${fmt(f.rivalGap)} (S=${f.rivalSize ?? '-'}) max coord diff=${fmt(f.rivalMaxDiff, 1)} px`);
      }
    }
  }

  if (!args.quiet && images.includes(DEBUG_IMAGE)) {
    const res = cache.get(`${DEBUG_IMAGE}|0`);
    const b = res.trace.blob;
    log(`\n== debug values for ${DEBUG_IMAGE} ==`);
    log(`decoded RGB top-left 3 pixels (row 0, x=0..2): ${JSON.stringify(Array.from(res.topLeft))}`);
    log(`640 letterbox: new_w=${b.newW} new_h=${b.newH} det_scale=${b.detScale}`);
    log('640 blob channel 0 (R, (x-127.5)/128), rows 0..2, cols 0..2:');
    for (let y = 0; y < 3; y++) log('   ' + [0, 1, 2].map((x) => b.data[y * 640 + x].toFixed(7)).join('  '));
    const f = res.faces[0];
    if (f) {
      log(`face 0 similarity M = ${JSON.stringify(f.M.map((row) => row.map((x) => +x.toFixed(8))))}`);
      log('aligned 112x112 crop, RGB uint8, rows 0..2, cols 0..2:');
      for (let y = 0; y < 3; y++) {
        log('   ' + [0, 1, 2].map((x) => `(${Array.from(f.crop.subarray((y * 112 + x) * 3, (y * 112 + x) * 3 + 3)).join(',')})`).join(' '));
      }
      log('aligned crop centre row 56, cols 54..56:');
      log('   ' + [54, 55, 56].map((x) => `(${Array.from(f.crop.subarray((56 * 112 + x) * 3, (56 * 112 + x) * 3 + 3)).join(',')})`).join(' '));
      log(`face 0 embedding[0..7] = ${f.embedding.slice(0, 8).map((x) => x.toFixed(6)).join(', ')}`);
    }
  }

  if (!args.quiet && !args.images) {
    const cos = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0);
    log('\n== cosine sanity (largest face of each image) ==');
    for (const [label, pairs] of [
      ['same person', SAME_PAIRS],
      ['different people', DIFF_PAIRS],
    ]) {
      for (const [p, q] of pairs) {
        const a = (await processImage(p)).faces[0];
        const c = (await processImage(q)).faces[0];
        if (!a || !c) log(`${label}: ${p} vs ${q}: no face in one of them`);
        else log(`${label}: ${p} vs ${q}: ${cos(a.embedding, c.embedding).toFixed(4)}`);
      }
    }
    const aj = (await processImage('angelina_jolie/01.jpg')).faces[0];
    const grp = await processImage('_group/01.jpg');
    grp.faces.forEach((f, i) => log(`_group/01.jpg face ${i} vs angelina_jolie/01.jpg: ${cos(aj.embedding, f.embedding).toFixed(4)}`));
    const kit = (await processImage('kit_harington/01.jpg')).faces[0];
    const g3 = await processImage('_group/03.jpg');
    g3.faces.forEach((f, i) => log(`_group/03.jpg face ${i} vs kit_harington/01.jpg: ${cos(kit.embedding, f.embedding).toFixed(4)}`));
  }

  if (args.perturb > 0) {
    log(`\n== robustness: pixels perturbed by up to +/-${args.perturb} vs reference ==`);
    const cos = (a, b) => a.reduce((t, x, i) => t + x * b[i], 0);
    for (const rel of images) {
      const ref = await processImage(rel);
      const alt = await processImage(rel, false, args.perturb);
      const parts = [`${rel}: faces ${ref.faces.length} -> ${alt.faces.length}`];
      for (const f of ref.faces) {
        let best = null;
        for (const g of alt.faces) {
          const o = overlap(f.bbox, g.bbox);
          if (!best || o > best.o) best = { o, g };
        }
        if (!best || best.o < 0.5) {
          parts.push('unmatched');
          continue;
        }
        const g = best.g;
        const dBox = Math.max(...f.bbox.map((v, i) => Math.abs(v - g.bbox[i])));
        const dKps = Math.max(...f.kps.flatMap((p, i) => p.map((v, j) => Math.abs(v - g.kps[i][j]))));
        parts.push(`[box ${dBox.toFixed(2)} px, kps ${dKps.toFixed(2)} px, cos ${cos(f.embedding, g.embedding).toFixed(4)}, dscore ${(g.score - f.score).toFixed(4)}]`);
      }
      log(parts.join(' '));
    }
  }

  if (args.out) {
    fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
    // One image per line keeps diffs readable; embeddings are long arrays.
    const header = { ...out };
    delete header.images;
    const head = JSON.stringify(header).slice(0, -1);
    const body = out.images.map((im) => '  ' + JSON.stringify(im)).join(',\n');
    fs.writeFileSync(args.out, `${head},"images":[\n${body}\n]}\n`);
    JSON.parse(fs.readFileSync(args.out, 'utf8')); // validate
    log(`\nwrote ${args.out}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
