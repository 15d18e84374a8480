#!/usr/bin/env node
// Assembles the shell originals from legacy/ into a bin dir, the way nixpkgs'
// writeShellApplication builds them (docs/behaviour.md §1):
//
//   #!<dash>
//   set -o errexit
//   set -o nounset
//   export PATH="<bindir>:<dirs of the runtime inputs>:$PATH"   (not for base64)
//   <program text>            router and watcher: log.sh + colors.sh + program text
//
// Besides the four originals: `watcher-srv`, upstream's later watcher that finds its peers in
// SRV records (docs/behaviour.md §12), assembled like `watcher`; the golden cases of the SRV
// mode run it on the legacy side (their `legacyProgram`).
//
//   node scripts/build-legacy.mjs [outdir]      (default build/legacy/bin)
//
// The golden suite runs this before every run, so it is idempotent and cheap: a file is
// rewritten only when its bytes change, through a rename so that a program being executed
// at that moment is never seen half-written.
import { fs, path } from 'zx';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const legacy = path.join(root, 'legacy');
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'build', 'legacy', 'bin'));

// Program -> [texts concatenated in order, runtime inputs (commands whose directory goes on
// PATH after the bin dir; `null` = no PATH line at all)].
const PROGRAMS = {
  base64: [['base64.sh'], null],
  router: [['log.sh', 'colors.sh', 'router.sh'], ['gawk']],
  probe: [['probe.sh'], ['socat']],
  watcher: [
    ['log.sh', 'colors.sh', 'watcher.sh'],
    ['curl', 'jq', 'hostname'],
  ],
  'watcher-srv': [
    ['log.sh', 'colors.sh', 'watcher-srv.sh'],
    ['curl', 'jq', 'dig', 'ip'],
  ],
};

/** The first executable `name` on PATH, or undefined. */
function which(name) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** Text safe inside a double-quoted shell word. */
function dq(text) {
  return text.replace(/[\\"$`]/g, (c) => `\\${c}`);
}

const dash = fs.existsSync('/usr/bin/dash') ? '/usr/bin/dash' : which('dash');
if (!dash) {
  console.error('build-legacy: dash not found (apt-get install dash)');
  process.exit(1);
}

fs.mkdirSync(outDir, { recursive: true });
const texts = new Map();
const readText = (name) => {
  if (!texts.has(name)) texts.set(name, fs.readFileSync(path.join(legacy, name), 'utf8'));
  return texts.get(name);
};

let written = 0;
for (const [name, [parts, inputs]] of Object.entries(PROGRAMS)) {
  const lines = [`#!${dash}`, 'set -o errexit', 'set -o nounset'];
  if (inputs) {
    const dirs = [outDir];
    for (const input of inputs) {
      const found = which(input);
      if (found && !dirs.includes(path.dirname(found))) dirs.push(path.dirname(found));
    }
    lines.push(`export PATH="${dq(dirs.join(':'))}:$PATH"`);
  }
  const content = `${lines.join('\n')}\n${parts.map(readText).join('')}`;
  const target = path.join(outDir, name);
  let current;
  try {
    current = fs.readFileSync(target, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== content) {
    const tmp = `${target}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, content, { mode: 0o755 });
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, target);
    written += 1;
  } else if ((fs.statSync(target).mode & 0o777) !== 0o755) {
    fs.chmodSync(target, 0o755);
  }
}
console.log(`legacy programs in ${outDir} (${written} rewritten)`);
