// The Nix checks: every .nix file parses, and nix/module.nix, evaluated by nixpkgs' real
// lib.evalModules (the module system NixOS itself runs) for sample configurations, declares
// exactly the options of docs/behaviour.md §11 and generates exactly its units. Around the module:
// test/nix/nixos.nix (the NixOS options it sets) and test/nix/stub-pkgs.nix (the packages
// package.nix asks for). nixpkgs' lib comes from NIXPKGS_LIB, else from a local nixpkgs on
// NIX_PATH; without one the evaluation tests are skipped (uvu skips, counted as skipped).
// Also checks packaging/systemd/*.service against the same settings.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const evaluateNix = path.join(root, 'test/nix/evaluate.nix');

// nix-instantiate wants a state directory; a private one works as root or not, in a fresh
// clone, without touching /nix/var. No build users: nothing is built.
const nixHome = mkdtempSync(path.join(tmpdir(), 'sentinella-nix-'));
const nixEnv = {
  ...process.env,
  NIX_STATE_DIR: path.join(nixHome, 'state'),
  NIX_LOG_DIR: path.join(nixHome, 'log'),
  NIX_STORE_DIR: path.join(nixHome, 'store'),
  NIX_CONF_DIR: path.join(nixHome, 'conf'),
  NIX_CONFIG: 'build-users-group =',
  NIX_PATH: '',
};

/**
 * nixpkgs' lib: NIXPKGS_LIB, else `<nixpkgs/lib>` for the first local nixpkgs on NIX_PATH
 * (`nixpkgs=/path` or a dir holding `nixpkgs/`; URLs are never fetched). A NIXPKGS_LIB that
 * holds no lib is a failure, not a skip.
 */
function findNixpkgsLib(env: NodeJS.ProcessEnv): { dir: string | null; problem?: string } {
  if (env.NIXPKGS_LIB) {
    const dir = path.resolve(env.NIXPKGS_LIB);
    return existsSync(path.join(dir, 'default.nix'))
      ? { dir }
      : { dir: null, problem: `NIXPKGS_LIB=${env.NIXPKGS_LIB} holds no default.nix` };
  }
  for (const entry of (env.NIX_PATH ?? '').split(':')) {
    const candidate = entry.startsWith('nixpkgs=')
      ? entry.slice('nixpkgs='.length)
      : entry.includes('=')
        ? ''
        : path.join(entry, 'nixpkgs');
    if (candidate.startsWith('/') && existsSync(path.join(candidate, 'lib', 'default.nix'))) return { dir: path.join(candidate, 'lib') };
  }
  return { dir: null };
}

const nixpkgsLib = findNixpkgsLib(process.env);
/** A test that needs nixpkgs' lib: an uvu skip without one. */
const evalTest = (name: string, fn: () => Promise<void>) => (nixpkgsLib.dir ? test(name, fn) : test.skip(name, fn));
if (!nixpkgsLib.dir && !nixpkgsLib.problem) {
  console.log(
    '# nix: module evaluation tests skipped (no nixpkgs lib); to run them: NIXPKGS_LIB=<nixpkgs>/lib npm test -- nix (e.g. ../shared/vendor/nixpkgs-lib/lib), or nixpkgs on NIX_PATH',
  );
}
if (nixpkgsLib.problem) {
  test("NIXPKGS_LIB names nixpkgs' lib", () => assert.unreachable(nixpkgsLib.problem));
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function nixInstantiate(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('nix-instantiate', args, { env: nixEnv, timeout: 60_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
      resolve({ code, stdout, stderr: stderr || (error && !stderr ? String(error.message) : '') });
    });
  });
}

