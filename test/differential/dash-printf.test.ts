// Differential test: the originals' `log` helper (legacy/log.sh + legacy/colors.sh, run by the
// real dash: colours as escaped text, the reset replacement on the text `\033[0m`, then
// `printf '%b\n'` over the line and any extra arguments) against the port's formatLogLine
// (src/log.ts), which reimplements dash 0.5.12's `%b` (docs/behaviour.md §2, §8). One dash process
// handles every input; each output goes to its own file, so any byte can come out.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatLogLine } from '../../src/log.ts';
import { Prng } from '../support/prng.ts';
import { dashOutputs, reportFigures, seededInputs, show } from './support.ts';

const legacy = path.join(path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url)))), 'legacy');

const LEVELS = ['trace', 'debug', 'info', 'notice', 'warn', 'error', 'other', 'INFO'];
const PIECES = [
  'a',
  'é',
  ' ',
  'http://127.0.0.2:8080/',
  '\\',
  '\\\\',
  '\\0',
  '\\00',
  '\\000',
  '\\0000',
  '\\0101',
  '\\101',
  '\\1',
  '\\7',
  '\\8',
  '\\9',
  '\\c',
  '\\e',
  '\\E',
  '\\x41',
  '\\u00e9',
  '\\033[0m',
  '\\033[37m',
  '\\033[0',
  '\\n',
  '\\t',
  '\\r',
  '\\a',
  '\\b',
  '\\f',
  '\\v',
  '\\q',
  '\\"',
  '0',
  '1',
  '7',
  '9',
  '[',
  'm',
  '%',
  '%s',
  '%b',
  '\\%',
  '-> 000',
  '\\0351',
];

interface LogInput {
  readonly level: string;
  readonly message: string;
  readonly extra: readonly string[];
}

// The contract's examples (§2, §8) first.
const EDGE: LogInput[] = [
  { level: 'info', message: 'polling peers via \\033[37mpeers.test\\033[0m every \\033[37m3\\033[0ms', extra: [] },
  { level: 'warn', message: 'a\\0b', extra: [] },
  { level: 'info', message: 'x\\cy', extra: ['never'] },
  { level: 'error', message: '\\x41\\u00e9', extra: [] },
  { level: 'notice', message: 'one', extra: ['two', 'th\\tree'] },
  { level: 'debug', message: 'a', extra: ['b\\cc', 'd'] },
  { level: 'trace', message: '\\e[0m', extra: [] },
  { level: 'nope', message: '', extra: [] },
];

function generate(rng: Prng): LogInput {
  const extra: string[] = [];
  if (rng.next() < 0.3) for (let i = rng.int(1, 2); i > 0; i--) extra.push(rng.join(PIECES, rng.int(0, 5)));
  return { level: rng.pick(LEVELS), message: rng.join(PIECES, rng.int(0, 10)), extra };
}

const SCRIPT = `. "$LEGACY/log.sh"
. "$LEGACY/colors.sh"
for f in "$@"; do
  {
    IFS= read -r level
    IFS= read -r message
    set --
    while IFS= read -r extra; do set -- "$@" "$extra"; done
  } < "$f"
  log "$level" "$message" "$@" 2> "$f.out"
done`;

test('dash printf %b through the log helper', async () => {
  const inputs = seededInputs(EDGE, 400, generate);
  const files = inputs.map((i) => Buffer.from([i.level, i.message, ...i.extra].map((l) => `${l}\n`).join(''), 'utf8'));
  const outputs = await dashOutputs('printf', `LEGACY='${legacy}'\n${SCRIPT}`, files);
  const differences: string[] = [];
  inputs.forEach((input, i) => {
    const expected = outputs[i] as Buffer;
    const port = formatLogLine(input.level, input.message, input.extra);
    if (!port.equals(expected)) differences.push(`${JSON.stringify(input)}: dash ${show(expected)}, port ${show(port)}`);
  });
  reportFigures('dash printf %b (log)', inputs.length, differences);
  assert.equal(differences, []);
});

test.run();
