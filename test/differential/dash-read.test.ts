// Differential test: dash's `IFS= read -r` (docs/behaviour.md §4.1-§4.3, §9) against the port's two
// readers of lines: AUTH_FILE lines (src/auth.ts tokensFromFile: the last line counts without a
// newline, empty lines are skipped) and the request head (src/http/request.ts: the request
// line, header lines up to an empty or CR-only line, the last `Authorization: Basic ` token
// with its CRs removed), both reading lines with src/compat/dash-read.ts. dash drops NUL bytes
// and keeps spaces, tabs, backslashes and CRs.
// The dash side runs the originals' own loops (legacy/router.sh), one process for all inputs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tokensFromFile } from '../../src/auth.ts';
import { parseRequestHead } from '../../src/http/request.ts';
import { Prng } from '../support/prng.ts';
import { dashFieldDifferences, latin1, seededInputs } from './support.ts';

// Line content: every byte class `read` might treat specially (0x01 ends dash's records: left out).
const CONTENT = ['a', 'user:pass', ' ', '\t', '\\', '\\n', '\0', '\r', '\xe9', '\xff', '"', '$', '*', 'x\0y', '\\\\'];
const ENDS = ['\n', '\n', '\r\n', '\0\n'];

function authInput(rng: Prng): Buffer {
  let text = '';
  const lines = rng.int(0, 5);
  for (let i = 0; i < lines; i++) text += rng.join(CONTENT, rng.int(0, 6)) + (i < lines - 1 || rng.next() < 0.6 ? rng.pick(ENDS) : '');
  return latin1(text);
}

const REQUEST_LINES = [
  'GET /status HTTP/1.1',
  'GET / HTTP/1.1',
  'GET /disk HTTP/1.0',
  'GE\0T /status HTTP/1.1',
  'HEAD / HTTP/1.1',
  'GET /a\\b c',
  '',
  '\0',
];
const HEADERS = [
  'Host: probe',
  'Authorization: Basic dXNlcjpwYXNz',
  'Authorization: Basic ',
  'Authorization: Bearer x',
  'Author\0ization: Basic abc',
  'X-A: b\\c',
  'Authorization: Basic a b\tc\\d',
  '\0',
  ' ',
  '\t',
];
const HEAD_ENDS = ['\r\n', '\n', '\r\r\n', '\0\r\n'];

function requestInput(rng: Prng): Buffer {
  let text = rng.next() < 0.8 ? rng.pick(REQUEST_LINES) : rng.join(CONTENT, rng.int(0, 5));
  text += rng.pick(HEAD_ENDS);
  const headers = rng.int(0, 4);
  for (let i = 0; i < headers; i++) {
    const header = rng.next() < 0.8 ? rng.pick(HEADERS) : `Authorization: Basic ${rng.join(CONTENT, rng.int(0, 4))}`;
    text += header + rng.pick(HEAD_ENDS);
  }
  const tail = rng.int(0, 3);
  if (tail === 1) text += '\r\n';
  if (tail === 2) text += '\n';
  if (tail === 3) text = text.slice(0, rng.int(0, text.length)); // cut anywhere: EOF mid-line
  return latin1(text);
}

const AUTH_EDGE = ['us\0er:pass\n', 'user:pass', 'user:pass\r\n', '\0\0\n', ' a b \n\t\\x\n', 'a\n\nb', '\n\n', ''];
const REQUEST_EDGE = [
  'GET /status HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n',
  'GET /status HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz', // the header at EOF is never read
  'GET /status HTTP/1.1', // no LF: no request
  'GET /status HTTP/1.1\n\0\r\nAuthorization: Basic x\n\n',
  'GE\0T / HTTP/1.1\nAuthori\0zation: Basic dXNl\0cjpwYXNz\r\n\n',
];

const AUTH_SCRIPT = `for f in "$@"; do
  while IFS= read -r line || [ -n "$line" ]; do
    if [ -n "$line" ]; then printf '%s\\0' "$line"; fi
  done < "$f"
  printf '\\1'
done`;

const REQUEST_SCRIPT = `CR=$(printf '\\r')
for f in "$@"; do
  {
    if IFS= read -r request; then
      presented=
      while IFS= read -r header; do
        case $header in
          '' | "$CR") break ;;
          'Authorization: Basic '*) presented=$(printf '%s' "\${header#'Authorization: Basic '}" | tr -d '\\r\\n') ;;
        esac
      done
      printf 'head\\0%s\\0%s\\0' "$request" "$presented"
    else
      printf 'none\\0'
    fi
  } < "$f"
  printf '\\1'
done`;

test('dash read: AUTH_FILE lines', async () => {
  const inputs = seededInputs(AUTH_EDGE.map(latin1), 320, authInput);
  const differences = await dashFieldDifferences('dash read (AUTH_FILE lines)', AUTH_SCRIPT, inputs, (input) =>
    tokensFromFile(input).map((token) => Buffer.from(token, 'base64').toString('latin1')),
  );
  assert.equal(differences, []);
});

test('dash read: request line and headers', async () => {
  const inputs = seededInputs(REQUEST_EDGE.map(latin1), 320, requestInput, 7);
  const differences = await dashFieldDifferences('dash read (request head)', REQUEST_SCRIPT, inputs, (input) => {
    const head = parseRequestHead(input);
    return head.kind === 'head' ? ['head', head.requestLine, head.presentedToken] : [head.kind === 'no-request' ? 'none' : head.kind];
  });
  assert.equal(differences, []);
});

test.run();