interface Unit {
  after: string[];
  wantedBy: string[];
  environment: Record<string, string>;
  serviceConfig: Record<string, string | boolean>;
}
interface Evaluation {
  units: Record<string, Unit>;
  options: { loc: string; type: string; default?: unknown }[];
  /** How this lib describes the types of docs/behaviour.md §11 (descriptions change between releases). */
  types: Record<'bool' | 'port' | 'int' | 'str' | 'listOfStr' | 'nullOrStr' | 'nullOrPath' | 'nullOrUnsigned' | 'nullOrQuorum', string>;
  package: Record<string, unknown> & {
    installPhase: string;
    src: string[];
    lockedPackages: Record<string, { resolved: string | null; integrity: string | null }>;
  };
}

/** Evaluates the module with `configuration` (Nix source of a module); throws nix's stderr. */
async function evaluate(configuration: string): Promise<Evaluation> {
  const libDir = nixpkgsLib.dir as string;
  const run = await nixInstantiate([
    '--eval',
    '--strict',
    '--json',
    evaluateNix,
    '--argstr',
    'libDir',
    libDir,
    '--arg',
    'configuration',
    configuration,
  ]);
  if (run.code !== 0) throw new Error(run.stderr.trim());
  return JSON.parse(run.stdout) as Evaluation;
}

async function evaluationError(configuration: string): Promise<string> {
  try {
    await evaluate(configuration);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('evaluation succeeded but should have failed');
}

const STORE = '/nix/store/00000000000000000000000000000000-sentinella-0.1.0';
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

// docs/behaviour.md §11, "Both units".
const BOTH_UNITS = {
  Type: 'simple',
  Restart: 'always',
  RestartSec: '5s',
  TimeoutStopSec: '30s',
  KillSignal: 'SIGTERM',
  KillMode: 'mixed',
  RemainAfterExit: false,
  StandardOutput: 'journal',
  StandardError: 'journal',
};

function expectedUnit(program: 'probe' | 'watcher', environment: Record<string, string>, extra: Record<string, string> = {}): Unit {
  return {
    after: ['network.target'],
    wantedBy: ['multi-user.target'],
    environment,
    serviceConfig: {
      ...BOTH_UNITS,
      ExecStart: `${STORE.replace('0.1.0', version)}/bin/${program}`,
      ...(program === 'watcher' ? { StateDirectory: 'sentinella' } : {}),
      ...extra,
    },
  };
}

/** The watcher unit with the module's defaults for what `env` does not set (PEERS_DNS mode). */
const watcherUnit = (env: Record<string, string>, extra: Record<string, string> = {}): Unit =>
  expectedUnit(
    'watcher',
    { PEERS_PORT: '5988', PEERS_SCHEME: 'http', POLLING_INTERVAL_SEC: '3', STATE_DIR: '/var/lib/sentinella', ...env },
    extra,
  );

const NS = 'hectic.services."sentinèlla"';

test('nix-instantiate is available (Debian nix-bin; .ci/run installs it)', async () => {
  const run = await nixInstantiate(['--version']);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /nix-instantiate \(Nix\)/);
});

test('every .nix file in the repository parses', async () => {
  const files: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 6) return;
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.') || name === 'build' || name === 'dist') continue;
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full, depth + 1);
      else if (name.endsWith('.nix')) files.push(full);
    }
  };
  walk(root, 0);
  for (const expected of ['nix/package.nix', 'nix/module.nix', 'test/nix/evaluate.nix', 'test/nix/nixos.nix', 'test/nix/stub-pkgs.nix']) {
    assert.ok(files.includes(path.join(root, expected)), `${expected} exists`);
  }
  for (const file of files) {
    const run = await nixInstantiate(['--parse', file]);
    assert.is(run.code, 0, `${path.relative(root, file)}: ${run.stderr}`);
  }
});

