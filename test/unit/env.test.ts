import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from '../../src/bytes.ts';
import {
  EnvError,
  formatHelp,
  missingVariable,
  readCaFiles,
  readProbeEnv,
  readRouterEnv,
  readWatcherEnv,
  splitWords,
  TIMEOUT,
  VARIABLES,
  variablesOf,
  type Environment,
  type Program,
} from '../../src/env.ts';
import { formatLogLine, white } from '../../src/log.ts';

const REQUIRED = { PEERS_DNS: 'peers.test', TG_TOKEN: 't', TG_CHAT_ID: '-100' };

test('router defaults: no URLS, every mount, TIMEOUT 5, no auth', () => {
  assert.equal(readRouterEnv({}), {
    urls: [],
    volumes: null,
    timeoutSec: 5,
    timeoutMs: 5000,
    authFile: null,
    certDays: null,
    statusPage: false,
  });
});

test('an empty value counts as unset, as ${NAME:-default} does', () => {
  assert.equal(readRouterEnv({ URLS: '', VOLUMES: '', TIMEOUT: '', AUTH_FILE: '', CERT_DAYS: '', STATUS_PAGE: '' }), readRouterEnv({}));
  assert.is(readProbeEnv({ PORT: '' }).port, 5988);
});

test('URLS and VOLUMES split on blanks, tabs and newlines', () => {
  assert.equal(splitWords(' http://a\thttp://b\n\nhttp://c '), ['http://a', 'http://b', 'http://c']);
  assert.equal(readRouterEnv({ VOLUMES: '/ /pro*' }).volumes, ['/', '/pro*']);
});

