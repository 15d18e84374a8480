// Differential: which resolved addresses the port treats as this node's own (SELF, contract
// §6.4, §10) against dash running legacy/watcher.sh's own `is_local` on the same SELF/address
// pairs; and the address words of getent's output (awk's `$1`, then dash's word splitting of
// `$(...)`) against the port's parseGetentHosts. Generated from a fixed seed, one dash each.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { dropLocal, parseGetentHosts } from '../../src/watcher/discovery/resolve.ts';
import { selfWords } from '../../src/env.ts';
import { run } from '../../scripts/lib/process.ts';
import { testIfInstalled } from '../support/installed.ts';
import { Prng } from '../support/prng.ts';
import { inTempDir } from '../support/temp.ts';
import { legacySlice, reportFigures } from './support.ts';

const SEED = 0x5e1f;
const GENERATED = 320;

const ADDRESSES = [
  '127.0.0.1',
  '127.0.0.2',
  '127.0.0.10',
  '127.0.0.20',
  '27.0.0.1',
  '10.0.0.1',
  '10.0.0.10',
  '::1',
  'fe80::1',
  '2001:db8::1',
  '2001:db8::10',
  '192.168.1.1',
];
const ODD = ['*', '127.0.0.*', '[1]', '?', '127.0.0.?', '$x', "'", '"', '\\', '-n', 'é'];
const SEPARATORS = [' ', ' ', ' ', '  ', '\t', '\n', '\r', ' \t ', '\v', '\f'];

function selfText(r: Prng): string {
  const words = Array.from({ length: r.int(1, 4) }, () => (r.chance(0.85) ? r.pick(ADDRESSES) : r.pick(ODD)));
  let text = r.chance(0.2) ? r.pick(SEPARATORS) : '';
  words.forEach((w, i) => (text += (i > 0 ? r.pick(SEPARATORS) : '') + w));
  if (r.chance(0.2)) text += r.pick(SEPARATORS);
  return text;
}

function pairs(): Array<[string, string]> {
  const r = new Prng(SEED);
  const fixed: Array<[string, string]> = [
    ['127.0.0.1', '127.0.0.1'],
    ['127.0.0.1 127.0.0.2', '127.0.0.2'],
    ['127.0.0.1\t127.0.0.2', '127.0.0.1'],
    ['127.0.0.1\t127.0.0.2', '127.0.0.2'],
    ['127.0.0.10', '127.0.0.1'],
    ['27.0.0.1', '127.0.0.1'],
    ['127.0.0.1\n', '127.0.0.1'],
    ['127.0.0.1\n\n\n', '127.0.0.1'],
    ['127.0.0.1\n127.0.0.2\n', '127.0.0.2'],
    ['127.0.0.1 \n', '127.0.0.1'],
    ['  127.0.0.2   127.0.0.1 ', '127.0.0.1'],
    ['127.0.0.*', '127.0.0.2'],
  ];
  const generated = Array.from({ length: GENERATED }, (): [string, string] => {
    const self = selfText(r);
    const words = self.split(/[ \t\n]+/).filter((w) => w !== '');
    const address = r.chance(0.5) && words.length > 0 ? r.pick(words) : r.chance(0.8) ? r.pick(ADDRESSES) : r.pick(ODD);
    return [self, address];
  });
  return [...fixed, ...generated];
}

// local_addresses (SELF read through $(...)), resolve_peers and is_local, as legacy/watcher.sh has them.
const IS_LOCAL = legacySlice(/^local_addresses\(\) \{$/, /^# application\/x-www-form-urlencoded/);

testIfInstalled(['dash'])('SELF matching: the port drops exactly the addresses the legacy is_local finds', async () => {
  const list = pairs();
  await inTempDir('self', async (dir) => {
    list.forEach(([self, address], i) => {
      fs.writeFileSync(path.join(dir, `${i}.self`), self);
      fs.writeFileSync(path.join(dir, `${i}.address`), address);
    });
    // Values read whole (a trailing newline kept, as in the environment).
    const script = `set -eu
${IS_LOCAL}
i=0
while [ -e "$1/$i.self" ]; do
  SELF=$(cat "$1/$i.self"; echo x); SELF=\${SELF%x}
  address=$(cat "$1/$i.address"; echo x); address=\${address%x}
  local_ips=$(local_addresses)
  if is_local "$address" "$local_ips"; then echo 1; else echo 0; fi
  i=$((i + 1))
done
`;
    const r = await run('dash', ['-c', script, 'watcher', dir]);
    assert.is(r.status, 0, r.stderr);
    const legacy = r.stdout.toString('utf8').trimEnd().split('\n');
    assert.is(legacy.length, list.length);
    const differences: string[] = [];
    let local = 0;
    list.forEach(([self, address], i) => {
      const port = dropLocal([address], selfWords(self)).length === 0 ? '1' : '0';
      if (port === '1') local += 1;
      if (port !== legacy[i])
        differences.push(`#${i} SELF=${JSON.stringify(self)} address=${JSON.stringify(address)}: port ${port}, legacy ${legacy[i]}`);
    });
    reportFigures('self match', list.length, differences, `(${local} local)`);
    assert.is(differences.length, 0);
    assert.ok(local > 50 && local < list.length - 50, `${local} local: the generator must reach both outcomes`);
  });
});

testIfInstalled(['dash', 'awk'])('getent words: awk $1 + dash word splitting equal parseGetentHosts', async () => {
  const r = new Prng(SEED + 1);
  const outputs = Array.from(
    { length: GENERATED },
    () =>
      Array.from({ length: r.int(0, 4) }, () => {
        const lead = r.chance(0.15) ? r.pick([' ', '\t', '  ']) : '';
        const names = Array.from({ length: r.int(1, 3) }, () => r.pick(['peers.test', 'a', 'b.example', 'x-y'])).join(
          r.pick([' ', '      ', '\t']),
        );
        return `${lead}${r.pick(ADDRESSES)}${r.pick([' ', '       ', '\t'])}${names}${r.chance(0.1) ? ' ' : ''}`;
      }).join('\n') + (r.chance(0.8) ? '\n' : ''),
  );
  await inTempDir('getent', async (dir) => {
    outputs.forEach((o, i) => fs.writeFileSync(path.join(dir, String(i)), o));
    // The loop of legacy/watcher.sh's resolve_peers, getent replaced by the file.
    const script = `set -eu
i=0
while [ -e "$1/$i" ]; do
  line=
  for address in $(awk '{ print $1 }' "$1/$i"); do line="$line<$address>"; done
  echo "$line"
  i=$((i + 1))
done
`;
    const res = await run('dash', ['-c', script, 'watcher', dir]);
    assert.is(res.status, 0, res.stderr);
    const legacy = res.stdout.toString('utf8').split('\n').slice(0, outputs.length);
    const differences: string[] = [];
    outputs.forEach((o, i) => {
      const port = parseGetentHosts(o)
        .map((a) => `<${a}>`)
        .join('');
      if (port !== legacy[i]) differences.push(`#${i} ${JSON.stringify(o)}: port ${port}, legacy ${legacy[i]}`);
    });
    reportFigures('getent words', outputs.length, differences);
    assert.is(differences.length, 0);
  });
});

test.run();
