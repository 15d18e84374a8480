// Differential test: the originals' base64 encoder (legacy/base64.sh: `od -An -tu1` piped
// into awk, run by the real dash, od and awk) against the port's encodeBase64 (src/base64.ts).
// The contract (§3, D10) says od without -v collapses a 16-byte line equal to the one before
// it into `*`, which awk skips; the port encodes every input correctly (D10). So each input is
// checked twice: the originals against the contract's model (RFC 4648 of the collapsed
// bytes), and the port against RFC 4648; a difference is any input where either disagrees.
// Inputs have no NUL byte (an argument cannot hold one) and keep trailing newlines.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeBase64 } from '../../src/base64.ts';
import { Prng } from '../support/prng.ts';
import { dash, dashOutputs, latin1, reportFigures, seededInputs, show } from './support.ts';

const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));

/** What od without -v lets through: a full 16-byte line equal to the previous line is dropped. */
export function odCollapse(bytes: Buffer): Buffer {
  const kept: Buffer[] = [];
  let previous: Buffer | null = null;
  for (let at = 0; at < bytes.length; at += 16) {
    const line = bytes.subarray(at, at + 16);
    if (!(previous && line.length === 16 && line.equals(previous))) kept.push(line);
    previous = line;
  }
  return Buffer.concat(kept);
}

const BLOCKS = ['a'.repeat(16), 'b'.repeat(16), 'user:pass-user:p', '\xe9\xff'.repeat(8), '0123456789abcdef'];

function generate(rng: Prng): Buffer {
  if (rng.next() < 0.5) {
    // Whole 16-byte blocks, often repeated, then a tail: od's collapsing at work.
    let text = '';
    for (let i = rng.int(1, 5); i > 0; i--) text += rng.pick(BLOCKS);
    for (let i = rng.int(0, 20); i > 0; i--) text += String.fromCharCode(rng.int(1, 255));
    return latin1(text);
  }
  const bytes = Buffer.alloc(rng.int(1, 60));
  for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(1, 255);
  return bytes;
}

// The contract's examples (§3).
const EDGE = [
  'user:pass',
  'a',
  'ab',
  'abc',
  '\xe9\xff',
  'sentin\xc3\xa8lla',
  'a\nb',
  'a\n\n',
  ' ',
  '\xff'.repeat(20),
  'a'.repeat(31),
  'a'.repeat(32),
  'a'.repeat(33),
  'a'.repeat(40),
  'a'.repeat(48),
  `${'a'.repeat(16)}${'b'.repeat(16)}`,
].map(latin1);

const SCRIPT = `for f in "$@"; do
  v=$(cat "$f"; printf x)
  set -- encode "\${v%x}"
  . "$B64" > "$f.out"
done`;

test('od/awk base64 of the originals against the port', async () => {
  const inputs = seededInputs(EDGE, 320, generate);
  // The loop's `set --` replaces the list only after `for` has expanded it.
  const outputs = await dashOutputs('base64', `B64='${path.join(root, 'legacy', 'base64.sh')}'\n${SCRIPT}`, inputs);
  const differences: string[] = [];
  let collapsed = 0;
  inputs.forEach((input, i) => {
    const legacyOut = (outputs[i] as Buffer).toString('latin1');
    const model = `${odCollapse(input).toString('base64')}\n`;
    const correct = `${input.toString('base64')}\n`;
    const port = `${encodeBase64(input)}\n`;
    if (legacyOut !== model) differences.push(`${show(input)}: originals ${show(legacyOut)}, contract says ${show(model)}`);
    if (port !== correct) differences.push(`${show(input)}: port ${show(port)}, RFC 4648 ${show(correct)}`);
    if (legacyOut !== port && legacyOut === model) collapsed += 1;
  });
  reportFigures(
    'base64 (od/awk)',
    inputs.length,
    differences,
    `(${collapsed} differ between the originals and the port by D10, as the contract says)`,
  );
  assert.equal(differences, []);
  assert.ok(collapsed > 0, 'the generator reaches od collapsing');
});

test('the port CLI encodes raw argument bytes (not UTF-8 replacements)', () => {
  const out = dash(
    `for v in "$(printf '\\351\\377')" "$(printf 'sentin\\303\\250lla')" "$(printf '\\377-h')"; do
    "$NODE" --import tsx "$BIN" encode "$v"
  done`
      .replace('$NODE', process.execPath)
      .replace('$BIN', path.join(root, 'src', 'bin', 'base64.ts')),
    [],
    { cwd: root },
  );
  assert.is(out.toString('latin1'), '6f8=\nc2VudGluw6hsbGE=\n/y1o\n');
});

test.run();
