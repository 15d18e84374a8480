// >= 10,000 generated malformed requests against a running probe on loopback: the probe must
// stay alive, answer each with a well-formed response or close cleanly, and still answer a
// normal request afterwards. Deterministic (seeded), bounded in count and time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertStillAnswers, isWellFormedResponse, startProbe, type RunningProbe } from './support.ts';
import { Prng } from '../support/prng.ts';

const COUNT = 10_000;
const CONCURRENCY = 64;
const TIME_BOUND_MS = 90_000;

const METHODS = ['GET', 'HEAD', 'POST', 'get', 'G\0ET', '', 'GET\t', '\xff\xfe', 'GETT'];
const PATHS = ['/', '/status', '/disk', '/status?x', '', '//', '/%00', '/' + 'a'.repeat(300), '/\r', '*'];
const VERSIONS = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/9', '', 'http/1.1', 'HTTP/1.1 extra'];
const HEADERS = [
  'Host: x',
  'Authorization: Basic dXNlcjpwYXNz',
  'authorization: basic',
  'Content-Length: 99999999',
  'Transfer-Encoding: chunked',
  ': empty name',
  'No colon',
  '\r',
  ' folded',
  'X: ' + 'v'.repeat(2000),
];
const ENDINGS = ['\r\n', '\n', '\r', '\n\r', ''];

function randomBytes(rng: Prng, max: number): Buffer {
  const bytes = Buffer.alloc(rng.int(0, max - 1));
  for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(0, 255);
  return bytes;
}

/** One malformed request, as the parts it is written in. */
function generate(rng: Prng): Buffer[] {
  const kind = rng.int(0, 5);
  let bytes: Buffer;
  if (kind === 0) {
    bytes = randomBytes(rng, 600);
  } else if (kind === 1) {
    // garbage lines, some with LFs
    const lines: Buffer[] = [];
    const n = rng.int(1, 6);
    for (let i = 0; i < n; i++) lines.push(randomBytes(rng, 80), Buffer.from(rng.pick(ENDINGS), 'latin1'));
    bytes = Buffer.concat(lines);
  } else {
    const line = `${rng.pick(METHODS)} ${rng.pick(PATHS)} ${rng.pick(VERSIONS)}`;
    let text = line + rng.pick(ENDINGS);
    const headers = rng.int(0, 4);
    for (let i = 0; i < headers; i++) text += rng.pick(HEADERS) + rng.pick(ENDINGS);
    if (rng.chance(0.6)) text += rng.pick(ENDINGS);
    if (rng.chance(0.2)) text += 'body'.repeat(rng.int(0, 49));
    bytes = Buffer.from(text, 'latin1');
    if (kind === 5 && bytes.length > 0) {
      // corrupt a few bytes
      for (let i = 0; i < 3; i++) bytes[rng.int(0, bytes.length - 1)] = rng.int(0, 255);
    }
  }
  // split into a few writes at random points
  const parts: Buffer[] = [];
  let at = 0;
  while (at < bytes.length && parts.length < 4) {
    const size = parts.length === 3 ? bytes.length - at : rng.int(1, Math.max(1, bytes.length - at));
    parts.push(bytes.subarray(at, at + size));
    at += size;
  }
  return parts.length > 0 ? parts : [Buffer.alloc(0)];
}

let probe: RunningProbe;

test.before(async () => {
  probe = await startProbe({ VOLUMES: '/proc' });
});

test.after(async () => {
  await probe?.stop();
});

test(`${COUNT} malformed requests: each answered well-formed or closed cleanly`, async () => {
  const rng = new Prng(0x5e171e11);
  const requests = Array.from({ length: COUNT }, () => ({ parts: generate(rng), options: { boundMs: 8000 } }));
  const started = Date.now();
  const { results, sent } = await probe.client.batch(probe.port, requests, CONCURRENCY, TIME_BOUND_MS);
  let answered = 0;
  let closedEmpty = 0;
  const bad: string[] = [];
  results.forEach((result, index) => {
    if (result.outcome === 'timeout') bad.push(`#${index}: no close within 8 s`);
    else if (result.bytes.length === 0) closedEmpty += 1;
    else if (isWellFormedResponse(result.bytes)) answered += 1;
    else bad.push(`#${index}: malformed answer ${JSON.stringify(result.bytes.toString('latin1').slice(0, 80))}`);
  });
  console.log(`  fuzz: ${answered} answered, ${closedEmpty} closed without answer, ${Date.now() - started} ms`);
  assert.is(sent, COUNT, 'all requests sent within the time bound');
  assert.equal(bad.slice(0, 5), []);
  assert.is(answered + closedEmpty, COUNT);
  assert.ok(answered > COUNT / 2, 'most generated requests have a complete head');
  assert.ok(probe.alive(), 'probe still running');
});

test('still answers a normal request afterwards', () => assertStillAnswers(probe));

test.run();