test('a bad number names its variable', () => {
  for (const [env, name] of [
    [{ TIMEOUT: 'abc' }, 'TIMEOUT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '12ab' }, 'PORT'],
  ] as const) {
    try {
      readProbeEnv(env);
      assert.unreachable(`${name} accepted`);
    } catch (error) {
      assert.instance(error, EnvError);
      assert.is((error as EnvError).variable, name);
      assert.match((error as Error).message, name);
    }
  }
  assert.is(readRouterEnv({ TIMEOUT: '0.5' }).timeoutSec, 0.5);
});

test('watcher: required variables are checked in the originals order', () => {
  assert.is(missingVariable({}, 'watcher'), 'PEERS_DNS');
  assert.is(missingVariable({ PEERS_DNS: 'x', TG_CHAT_ID: '1' }, 'watcher'), 'TG_TOKEN');
  assert.is(missingVariable({ PEERS_DNS: 'x', TG_TOKEN: 't', TG_CHAT_ID: '' }, 'watcher'), 'TG_CHAT_ID');
  assert.is(missingVariable(REQUIRED, 'watcher'), null);
  // The SRV version (docs/behaviour.md §12): PEERS_SRV stands for PEERS_DNS.
  assert.is(missingVariable({ PEERS_SRV: '_s._tcp.test', TG_CHAT_ID: '1' }, 'watcher'), 'TG_TOKEN');
  assert.is(missingVariable({ PEERS_SRV: '_s._tcp.test', TG_TOKEN: 't', TG_CHAT_ID: '1' }, 'watcher'), null);
  assert.is(missingVariable({ PEERS_SRV: '', TG_TOKEN: 't', TG_CHAT_ID: '1' }, 'watcher'), 'PEERS_DNS');
});

test('watcher: PEERS_SRV wins over PEERS_DNS; PEERS_PORT is then neither read nor checked', () => {
  const config = readWatcherEnv({ ...REQUIRED, PEERS_SRV: '_s._tcp.test', PEERS_PORT: 'not a port' });
  assert.equal([config.peersSrv, config.peersDns, config.peersPort], ['_s._tcp.test', 'peers.test', '5988']);
  assert.is(readWatcherEnv({ ...REQUIRED, PEERS_SRV: '' }).peersSrv, null);
  assert.throws(() => readWatcherEnv({ ...REQUIRED, PEERS_PORT: 'not a port' }), /PEERS_PORT must be a TCP port/);
});

test('watcher defaults match the contract', () => {
  const config = readWatcherEnv(REQUIRED);
  assert.equal(config, {
    peersDns: 'peers.test',
    peersSrv: null,
    tgToken: 't',
    tgChatId: '-100',
    self: null,
    peersPort: '5988',
    peersScheme: 'http',
    peersToken: null,
    timeoutSec: 5,
    timeoutMs: 5000,
    pollingIntervalSec: 3,
    pollingIntervalText: '3',
    stateDir: '/var/lib/sentinella',
    spam: false,
    digest: false,
    alertmanagerUrls: [],
    webhookUrls: [],
    tgApiUrl: 'https://api.telegram.org',
    metricsFile: null,
  });
  assert.equal(readWatcherEnv({ ...REQUIRED, SELF: '10.0.0.1  10.0.0.2', SPAM: '1' }).self, ['10.0.0.1', '10.0.0.2']);
  assert.ok(readWatcherEnv({ ...REQUIRED, SPAM: '1' }).spam);
});

// ---- what is derived from the declarations

const PROGRAMS: readonly Program[] = ['router', 'probe', 'watcher'];

/** The names a reader looks up in the environment. */
function namesRead(read: (env: Environment) => unknown): string[] {
  const names: string[] = [];
  const env = new Proxy<Environment>({}, { get: (_target, name) => (typeof name === 'string' && names.push(name), undefined) });
  read(env);
  return [...new Set(names)].sort();
}

test('declarations: one per name, each for at least one program, every `unless` a declared variable', () => {
  const names = VARIABLES.map((v) => v.name);
  assert.is(new Set(names).size, names.length);
  for (const v of VARIABLES) {
    assert.ok(v.programs.length > 0, v.name);
    if (typeof v.required === 'object') for (const other of v.required.unless) assert.ok(names.includes(other), v.name);
  }
});

test('readers: each program reads exactly the variables declared for it', () => {
  const declared = (program: Program) =>
    variablesOf(program)
      .map((v) => v.name)
      .sort();
  const withCa = (program: Program, read: (env: Environment) => unknown) => (env: Environment) => (read(env), readCaFiles(env, program));
  assert.equal(namesRead(withCa('router', readRouterEnv)), declared('router'));
  assert.equal(namesRead(withCa('probe', readProbeEnv)), declared('probe'));
  assert.equal(namesRead(withCa('watcher', readWatcherEnv)), declared('watcher'));
  assert.equal(declared('router'), [
    'AUTH_FILE',
    'CERT_DAYS',
    'NODE_EXTRA_CA_CERTS',
    'SSL_CERT_FILE',
    'STATUS_PAGE',
    'TIMEOUT',
    'URLS',
    'VOLUMES',
  ]);
});

test('readers: a declared default is the value of an unset or empty variable', () => {
  for (const program of PROGRAMS) {
    for (const v of variablesOf(program)) {
      if (v.default === undefined) continue;
      const fromDefault = v.read({ [v.name]: v.default }, program);
      assert.equal(v.read({}, program), fromDefault, v.name);
      assert.equal(v.read({ [v.name]: '' }, program), fromDefault, v.name);
    }
  }
  assert.equal(
    VARIABLES.filter((v) => v.default !== undefined).map((v) => [v.name, v.default]),
    [
      ['PORT', '5988'],
      ['PEERS_PORT', '5988'],
      ['PEERS_SCHEME', 'http'],
      ['TIMEOUT', '5'],
      ['POLLING_INTERVAL_SEC', '3'],
      ['STATE_DIR', '/var/lib/sentinella'],
      ['SPAM', '0'],
      ['DIGEST', '0'],
      ['TG_API_URL', 'https://api.telegram.org'],
      ['STATUS_PAGE', '0'],
    ],
  );
});

test('required: the first missing one in declaration order; ALERTMANAGER_URLS lifts TG_TOKEN/TG_CHAT_ID', () => {
  assert.equal(
    variablesOf('watcher')
      .filter((v) => v.required !== undefined)
      .map((v) => v.name),
    ['PEERS_DNS', 'TG_TOKEN', 'TG_CHAT_ID'],
  );
  for (const program of ['router', 'probe'] as const) assert.is(missingVariable({}, program), null);
  const am = { ALERTMANAGER_URLS: 'http://am:9093' };
  assert.is(missingVariable(am, 'watcher'), 'PEERS_DNS');
  assert.is(missingVariable({ ...am, PEERS_DNS: 'p' }, 'watcher'), null);
  assert.is(missingVariable({ ...am, ALERTMANAGER_URLS: '', PEERS_DNS: 'p' }, 'watcher'), 'TG_TOKEN');
  // Either of the two lifts them; both empty, neither does.
  const hooks = { WEBHOOK_URLS: 'http://hooks.test/x' };
  assert.is(missingVariable({ ...hooks, PEERS_DNS: 'p' }, 'watcher'), null);
  assert.is(missingVariable({ ...hooks, ...am, PEERS_DNS: 'p' }, 'watcher'), null);
  assert.is(missingVariable({ WEBHOOK_URLS: '', ALERTMANAGER_URLS: '', PEERS_DNS: 'p' }, 'watcher'), 'TG_TOKEN');
  assert.is(missingVariable({ ...hooks, PEERS_DNS: 'p', TG_TOKEN: 't' }, 'watcher'), null);
});

test('a bad value names its variable, with the texts the goldens pin (D14)', () => {
  const bad: [Program, string, string, string][] = [
    ['probe', 'PORT', '0', 'PORT must be a TCP port (1-65535), got "0"'],
    ['router', 'TIMEOUT', 'inf', 'TIMEOUT must be a number of seconds, got "inf"'],
    ['probe', 'TIMEOUT', '-1', 'TIMEOUT must be a number of seconds, got "-1"'],
    ['watcher', 'TIMEOUT', 'abc', 'TIMEOUT must be a number of seconds, got "abc"'],
    ['watcher', 'PEERS_PORT', 'http', 'PEERS_PORT must be a TCP port (1-65535), got "http"'],
    ['watcher', 'PEERS_PORT', '+5988', 'PEERS_PORT must be a TCP port (1-65535), got "+5988"'],
    ['watcher', 'POLLING_INTERVAL_SEC', 'soon', 'POLLING_INTERVAL_SEC must be a number of seconds, got "soon"'],
    ['watcher', 'POLLING_INTERVAL_SEC', '1 2', 'POLLING_INTERVAL_SEC must be a number of seconds, got "1 2"'],
    ['watcher', 'DIGEST', 'yes', 'DIGEST must be 0 or 1, got "yes"'],
    ['watcher', 'ALERTMANAGER_URLS', 'http://a ftp://b', 'ALERTMANAGER_URLS must be space-separated http(s) base URLs, got "ftp://b"'],
    [
      'watcher',
      'WEBHOOK_URLS',
      'https://hooks.test/a hooks.test/b',
      'WEBHOOK_URLS must be space-separated http(s) URLs, got "hooks.test/b"',
    ],
    ['watcher', 'WEBHOOK_URLS', 'http://hooks.test/{a', 'WEBHOOK_URLS must be space-separated http(s) URLs, got "http://hooks.test/{a"'],
    ['watcher', 'TG_API_URL', 'api.telegram.org', 'TG_API_URL must be an http(s) base URL, got "api.telegram.org"'],
    ['watcher', 'TG_API_URL', 'http://127.0.0.1:8081/?x=1', 'TG_API_URL must be an http(s) base URL, got "http://127.0.0.1:8081/?x=1"'],
    ['watcher', 'TG_API_URL', 'http://a http://b', 'TG_API_URL must be an http(s) base URL, got "http://a http://b"'],
  ];
  for (const [program, name, value, message] of bad) {
    const v = VARIABLES.find((d) => d.name === name);
    try {
      v?.read({ [name]: value }, program);
      assert.unreachable(`${name}=${value} accepted by ${program}`);
    } catch (error) {
      assert.instance(error, EnvError);
      assert.is((error as EnvError).variable, name);
      assert.is((error as Error).message, message);
    }
  }
});

test('TIMEOUT: every program reads it as curl -m does, in whole milliseconds (D14)', () => {
  for (const program of PROGRAMS) {
    const read = (text: string) => TIMEOUT.read({ TIMEOUT: text }, program);
    assert.is(read('1e1'), 10, program);
    assert.is(read('2e0'), 2, program);
    assert.is(read(' +0x2'), 2, program);
    assert.is(read('0x10'), 16, program);
    assert.is(read('2.5'), 2.5, program);
    assert.is(read('0.0019'), 0.001, program);
    assert.is(read('0.0005'), 0, program); // curl's 0 ms: no limit
    assert.is(read('nan'), 0, program); // curl 7.88 accepts it and sets no limit
    assert.is(read('1e7'), 0, program); // beyond a Node timer: no limit
  }
  assert.is(readWatcherEnv({ ...REQUIRED, TIMEOUT: '2e0' }).timeoutSec, readRouterEnv({ TIMEOUT: '2e0' }).timeoutSec);
  assert.is(readProbeEnv({ TIMEOUT: '0x1p1' }).timeoutSec, 2);
});

test('POLLING_INTERVAL_SEC: read as `sleep "$POLLING_INTERVAL_SEC"` reads it (D14)', () => {
  const interval = (text: string) => readWatcherEnv({ ...REQUIRED, POLLING_INTERVAL_SEC: text });
  assert.is(interval('3e-1').pollingIntervalSec, 0.3);
  assert.is(interval('3e-1').pollingIntervalText, '3e-1'); // the log line prints the text as given
  assert.is(interval(' +0.2').pollingIntervalSec, 0.2);
  assert.is(interval('0x0.4p0').pollingIntervalSec, 0.25);
  assert.is(interval('0.5m').pollingIntervalSec, 30);
  assert.is(interval('2d').pollingIntervalSec, 172800);
  assert.is(interval('inf').pollingIntervalSec, Infinity); // sleep never returns
});

test('PEERS_PORT: kept as text when curl reads the URL, named when curl refuses it (D14)', () => {
  const peersPort = (text: string) => readWatcherEnv({ ...REQUIRED, PEERS_PORT: text }).peersPort;
  for (const text of ['005988', '0', '65535', '5988/x', '5988?a', '5988#f', '{5988}']) assert.is(peersPort(text), text);
  for (const text of ['+5988', ' 5988', '5988 ', '65536', '0x1764', '5988x', '-1', '[1]', '{5988,5989}']) {
    assert.throws(
      () => peersPort(text),
      (error: unknown) => error instanceof EnvError && error.variable === 'PEERS_PORT',
      text,
    );
  }
});

test('a bad value that is not UTF-8 is named with its bytes (src/bytes.ts), not U+FFFD', () => {
  try {
    readRouterEnv({ TIMEOUT: '5\udce4' });
    assert.unreachable();
  } catch (error) {
    assert.instance(error, EnvError);
    assert.equal(encode((error as Error).message), Buffer.from('TIMEOUT must be a number of seconds, got "5\xe4"', 'latin1'));
  }
});

test('processEnvironment: each value with the bytes the process got, from /proc/self/environ', () => {
  const env = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/env.ts');
  const bytes = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/bytes.ts');
  const child = [
    `import { processEnvironment } from ${JSON.stringify(env)};`,
    `import { encode } from ${JSON.stringify(bytes)};`,
    'const e = processEnvironment();',
    "process.stdout.write(JSON.stringify(['X', 'Y', 'Z', 'E'].map((n) => e[n] === undefined ? null : encode(e[n]).toString('hex'))));",
  ].join('\n');
  // dash exports the bytes (Node cannot pass them): latin-1 0xE4 with trailing newlines, UTF-8 `ä`, `=` in a value, empty.
  const script = `X=$(printf '\\344\\n\\nx'); export X="\${X%x}" Y=ä Z='a=b' E=; exec "$0" --import tsx --input-type=module -e "$1"`;
  const out = execFileSync('dash', ['-c', script, process.execPath, child], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  assert.equal(JSON.parse(out.toString('utf8')), ['e40a0a', 'c3a4', '613d62', '']);
});

test('CA files: SSL_CERT_FILE and NODE_EXTRA_CA_CERTS, empty counts as unset', () => {
  assert.equal(readCaFiles({}, 'router'), { sslCertFile: null, nodeExtraCaCerts: null });
  assert.equal(readCaFiles({ SSL_CERT_FILE: '/ca.pem', NODE_EXTRA_CA_CERTS: '' }, 'watcher'), {
    sslCertFile: '/ca.pem',
    nodeExtraCaCerts: null,
  });
});

test('--help: one line per declared variable, in order, with its default or requirement', () => {
  for (const program of PROGRAMS) {
    const lines = formatHelp(program, 'S.', program).split('\n');
    assert.equal(lines.slice(0, 5), [`Usage: ${program}`, '', 'S.', '', 'Environment:']);
    const rows = lines.slice(5, -1);
    assert.equal(
      rows.map((row) => row.trim().split(' ')[0]),
      variablesOf(program).map((v) => v.name),
    );
    assert.is(lines.at(-1), '');
  }
  const watcher = formatHelp('watcher', 'S.', 'watcher');
  assert.match(watcher, '\n  PEERS_DNS             DNS name whose addresses are the peers (required unless PEERS_SRV is set)\n');
  assert.match(watcher, '\n  TG_TOKEN              Telegram bot token (required unless ALERTMANAGER_URLS or WEBHOOK_URLS is set)\n');
  assert.match(
    watcher,
    '\n  TG_API_URL            Telegram Bot API base URL (a self-hosted telegram-bot-api server): messages go to <TG_API_URL>/bot<TG_TOKEN>/sendMessage (default: https://api.telegram.org)\n',
  );
  assert.match(watcher, '\n  TIMEOUT               seconds allowed for each peer request and each notification (default: 5)\n');
  assert.match(formatHelp('probe', 'S.', 'probe'), '\n  TIMEOUT              seconds allowed for each URL check (default: 5)\n');
  assert.match(
    formatHelp('router', 'S.', 'router'),
    '\n  AUTH_FILE            file of `user:pass` lines; when set, every request needs Basic Auth\n',
  );
  // base64 reads no variable: the usage alone (pinned by the golden base64-help).
  assert.is(formatHelp('base64', 'S.', null), 'Usage: base64\n\nS.\n');
});

test('log: the contract example, byte for byte', () => {
  const line = formatLogLine('info', `polling peers via ${white('peers.test')} every ${white('3')}s`);
  assert.is(line.toString('latin1'), '\x1b[32mpolling peers via \x1b[37mpeers.test\x1b[32m every \x1b[37m3\x1b[32ms\x1b[0m\n');
});

test('log: colours per level, unknown level white', () => {
  const colour = (level: string) => formatLogLine(level, 'x').toString('latin1').slice(0, 5);
  assert.equal(['trace', 'debug', 'info', 'notice', 'warn', 'error', 'other'].map(colour), [
    '\x1b[35m',
    '\x1b[34m',
    '\x1b[32m',
    '\x1b[36m',
    '\x1b[33m',
    '\x1b[31m',
    '\x1b[37m',
  ]);
});

test('log: %b escapes in a message, \\c cuts the line, an ESC byte is not a reset', () => {
  assert.is(formatLogLine('warn', 'a\\tb\\\\c').toString('latin1'), '\x1b[33ma\tb\\c\x1b[0m\n');
  assert.is(formatLogLine('warn', 'cut\\chere').toString('latin1'), '\x1b[33mcut');
  assert.is(formatLogLine('warn', '\\0101\\101\\x41').toString('latin1'), '\x1b[33mAA\\x41\x1b[0m\n');
  assert.is(formatLogLine('info', 'x\x1b[0my').toString('latin1'), '\x1b[32mx\x1b[0my\x1b[0m\n');
  assert.is(formatLogLine('info', 'x\\033[0my').toString('latin1'), '\x1b[32mx\x1b[32my\x1b[0m\n');
});

test('env: WEBHOOK_URLS kept as written (a query too), TG_API_URL as given (http or https)', () => {
  const c = readWatcherEnv({
    PEERS_DNS: 'x',
    WEBHOOK_URLS: ' https://hooks.slack.com/services/T0/B0/X\thttp://chat.test/hooks/a?token=b ',
    TG_API_URL: 'http://127.0.0.1:8081/',
  });
  assert.equal(
    [c.webhookUrls, c.tgApiUrl, c.tgToken],
    [['https://hooks.slack.com/services/T0/B0/X', 'http://chat.test/hooks/a?token=b'], 'http://127.0.0.1:8081/', ''],
  );
  assert.is(readWatcherEnv({ ...REQUIRED, TG_API_URL: '' }).tgApiUrl, 'https://api.telegram.org');
});

test('log: UTF-8 in a message passes through unchanged', () => {
  assert.is(formatLogLine('notice', 'a — b').toString('utf8'), '\x1b[36ma — b\x1b[0m\n');
});

test('env: ALERTMANAGER_URLS replaces TG_TOKEN/TG_CHAT_ID; bad values named', () => {
  assert.is(missingVariable({ PEERS_DNS: 'x' }, 'watcher'), 'TG_TOKEN');
  assert.is(missingVariable({ PEERS_DNS: 'x', ALERTMANAGER_URLS: 'http://a:9093' }, 'watcher'), null);
  assert.is(missingVariable({ ALERTMANAGER_URLS: 'http://a:9093' }, 'watcher'), 'PEERS_DNS');
  const c = readWatcherEnv({ PEERS_DNS: 'x', ALERTMANAGER_URLS: ' http://a:9093  https://b/ ', METRICS_FILE: '/m.prom', DIGEST: '1' });
  assert.equal([c.alertmanagerUrls, c.metricsFile, c.digest, c.tgToken], [['http://a:9093', 'https://b/'], '/m.prom', true, '']);
  const none = readWatcherEnv({ PEERS_DNS: 'x', TG_TOKEN: 't', TG_CHAT_ID: 'c', DIGEST: '' });
  assert.equal([none.alertmanagerUrls, none.metricsFile, none.digest], [[], null, false]);
  for (const [name, value, text] of [
    ['DIGEST', 'yes', 'DIGEST must be 0 or 1, got "yes"'],
    ['ALERTMANAGER_URLS', 'am:9093', 'ALERTMANAGER_URLS must be space-separated http(s) base URLs, got "am:9093"'],
  ] as const) {
    try {
      readWatcherEnv({ PEERS_DNS: 'x', TG_TOKEN: 't', TG_CHAT_ID: 'c', [name]: value });
      assert.unreachable();
    } catch (err) {
      assert.instance(err, EnvError);
      assert.is((err as Error).message, text);
    }
  }
});

test('env: CERT_DAYS and STATUS_PAGE (router and probe); bad values named', () => {
  for (const read of [readRouterEnv, readProbeEnv]) {
    assert.equal(
      [read({ CERT_DAYS: '30', STATUS_PAGE: '1' }).certDays, read({ CERT_DAYS: '30', STATUS_PAGE: '1' }).statusPage],
      [30, true],
    );
    assert.equal([read({ CERT_DAYS: '0' }).certDays, read({ STATUS_PAGE: '0' }).statusPage], [0, false]);
  }
  for (const [name, value, text] of [
    ['CERT_DAYS', '7d', 'CERT_DAYS must be a whole number of days, got "7d"'],
    ['CERT_DAYS', '-1', 'CERT_DAYS must be a whole number of days, got "-1"'],
    ['CERT_DAYS', '1.5', 'CERT_DAYS must be a whole number of days, got "1.5"'],
    ['CERT_DAYS', '99999999999999999999', 'CERT_DAYS must be a whole number of days, got "99999999999999999999"'],
    ['STATUS_PAGE', 'yes', 'STATUS_PAGE must be 0 or 1, got "yes"'],
  ] as const) {
    for (const read of [readRouterEnv, readProbeEnv]) {
      try {
        read({ [name]: value });
        assert.unreachable(`${name}=${value} accepted`);
      } catch (err) {
        assert.instance(err, EnvError);
        assert.is((err as EnvError).variable, name);
        assert.is((err as Error).message, text);
      }
    }
  }
  assert.match(formatHelp('probe', 's', 'probe'), /\n {2}CERT_DAYS +days: an https check whose certificate expires within them is not ok/);
  assert.match(formatHelp('router', 's', 'router'), /\n {2}STATUS_PAGE +1: GET \/ui answers an HTML page .* \(default: 0\)\n/);
  assert.not.match(formatHelp('watcher', 's', 'watcher'), /CERT_DAYS|STATUS_PAGE/);
});

test.run();
