// The npm package: `npm pack` in a copy of the repository without dist/ (prepack builds it,
// scripts/pack.mjs), then `npm install` of the tarball into a temporary prefix, offline (the
// package has no runtime dependencies; the registry is a closed loopback port, so nothing can
// be fetched). The install must not warn about install scripts, the four bins answer
// `--version`, LICENSE is in the tarball, and the copy's package.json is left as it was.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { INSTALL_SCRIPTS, packedManifest } from '../../scripts/pack.mjs';

const ROOT = path.resolve('.');
const BINS = ['probe', 'router', 'watcher', 'base64'];
const repoManifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  license: string;
  scripts: Record<string, string>;
};
const npmVersion = spawnSync('npm', ['--version'], { encoding: 'utf8' });
const haveNpm = npmVersion.status === 0;

/** npm with no setting inherited from an `npm test` around us, its own cache, no registry. */
function npm(args: string[], cwd: string, cache: string): SpawnSyncReturns<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...env,
      npm_config_cache: cache,
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    },
  });
}

/** What a clone holds that a pack reads (no dist/), node_modules shared for esbuild. */
function copyOfRepo(dir: string): void {
  for (const f of ['package.json', 'package-lock.json', 'README.md', 'LICENSE', 'tsconfig.json']) {
    if (fs.existsSync(path.join(ROOT, f))) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  }
  for (const d of ['scripts', 'src']) fs.cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
}

test('the packed manifest has no install-time script; the others are kept', () => {
  const text = JSON.stringify({ name: 'x', scripts: { prepare: 'a', postinstall: 'b', build: 'c', prepack: 'd' } });
  assert.equal(JSON.parse(packedManifest(text)), { name: 'x', scripts: { build: 'c', prepack: 'd' } });
  assert.equal(JSON.parse(packedManifest('{"name":"x"}')), { name: 'x' });
});

test("the repository's package.json builds dist/ on `npm ci` (prepare) and in prepack", () => {
  assert.match(repoManifest.scripts.prepare ?? '', 'scripts/build.mjs');
  assert.match(repoManifest.scripts.prepack ?? '', 'scripts/pack.mjs prepack');
  assert.match(repoManifest.scripts.postpack ?? '', 'scripts/pack.mjs postpack');
});

(haveNpm ? test : test.skip)('npm pack, then an offline install: no install-script warning, LICENSE shipped, the bins run', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinella-pack-'));
  try {
    const repo = path.join(work, 'repo');
    const out = path.join(work, 'out');
    const prefix = path.join(work, 'prefix');
    const cache = path.join(work, 'cache');
    for (const d of [repo, out, prefix]) fs.mkdirSync(d);
    copyOfRepo(repo);
    const manifestBefore = fs.readFileSync(path.join(repo, 'package.json'));

    const pack = npm(['pack', '--pack-destination', out], repo, cache);
    assert.is(pack.status, 0, `npm pack:\n${pack.stdout}${pack.stderr}`);
    assert.equal(fs.readFileSync(path.join(repo, 'package.json')), manifestBefore, 'package.json put back after the pack');
    assert.not.ok(fs.existsSync(path.join(repo, 'package.json.prepack')));
    const tarball = path.join(out, `sentinella-${repoManifest.version}.tgz`);
    const listing = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort();
    assert.equal(
      listing,
      ['package/LICENSE', 'package/README.md', ...BINS.map((b) => `package/dist/bin/${b}`).sort(), 'package/package.json'].sort(),
    );
    const shipped = (file: string) => spawnSync('tar', ['-xOzf', tarball, `package/${file}`], { encoding: 'utf8' }).stdout;
    const license = shipped('LICENSE');
    assert.is(license, fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8'));
    assert.match(license, /^MIT License\n\nCopyright \(c\) 2026 the sentinèlla authors\n/);
    const manifest = JSON.parse(shipped('package.json')) as { license: string; scripts: Record<string, string> };
    assert.is(manifest.license, 'MIT');
    assert.equal(
      INSTALL_SCRIPTS.filter((s) => s in manifest.scripts),
      [],
      'no install-time script in the packed package.json',
    );

    const install = npm(['install', '--prefix', prefix, '--offline', tarball], work, cache);
    const said = `${install.stdout}${install.stderr}`;
    console.log(`    npm ${npmVersion.stdout.trim()} install: ${said.trim().split('\n').join(' | ')}`);
    assert.is(install.status, 0, said);
    assert.not.match(said, /install.?scripts?|allowScripts|prepare/i);
    assert.not.match(said, /\bwarn\b/i);
    for (const bin of BINS) {
      const run = spawnSync(path.join(prefix, 'node_modules', '.bin', `sentinella-${bin}`), ['--version'], { encoding: 'utf8' });
      assert.is(run.status, 0, `sentinella-${bin} --version: ${run.stderr}`);
      assert.is(run.stdout, `${bin} (sentinella) ${repoManifest.version}\n`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});

(haveNpm ? test : test.skip)('a pack that stopped half-way: the next pack puts package.json back first', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinella-pack-'));
  try {
    const repo = path.join(work, 'repo');
    fs.mkdirSync(repo);
    copyOfRepo(repo);
    const manifestBefore = fs.readFileSync(path.join(repo, 'package.json'));
    // The tarball cannot be written: npm stops after prepack, without postpack.
    const failed = npm(['pack', '--pack-destination', path.join(work, 'missing', 'dir')], repo, path.join(work, 'cache'));
    assert.is.not(failed.status, 0);
    assert.ok(fs.existsSync(path.join(repo, 'package.json.prepack')), 'left behind by the failed pack');
    const again = npm(['pack', '--dry-run'], repo, path.join(work, 'cache'));
    assert.is(again.status, 0, again.stderr);
    assert.match(again.stderr, 'package.json put back from package.json.prepack');
    assert.equal(fs.readFileSync(path.join(repo, 'package.json')), manifestBefore);
    assert.not.ok(fs.existsSync(path.join(repo, 'package.json.prepack')));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});

test.run();
