// Starts the real standalone service (./rollcall serve: in-process Kafka broker, H2 and a worker, on free ports and a
// temporary DATA_DIR, with the dev pack from ../shared/models), runs every test file against it with `node --test`,
// and stops it. One service for all files: a start costs ~20 s of two shared cores.
//
//   node test/run.js                    the tests (npm test; ./rollcall test runs it after the Java build)
//   node test/run.js --update-openapi   write docs/openapi.json from the running service instead
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = resolve(HERE, '..', '..', '..');
const OPENAPI_FILE = join(REPO, 'docs', 'openapi.json');
const START_TIMEOUT_MS = Number(process.env.ROLLCALL_TEST_START_TIMEOUT_S ?? 300) * 1000;
// The service's default; the throttling test fills one key's window and counts on it.
const RATE_LIMIT_PER_MINUTE = 100;

async function freePort() {
  return new Promise((done, fail) => {
    const server = createServer().once('error', fail).listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

function sharedData() {
  const shared = resolve(process.env.ROLLCALL_SHARED ?? join(REPO, '..', 'shared'));
  if (!existsSync(join(shared, 'models')) || !existsSync(join(shared, 'faces', 'dev'))) {
    // Missing data fails the run: a skipped test would prove nothing.
    throw new Error(`real weights and photos not found at ${shared} (expected models/ and faces/dev/; CI clones the repository with ../shared beside it)`);
  }
  return shared;
}

async function waitHealthy(url, service, logFile) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (service.exitCode !== null) {
      throw new Error(`the service exited with ${service.exitCode}:\n${await tail(logFile)}`);
    }
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) });
      if (response.status === 200) {
        return;
      }
      last = `${response.status} ${await response.text()}`;
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    await sleep(500);
  }
  throw new Error(`the service never became healthy (last: ${last}):\n${await tail(logFile)}`);
}

async function tail(file, lines = 60) {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').slice(-lines).join('\n');
}

async function stop(service) {
  if (service.exitCode !== null) {
    return;
  }
  const exited = new Promise((done) => service.once('exit', done));
  service.kill('SIGTERM'); // graceful: in-flight work finishes, the broker closes cleanly
  if (await Promise.race([exited.then(() => true), sleep(60_000).then(() => false)]) === false) {
    service.kill('SIGKILL');
    await exited;
  }
}

async function main() {
  const updateOpenApi = process.argv.includes('--update-openapi');
  const shared = sharedData();
  const dir = await mkdtemp(join(tmpdir(), 'rollcall-node-'));
  const [port, managementPort, kafkaPort] = [await freePort(), await freePort(), await freePort()];
  // Keys made for this run only: no credential lives in the repository.
  const keys = { user: randomBytes(18).toString('base64url'), admin: randomBytes(18).toString('base64url'), throttled: randomBytes(18).toString('base64url') };
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(KAFKA_|DATABASE_|API_KEYS|ADMIN_API_KEYS)/.test(name)));
  Object.assign(env, {
    DATA_DIR: join(dir, 'data'),
    PORT: String(port),
    MANAGEMENT_PORT: String(managementPort),
    KAFKA_PORT: String(kafkaPort),
    MODELS_DIR: join(shared, 'models'),
    INSIGHTFACE_MODEL: 'dev',
    AUTO_DOWNLOAD_MODELS: 'false',
    API_KEYS: `${keys.user},${keys.throttled}`,
    ADMIN_API_KEYS: keys.admin,
    RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT_PER_MINUTE),
  });
  // ./rollcall builds the jar when it is missing or older than the sources; do that first, so that the start's
  // timeout measures the start alone.
  const build = spawn(join(REPO, 'rollcall'), ['--help'], { cwd: REPO, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const built = await new Promise((done) => build.once('exit', (c) => done(c)));
  if (built !== 0) {
    throw new Error(`./rollcall --help (building the jar) exited with ${built}`);
  }
  const logFile = join(dir, 'serve.log');
  const log = createWriteStream(logFile);
  const service = spawn(join(REPO, 'rollcall'), ['serve'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  service.stdout.pipe(log);
  service.stderr.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  let code = 1;
  try {
    await waitHealthy(url, service, logFile);
    if (updateOpenApi) {
      const response = await fetch(`${url}/api/openapi.json`, { headers: { 'X-API-Key': keys.admin } });
      await writeFile(OPENAPI_FILE, `${JSON.stringify(await response.json(), null, 2)}\n`);
      console.log(`wrote ${OPENAPI_FILE}`);
      code = 0;
    } else {
      const files = (await readdir(HERE)).filter((f) => f.endsWith('.test.js')).sort().map((f) => join(HERE, f));
      const tests = spawn(process.execPath, ['--test', ...files], {
        stdio: 'inherit',
        env: {
          ...process.env,
          ROLLCALL_TEST_URL: url,
          ROLLCALL_TEST_KAFKA: `127.0.0.1:${kafkaPort}`,
          ROLLCALL_TEST_IMPORT_DIR: join(dir, 'data', 'import'),
          ROLLCALL_TEST_SHARED: shared,
          ROLLCALL_TEST_API_KEY: keys.user,
          ROLLCALL_TEST_ADMIN_KEY: keys.admin,
          ROLLCALL_TEST_THROTTLED_KEY: keys.throttled,
          ROLLCALL_TEST_RATE_LIMIT: String(RATE_LIMIT_PER_MINUTE),
        },
      });
      code = await new Promise((done) => tests.once('exit', (c, signal) => done(c ?? (signal ? 1 : 0))));
    }
  } catch (e) {
    console.error(e.message);
  } finally {
    await stop(service);
    if (code !== 0) {
      console.error(`--- the service's log (last lines of ${logFile}) ---\n${await tail(logFile)}`);
    } else {
      await rm(dir, { recursive: true, force: true });
    }
  }
  process.exitCode = code;
}

await main();