evalTest('the module declares exactly the options of docs/behaviour.md §11', async () => {
  const { options, types: t } = await evaluate('{ }');
  const declared = Object.fromEntries(
    options.filter((o) => o.loc.startsWith('hectic.services.')).map((o) => [o.loc, { type: o.type, default: o.default }]),
  );
  const p = 'hectic.services.sentinèlla.';
  assert.equal(declared, {
    [`${p}probe.enable`]: { type: t.bool, default: false },
    [`${p}probe.port`]: { type: t.port, default: 5988 },
    [`${p}probe.urls`]: { type: t.listOfStr, default: [] },
    [`${p}probe.volumes`]: { type: t.listOfStr, default: [] },
    [`${p}probe.authFile`]: { type: t.nullOrPath, default: null },
    [`${p}probe.environmentFile`]: { type: t.nullOrPath, default: null },
    [`${p}mesh.quorum`]: { type: t.nullOrQuorum, default: null },
    [`${p}probe.certDays`]: { type: t.nullOrUnsigned, default: null },
    [`${p}probe.statusPage`]: { type: t.bool, default: false },
    [`${p}watcher.enable`]: { type: t.bool, default: false },
    [`${p}watcher.peersDns`]: { type: t.str, default: undefined },
    [`${p}watcher.peersSrv`]: { type: t.nullOrStr, default: null },
    [`${p}watcher.self`]: { type: t.nullOrStr, default: null },
    [`${p}watcher.peersPort`]: { type: t.port, default: 5988 },
    [`${p}watcher.peersScheme`]: { type: t.str, default: 'http' },
    [`${p}watcher.pollingIntervalSec`]: { type: t.int, default: 3 },
    [`${p}watcher.tgToken`]: { type: t.nullOrStr, default: null },
    [`${p}watcher.tgChatId`]: { type: t.nullOrStr, default: null },
    [`${p}watcher.environmentFile`]: { type: t.nullOrPath, default: null },
    [`${p}watcher.digest`]: { type: t.bool, default: false },
    [`${p}watcher.alertmanagerUrls`]: { type: t.listOfStr, default: [] },
    [`${p}watcher.webhookUrls`]: { type: t.listOfStr, default: [] },
    [`${p}watcher.telegramApiUrl`]: { type: t.nullOrStr, default: null },
    [`${p}watcher.metricsFile`]: { type: t.nullOrStr, default: null },
  });
  // Aliases live elsewhere, never replace the real paths, and take their target's type.
  const aliases = Object.fromEntries(
    options.filter((o) => o.loc.startsWith('hectic.sentinella.')).map((o) => [o.loc.split('.').pop(), o.type]),
  );
  assert.equal(aliases, {
    enable: t.bool,
    peersDns: t.str,
    pollingIntervalSec: t.int,
    port: t.port,
    self: t.nullOrStr,
    tgChatId: t.nullOrStr,
    tgToken: t.nullOrStr,
    urls: t.listOfStr,
    volumes: t.listOfStr,
  });
});

evalTest('defaults: nothing enabled, no unit', async () => {
  const { units } = await evaluate('{ }');
  assert.equal(units, {});
});

evalTest('probe with defaults: only PORT', async () => {
  const { units } = await evaluate(`{ ${NS}.probe.enable = true; }`);
  assert.equal(units, { 'sentinella-probe': expectedUnit('probe', { PORT: '5988' }) });
});

evalTest('probe with urls, volumes, authFile and a port', async () => {
  const { units } = await evaluate(`{
    ${NS}.probe = {
      enable = true;
      port = 8080;
      urls = [ "https://example.test/health" "http://127.0.0.1:1/x" ];
      volumes = [ "/" "/var/lib" ];
      authFile = "/run/secrets/sentinella-auth";
    };
  }`);
  assert.equal(units, {
    'sentinella-probe': expectedUnit('probe', {
      PORT: '8080',
      URLS: 'https://example.test/health http://127.0.0.1:1/x',
      VOLUMES: '/ /var/lib',
      AUTH_FILE: '/run/secrets/sentinella-auth',
    }),
  });
});

evalTest('a path literal for authFile/environmentFile names the file, never a store copy', async () => {
  const { units } = await evaluate(`{
    ${NS}.probe = { enable = true; authFile = /run/secrets/auth; environmentFile = /etc/sentinella/probe.env; };
  }`);
  const unit = units['sentinella-probe'];
  assert.is(unit?.environment.AUTH_FILE, '/run/secrets/auth');
  assert.is(unit?.serviceConfig.EnvironmentFile, '/etc/sentinella/probe.env');
});

