// Differential test: the watcher's last state, `last=$(cat <state file>)` (docs/behaviour.md §6 d,
// §9), against the port's readState (src/watcher/state.ts). dash drops every NUL byte of a
// command substitution's output and removes its trailing newlines; CR, bytes above 0x7f and
// inner newlines stay. Generated file contents (NUL, LF, CR, high bytes, state-like text with
// those mixed in), each read by one dash process: the bytes it keeps, and whether they equal
// the state `up:0/0:200` (`[ "$current" != "$last" ]` decides the notification).
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readState, readStateBytes } from '../../src/watcher/state.ts';
import { testIfInstalled } from '../support/installed.ts';
import { Prng } from '../support/prng.ts';
import { inTempDir } from '../support/temp.ts';
import { dash, reportFigures, SEED, show, writeInputs } from './support.ts';

const GENERATED = 400;
const CURRENT = 'up:0/0:200';

const PIECES = [
  '\0',
  '\0',
  '\n',
  '\n',
  '\r',
  '\r\n',
  '\xff',
  '\x80',
  '\xc3\xa9',
  '\xc3',
  '\xa9',
  '\x01',
  ' ',
  'up',
  ':',
  '0/0',
  '200',
  '\x81',
  '\x88',
  '\\',
  '$',
];

function content(rng: Prng): Buffer {
  if (rng.next() < 0.4) {
    // The current state with NULs and newlines put in: equal or not after dash.
    let text = '';
    for (const ch of CURRENT) {
      text += ch;
      if (rng.next() < 0.15) text += rng.pick(['\0', '\0\0', '\n', '\r', '\0\n']);
    }
    return Buffer.from(text + rng.join(['\0', '\n', '\n', '\r'], rng.int(0, 3)), 'latin1');
  }
  if (rng.next() < 0.2) return Buffer.from(Array.from({ length: rng.int(0, 24) }, () => rng.int(0, 255)));
  return Buffer.from(rng.join(PIECES, rng.int(0, 12)), 'latin1');
}

const EDGE = [
  '',
  '\0',
  '\n',
  '\n\0\n',
  'up:0/0:200\0\n\0',
  'do\0wn:0/0:000',
  'up:0/0:200\n\n',
  'up:0/0:200\r\n',
  '\0up:0/0:200',
  '\xc3\0\xa9',
];

testIfInstalled(['dash', 'cat'])('dash: `$(cat <state file>)` keeps what readState reads', () => {
  const rng = new Prng(SEED);
  return inTempDir('substitution', (dir) => {
    const inputs: Buffer[] = EDGE.map((text) => Buffer.from(text, 'latin1'));
    while (inputs.length < EDGE.length + GENERATED) inputs.push(content(rng));
    const files = writeInputs(dir, inputs);
    // Each file's kept bytes go to <file>.out (any byte may be in them); the comparison with
    // the current state to <file>.eq.
    dash(
      `for f; do last=$(cat "$f" 2> /dev/null) || last=; printf '%s' "$last" > "$f.out"; if [ "${CURRENT}" != "$last" ]; then echo changed; else echo same; fi > "$f.eq"; done`,
      files,
    );
    const differences: string[] = [];
    let withNul = 0;
    let same = 0;
    for (const [i, file] of files.entries()) {
      const kept = readFileSync(`${file}.out`);
      const decision = readFileSync(`${file}.eq`, 'latin1').trim();
      const port = readStateBytes(file);
      const portDecision = readState(file) !== CURRENT ? 'changed' : 'same';
      if (!port.equals(kept)) differences.push(`${show(inputs[i] as Buffer)}: dash ${show(kept)}, port ${show(port)}`);
      if (portDecision !== decision) differences.push(`${show(inputs[i] as Buffer)}: dash ${decision}, port ${portDecision}`);
      if ((inputs[i] as Buffer).includes(0)) withNul += 1;
      if (decision === 'same') same += 1;
    }
    reportFigures('dash $(cat state)', inputs.length, differences, `(${withNul} with NUL bytes, ${same} equal to ${CURRENT})`);
    assert.equal(differences, []);
    assert.ok(withNul > 50 && same > 20, `inputs too tame: ${withNul} with NUL, ${same} equal`);
  });
});

test.run();
