// Fast checks of the rebuilt shell originals (legacy/ assembled by scripts/build-legacy.mjs):
// the assembled layout of docs/behaviour.md §1 and a few byte-exact examples of §3 and §4, so a broken
// legacy text or build fails `npm test` before the golden suite runs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(path.join(tmpdir(), 'legacy-build-'));
const bin = path.join(work, 'bin');

function run(program: string, args: string[], input = '', env: Record<string, string> = {}): SpawnSyncReturns<Buffer> {
  return spawnSync(path.join(bin, program), args, {
    input,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    timeout: 10_000,
  });
}

const ESC = '\x1b';

test.before(() => {
  const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-legacy.mjs'), bin], {
    timeout: 30_000,
    encoding: 'utf8',
  });
  assert.is(built.status, 0, built.stderr);
});

test.after(() => {
  rmSync(work, { recursive: true, force: true });
});

test('layout: shebang, errexit, nounset, PATH line (none for base64), executable', () => {
  for (const name of ['base64', 'router', 'probe', 'watcher', 'watcher-srv']) {
    const file = path.join(bin, name);
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.match(lines[0] ?? '', /^#!\/\S*dash$/, `${name} shebang`);
    assert.is(lines[1], 'set -o errexit', `${name} errexit`);
    assert.is(lines[2], 'set -o nounset', `${name} nounset`);
    if (name === 'base64') assert.not.match(lines[3] ?? '', /PATH/);
    else assert.ok((lines[3] ?? '').startsWith(`export PATH="${bin}:`) && lines[3]?.endsWith(':$PATH"'), `${name} PATH`);
    assert.is(statSync(file).mode & 0o777, 0o755, `${name} mode`);
  }
  const router = readFileSync(path.join(bin, 'router'), 'utf8');
  assert.ok(
    router.indexOf('log()') < router.indexOf("RESET='") && router.indexOf("RESET='") < router.indexOf('IFS= read -r request'),
    'router = log + colours + program',
  );
});

test('build is idempotent: a second run rewrites nothing', () => {
  const again = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-legacy.mjs'), bin], { timeout: 30_000, encoding: 'utf8' });
  assert.is(again.status, 0);
  assert.match(again.stdout, /\(0 rewritten\)/);
});

test('base64 encode: RFC 4648, and od without -v collapses repeated blocks [D10]', () => {
  assert.is(run('base64', ['encode', 'user:pass']).stdout.toString(), 'dXNlcjpwYXNz\n');
  assert.is(run('base64', ['encode', 'a'.repeat(31)]).stdout.toString(), `${Buffer.from('a'.repeat(31)).toString('base64')}\n`);
  assert.is(run('base64', ['encode', 'a'.repeat(32)]).stdout.toString(), 'YWFhYWFhYWFhYWFhYWFhYQ==\n');
  assert.is(run('base64', ['encode', 'a'.repeat(40)]).stdout.toString(), `${Buffer.from('a'.repeat(24)).toString('base64')}\n`);
});

test('base64 errors: no argument exits 2, empty STRING exits 0 with nothing on stdout', () => {
  const none = run('base64', []);
  assert.is(none.status, 2);
  assert.match(none.stderr.toString(), /: \d+: 1: parameter not set or null\n$/);
  const empty = run('base64', ['encode', '']);
  assert.is(empty.status, 0);
  assert.is(empty.stdout.length, 0);
  assert.match(empty.stderr.toString(), /parameter not set or null/);
  const other = run('base64', ['frobnicate', 'x']);
  assert.is(other.status, 0);
  assert.is(other.stdout.length + other.stderr.length, 0);
});

test('base64 decode prints \\xHH text under dash [D3]', () => {
  assert.is(run('base64', ['decode', 'YQ==']).stdout.toString(), '\\x61\\x00\\x00\n');
  const empty = run('base64', ['decode', '']);
  assert.is(empty.stdout.toString(), '\n');
  assert.is(empty.status, 0);
});

test('router: 404 bytes, for CRLF and bare LF', () => {
  const expected = 'HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nConnection: close\r\n\r\nNot found\n';
  assert.is(run('router', [], 'GET /nope HTTP/1.1\r\n\r\n').stdout.toString(), expected);
  assert.is(run('router', [], 'GET /status?x HTTP/1.1\n\n').stdout.toString(), expected);
});

test('router: /status with no URLS is Content-Length 42', () => {
  const res = run('router', [], 'GET /status HTTP/1.1\r\n\r\n');
  assert.is(res.status, 0);
  assert.is(
    res.stdout.toString(),
    'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 42\r\nConnection: close\r\n\r\n{"checks":[],"summary":{"total":0,"ok":0}}',
  );
  assert.is(res.stderr.length, 0);
});

test('router: a refused check is "code":000 [D1] and logged through log', () => {
  const res = run('router', [], 'GET /status HTTP/1.1\r\n\r\n', { URLS: 'http://127.0.0.1:1/x', TIMEOUT: '2' });
  const body = '{"checks":[{"url":"http://127.0.0.1:1/x","code":000,"time_s":0,"ok":false}],"summary":{"total":1,"ok":0}}';
  assert.ok(res.stdout.toString().endsWith(`Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`));
  assert.is(res.stderr.toString(), `${ESC}[32mhttp://127.0.0.1:1/x -> 000${ESC}[0m\n`);
});

test('router: EOF before a complete request line writes nothing', () => {
  const res = run('router', [], 'GET /status');
  assert.is(res.status, 0);
  assert.is(res.stdout.length, 0);
});

test('router: AUTH_FILE tokens; the header as last thing without LF is never read', () => {
  const authFile = path.join(work, 'auth');
  spawnSync('sh', ['-c', `printf 'user:pass\\n\\nbob:x' > '${authFile}'`]);
  const env = { AUTH_FILE: authFile };
  const unauthorized =
    'HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 24\r\n' +
    'WWW-Authenticate: Basic realm="minimal", charset="UTF-8"\r\nConnection: close\r\n\r\n{"error":"unauthorized"}';
  assert.is(run('router', [], 'GET /x HTTP/1.1\r\n\r\n', env).stdout.toString(), unauthorized);
  assert.match(
    run('router', [], 'GET /x HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n', env).stdout.toString(),
    /^HTTP\/1\.1 404 /,
  );
  assert.match(run('router', [], 'GET /x HTTP/1.1\nAuthorization: Basic Ym9iOng=\n\n', env).stdout.toString(), /^HTTP\/1\.1 404 /);
  assert.is(run('router', [], 'GET /x HTTP/1.1\r\nauthorization: Basic dXNlcjpwYXNz\r\n\r\n', env).stdout.toString(), unauthorized);
  assert.is(run('router', [], 'GET /x HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz', env).stdout.toString(), unauthorized);
});

test('watcher: required variables in order, exit 3', () => {
  const stateDir = path.join(work, 'state');
  const res = run('watcher', [], '', { STATE_DIR: stateDir, PEERS_DNS: 'x', TG_TOKEN: '' });
  assert.is(res.status, 3);
  assert.is(res.stderr.toString(), 'TG_TOKEN not set\n');
  assert.ok(statSync(stateDir).isDirectory());
});

test('watcher-srv: PEERS_SRV is checked first, then TG_TOKEN, exit 3 (docs/behaviour.md §12)', () => {
  const stateDir = path.join(work, 'state-srv');
  const none = run('watcher-srv', [], '', { STATE_DIR: stateDir, PEERS_DNS: 'x', TG_TOKEN: 't', TG_CHAT_ID: '1' });
  assert.is(none.status, 3);
  assert.is(none.stderr.toString(), 'PEERS_SRV not set\n');
  const noToken = run('watcher-srv', [], '', { STATE_DIR: stateDir, PEERS_SRV: '_s._tcp.test', TG_TOKEN: '' });
  assert.is(noToken.status, 3);
  assert.is(noToken.stderr.toString(), 'TG_TOKEN not set\n');
});

test.run();