evalTest('watcher with self, tgToken and environmentFile', async () => {
  const { units } = await evaluate(`{
    ${NS}.watcher = {
      enable = true;
      peersDns = "peers.sentinella.test";
      self = "192.0.2.1 192.0.2.9";
      tgToken = "123:abc";
      environmentFile = "/etc/sentinella/watcher.env";
    };
  }`);
  assert.equal(units, {
    'sentinella-watcher': watcherUnit(
      { PEERS_DNS: 'peers.sentinella.test', SELF: '192.0.2.1 192.0.2.9', TG_TOKEN: '123:abc' },
      { EnvironmentFile: '/etc/sentinella/watcher.env' },
    ),
  });
});

evalTest('both enabled, every watcher option set', async () => {
  const { units } = await evaluate(`{
    ${NS} = {
      probe = { enable = true; environmentFile = "/etc/sentinella/probe.env"; };
      watcher = {
        enable = true;
        peersDns = "peers.test";
        peersPort = 6000;
        peersScheme = "https";
        pollingIntervalSec = 10;
        tgToken = "t";
        tgChatId = "-100";
      };
    };
  }`);
  assert.equal(units, {
    'sentinella-probe': expectedUnit('probe', { PORT: '5988' }, { EnvironmentFile: '/etc/sentinella/probe.env' }),
    'sentinella-watcher': watcherUnit({
      PEERS_DNS: 'peers.test',
      PEERS_PORT: '6000',
      PEERS_SCHEME: 'https',
      POLLING_INTERVAL_SEC: '10',
      TG_TOKEN: 't',
      TG_CHAT_ID: '-100',
    }),
  });
});

evalTest('issue 11: digest, alertmanagerUrls and metricsFile set their variables', async () => {
  const { units } = await evaluate(`{
    ${NS}.watcher = {
      enable = true;
      peersDns = "p";
      digest = true;
      alertmanagerUrls = [ "http://127.0.0.1:9093" "http://am2.test:9093" ];
      metricsFile = "/var/lib/prometheus-node-exporter-text-files/sentinella.prom";
    };
  }`);
  const env = units['sentinella-watcher']?.environment ?? {};
  assert.is(env.DIGEST, '1');
  assert.is(env.ALERTMANAGER_URLS, 'http://127.0.0.1:9093 http://am2.test:9093');
  assert.is(env.METRICS_FILE, '/var/lib/prometheus-node-exporter-text-files/sentinella.prom');
  const off =
    (await evaluate(`{ ${NS}.watcher = { enable = true; peersDns = "p"; digest = false; }; }`)).units['sentinella-watcher']?.environment ??
    {};
  assert.equal([off.DIGEST, off.ALERTMANAGER_URLS, off.METRICS_FILE], [undefined, undefined, undefined]);
});
evalTest(
  'watcher.webhookUrls and watcher.telegramApiUrl set WEBHOOK_URLS and TG_API_URL (docs/behaviour.md §10); unset, nothing',
  async () => {
    const { units } = await evaluate(`{
    ${NS}.watcher = {
      enable = true;
      peersDns = "p";
      webhookUrls = [ "https://hooks.slack.com/services/T0/B0/X" "http://chat.test/hooks/abc?x=1" ];
      telegramApiUrl = "http://127.0.0.1:8081";
    };
  }`);
    assert.equal(
      units['sentinella-watcher'],
      watcherUnit({
        PEERS_DNS: 'p',
        WEBHOOK_URLS: 'https://hooks.slack.com/services/T0/B0/X http://chat.test/hooks/abc?x=1',
        TG_API_URL: 'http://127.0.0.1:8081',
      }),
    );
    const off = (await evaluate(`{ ${NS}.watcher = { enable = true; peersDns = "p"; webhookUrls = [ ]; }; }`)).units['sentinella-watcher'];
    assert.equal([off?.environment.WEBHOOK_URLS, off?.environment.TG_API_URL], [undefined, undefined]);
    assert.match(
      await evaluationError(`{ ${NS}.watcher = { enable = true; peersDns = "p"; webhookUrls = "http://a"; }; }`),
      /watcher\.webhookUrls' is not of type/,
    );
    assert.match(
      await evaluationError(`{ ${NS}.watcher = { enable = true; peersDns = "p"; telegramApiUrl = [ ]; }; }`),
      /watcher\.telegramApiUrl' is not of type/,
    );
  },
);
evalTest('mesh.quorum: QUORUM on the watcher, the same VIEW_FILE on both units in a shared runtime directory; null: nothing', async () => {
  const both = `${NS} = { probe.enable = true; watcher = { enable = true; peersDns = "p"; }; }`;
  const { units } = await evaluate(`{ ${both}; ${NS}.mesh.quorum = "majority"; }`);
  const shared = { RuntimeDirectory: 'sentinella', RuntimeDirectoryPreserve: 'yes' };
  assert.equal(units['sentinella-probe'], expectedUnit('probe', { PORT: '5988', VIEW_FILE: '/run/sentinella/view.json' }, shared));
  assert.equal(
    units['sentinella-watcher'],
    expectedUnit(
      'watcher',
      {
        PEERS_DNS: 'p',
        PEERS_PORT: '5988',
        PEERS_SCHEME: 'http',
        POLLING_INTERVAL_SEC: '3',
        STATE_DIR: '/var/lib/sentinella',
        QUORUM: 'majority',
        VIEW_FILE: '/run/sentinella/view.json',
      },
      shared,
    ),
  );
  const three = (await evaluate(`{ ${both}; ${NS}.mesh.quorum = 3; }`)).units['sentinella-watcher']?.environment ?? {};
  assert.is(three.QUORUM, '3');
  const off = await evaluate(`{ ${both}; }`);
  assert.equal(
    [off.units['sentinella-probe']?.environment.VIEW_FILE, off.units['sentinella-watcher']?.environment.QUORUM],
    [undefined, undefined],
  );
  assert.is(off.units['sentinella-watcher']?.serviceConfig.RuntimeDirectory, undefined);
  for (const bad of ['0', '"half"', '"3"']) {
    assert.match(await evaluationError(`{ ${both}; ${NS}.mesh.quorum = ${bad}; }`), /mesh\.quorum' is not of type/);
  }
});

evalTest('probe.certDays and probe.statusPage set CERT_DAYS and STATUS_PAGE (docs/behaviour.md §10); unset, nothing', async () => {
  const { units } = await evaluate(`{ ${NS}.probe = { enable = true; certDays = 14; statusPage = true; }; }`);
  assert.equal(units, { 'sentinella-probe': expectedUnit('probe', { PORT: '5988', CERT_DAYS: '14', STATUS_PAGE: '1' }) });
  const zero = (await evaluate(`{ ${NS}.probe = { enable = true; certDays = 0; statusPage = false; }; }`)).units['sentinella-probe'];
  assert.equal(zero?.environment, { PORT: '5988', CERT_DAYS: '0' });
  assert.match(await evaluationError(`{ ${NS}.probe = { enable = true; certDays = -1; }; }`), /probe\.certDays' is not of type/);
  assert.match(await evaluationError(`{ ${NS}.probe = { enable = true; certDays = "14"; }; }`), /probe\.certDays' is not of type/);
  assert.match(await evaluationError(`{ ${NS}.probe = { enable = true; statusPage = 1; }; }`), /probe\.statusPage' is not of type/);
});
evalTest('empty values write no Environment line', async () => {
  const { units } = await evaluate(`{
    ${NS}.watcher = { enable = true; peersDns = "p"; self = ""; tgToken = ""; tgChatId = ""; };
  }`);
  assert.equal(Object.keys(units['sentinella-watcher']?.environment ?? {}).sort(), [
    'PEERS_DNS',
    'PEERS_PORT',
    'PEERS_SCHEME',
    'POLLING_INTERVAL_SEC',
    'STATE_DIR',
  ]);
});

evalTest('watcher.peersDns has no default: enabling the watcher without it fails', async () => {
  const message = await evaluationError(`{ ${NS}.watcher.enable = true; }`);
  assert.match(message, /watcher\.peersDns' was accessed but has no value defined/);
  // ...but a disabled watcher never needs it.
  assert.equal((await evaluate(`{ ${NS}.probe.enable = true; }`)).units['sentinella-watcher'], undefined);
});

evalTest('watcher.peersSrv (§12): PEERS_SRV, and then neither PEERS_DNS nor PEERS_PORT, peersDns not required', async () => {
  const { units } = await evaluate(`{
    ${NS}.watcher = { enable = true; peersSrv = "_sentinella._tcp.example.org"; tgToken = "t"; };
  }`);
  assert.equal(units, {
    'sentinella-watcher': expectedUnit('watcher', {
      PEERS_SRV: '_sentinella._tcp.example.org',
      PEERS_SCHEME: 'http',
      POLLING_INTERVAL_SEC: '3',
      TG_TOKEN: 't',
      STATE_DIR: '/var/lib/sentinella',
    }),
  });
  // Both set: PEERS_SRV alone, as the watcher would use it anyway (it wins over PEERS_DNS).
  const both = await evaluate(`{ ${NS}.watcher = { enable = true; peersDns = "p"; peersPort = 6000; peersSrv = "_s._tcp.p"; }; }`);
  const env = both.units['sentinella-watcher']?.environment ?? {};
  assert.equal([env.PEERS_SRV, env.PEERS_DNS, env.PEERS_PORT], ['_s._tcp.p', undefined, undefined]);
  assert.match(await evaluationError(`{ ${NS}.watcher = { enable = true; peersSrv = 5; }; }`), /watcher\.peersSrv' is not of type/);
});

evalTest('types are enforced: port range, port type, unknown option', async () => {
  assert.match(
    await evaluationError(`{ ${NS}.probe = { enable = true; port = 70000; }; }`),
    /option `hectic\.services\."sentinèlla"\.probe\.port' is not of type `16 bit unsigned integer; between 0 and 65535[^]*70000/,
  );
  assert.match(await evaluationError(`{ ${NS}.probe = { enable = true; port = "5988"; }; }`), /probe\.port' is not of type/);
  assert.match(await evaluationError(`{ ${NS}.probe = { enable = true; prot = 1; }; }`), /probe\.prot' does not exist/);
  assert.match(await evaluationError(`{ ${NS}.probe = { enable = true; urls = "http://a"; }; }`), /probe\.urls' is not of type/);
  assert.match(
    await evaluationError(`{ ${NS}.probe = { enable = true; authFile = "secrets/auth"; }; }`),
    /probe\.authFile' is not of type/,
  );
  assert.match(
    await evaluationError(`{ ${NS}.watcher = { enable = true; peersDns = "p"; pollingIntervalSec = "3"; }; }`),
    /watcher\.pollingIntervalSec' is not of type/,
  );
  // A unit field NixOS does not have is refused too (nixos.nix declares NixOS' own names).
  assert.match(await evaluationError(`{ systemd.services.sentinella-probe.serviceConfg = { }; }`), /serviceConfg' does not exist/);
});

evalTest('an existing configuration module (function form, mkDefault, mkIf) evaluates unchanged', async () => {
  const { units } = await evaluate(`{ config, lib, pkgs, ... }: {
    ${NS} = {
      probe = {
        enable = lib.mkDefault true;
        urls = [ "https://example.org/health" ];
        authFile = "/run/secrets/sentinella-auth";
      };
      watcher = lib.mkIf config.${NS}.probe.enable {
        enable = true;
        peersDns = "peers.sentinella.example";
        environmentFile = "/run/secrets/sentinella-watcher.env";
      };
    };
  }`);
  assert.equal(units, {
    'sentinella-probe': expectedUnit('probe', {
      PORT: '5988',
      URLS: 'https://example.org/health',
      AUTH_FILE: '/run/secrets/sentinella-auth',
    }),
    'sentinella-watcher': watcherUnit(
      { PEERS_DNS: 'peers.sentinella.example' },
      { EnvironmentFile: '/run/secrets/sentinella-watcher.env' },
    ),
  });
});

evalTest("the design note's flat names are aliases of the real options", async () => {
  const flat = await evaluate(`{
    hectic.sentinella = {
      enable = true;
      peersDns = "peers.test";
      self = "192.0.2.1";
      port = 6000;
      urls = [ "http://a" ];
      volumes = [ "/" ];
      tgToken = "t";
      tgChatId = "c";
      pollingIntervalSec = 7;
    };
  }`);
  const real = await evaluate(`{
    ${NS} = {
      probe = { enable = true; port = 6000; urls = [ "http://a" ]; volumes = [ "/" ]; };
      watcher = {
        enable = true; peersDns = "peers.test"; self = "192.0.2.1"; peersPort = 6000;
        tgToken = "t"; tgChatId = "c"; pollingIntervalSec = 7;
      };
    };
  }`);
  assert.equal(flat.units, real.units);
  assert.is(Object.keys(flat.units).length, 2);
  // A conflict between an alias and the real option is an error, not a silent pick.
  assert.match(
    await evaluationError(`{ hectic.sentinella.port = 6000; ${NS}.probe = { enable = true; port = 7000; }; }`),
    /probe\.port' has conflicting definition values/,
  );
  // The alias keeps its definition's priority: a mkDefault alias yields to the real option.
  const prio = await evaluate(
    `{ lib, ... }: { hectic.sentinella.port = lib.mkDefault 6000; ${NS}.probe = { enable = true; port = 7000; }; }`,
  );
  assert.is(prio.units['sentinella-probe']?.environment.PORT, '7000');
  // A bad value through an alias is refused by the real option's type.
  assert.match(
    await evaluationError(`{ hectic.sentinella = { enable = true; port = 70000; }; }`),
    /probe\.port' is not of type `16 bit unsigned[^]*70000/,
  );
  // Setting enable = false through the alias changes nothing.
  assert.equal((await evaluate('{ hectic.sentinella.enable = false; }')).units, {});
});

evalTest('the package: importNpmLock, Node 20, bin/ holds exactly probe and watcher', async () => {
  const { package: pkg } = await evaluate('{ }');
  assert.is(pkg.pname, 'sentinella');
  assert.is(pkg.version, version);
  assert.is(pkg.nodejs, 'nodejs-20.20.0');
  assert.is(pkg.npmDeps, 'npm-deps');
  assert.is(pkg.npmRoot, root);
  assert.is(pkg.npmConfigHook, 'import-npm-lock-config-hook');
  assert.is(pkg.npmBuildScript, 'build');
  // Only what the build reads (tests, docs and legacy/ do not rebuild the package).
  assert.equal(
    pkg.src,
    ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs', 'src'].map((f) => path.join(root, f)),
  );
  const install = pkg.installPhase;
  // Everything goes to libexec; only the two wrappers go to bin/.
  const binWrites = [...install.matchAll(/\$out\/bin\/(\S+)/g)].map((m) => m[1]);
  assert.equal(binWrites, ['probe', 'watcher']);
  // The probe's node flag of its shebang line (scripts/build.mjs) survives the wrapper.
  assert.match(install, /\$out\/bin\/probe \\\n\s+--add-flags "--max-semi-space-size=4 \$out\/libexec\/sentinella\/probe"/);
  assert.match(install, /-t \$out\/libexec\/sentinella dist\/bin\/probe dist\/bin\/router dist\/bin\/watcher dist\/bin\/base64/);
  // The wrappers' PATH: libexec first (internal programs), then Node 20, getent and df.
  const wrapperPath = /--prefix PATH : (\S+)/.exec(install)?.[1]?.split(':');
  assert.equal(wrapperPath, [
    '$out/libexec/sentinella',
    '/nix/store/00000000000000000000000000000000-nodejs-20.20.0/bin',
    '/nix/store/00000000000000000000000000000000-getent-glibc-2.40/bin',
    '/nix/store/00000000000000000000000000000000-coreutils-9.5/bin',
  ]);
});

evalTest('importNpmLock gets a URL and an integrity hash for every locked package', async () => {
  const { package: pkg } = await evaluate('{ }');
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; resolved?: string; integrity?: string; name?: string; link?: boolean }>;
  };
  const paths = Object.keys(lock.packages).filter((p) => p !== '' && !lock.packages[p]?.link);
  assert.ok(paths.length > 0);
  assert.equal(Object.keys(pkg.lockedPackages).sort(), Object.keys(lock.packages).sort());
  for (const p of paths) {
    const entry = lock.packages[p];
    const name = entry?.name ?? p.slice(p.lastIndexOf('node_modules/') + 'node_modules/'.length);
    // npm's default for a registry package: <registry>/<name>/-/<name without scope>-<version>.tgz
    const expected = entry?.resolved ?? `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry?.version}.tgz`;
    assert.equal(pkg.lockedPackages[p], { resolved: expected, integrity: entry?.integrity ?? null }, p);
    assert.ok(entry?.integrity, `${p} has an integrity hash`);
  }
});

// packaging/systemd: the same settings for machines without Nix.
function parseUnitFile(text: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let section = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = header[1] as string;
      continue;
    }
    const eq = line.indexOf('=');
    assert.ok(eq > 0, `not a setting: ${line}`);
    const key = `${section}.${line.slice(0, eq)}`;
    settings.set(key, [...(settings.get(key) ?? []), line.slice(eq + 1)]);
  }
  return settings;
}

for (const program of ['probe', 'watcher'] as const) {
  test(`packaging/systemd/sentinella-${program}.service has the module's settings`, () => {
    const unit = parseUnitFile(readFileSync(path.join(root, `packaging/systemd/sentinella-${program}.service`), 'utf8'));
    assert.equal(unit.get('Unit.After'), ['network.target']);
    assert.equal(unit.get('Install.WantedBy'), ['multi-user.target']);
    for (const [key, value] of Object.entries(BOTH_UNITS)) {
      assert.equal(unit.get(`Service.${key}`), [String(value)], key);
    }
    assert.equal(unit.get('Service.ExecStart'), [`/usr/local/bin/sentinella-${program}`]);
    assert.equal(unit.get('Service.EnvironmentFile'), [`-/etc/sentinella/${program}.env`]);
    if (program === 'watcher') {
      assert.equal(unit.get('Service.StateDirectory'), ['sentinella']);
      assert.equal(unit.get('Service.Environment'), ['STATE_DIR=/var/lib/sentinella']);
    } else {
      assert.is(unit.get('Service.StateDirectory'), undefined);
      assert.is(unit.get('Service.Environment'), undefined);
    }
    // Nothing else: every setting is one the module's unit has too (Description aside).
    const known = new Set([
      'Unit.Description',
      'Unit.After',
      'Install.WantedBy',
      'Service.ExecStart',
      'Service.EnvironmentFile',
      'Service.Environment',
      'Service.StateDirectory',
      ...Object.keys(BOTH_UNITS).map((k) => `Service.${k}`),
    ]);
    for (const key of unit.keys()) assert.ok(known.has(key), `unexpected setting ${key}`);
  });
}

test.after(() => {
  rmSync(nixHome, { recursive: true, force: true });
});

test.run();
