import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  EnvError,
  missingWatcherVariable,
  readProbeEnv,
  readRouterEnv,
  readWatcherEnv,
  splitWords,
} from '../../src/env.ts';
import { formatLogLine, white } from '../../src/log.ts';

const REQUIRED = { PEERS_DNS: 'peers.test', TG_TOKEN: 't', TG_CHAT_ID: '-100' };

test('router defaults: no URLS, every mount, TIMEOUT 5, no auth', () => {
  assert.equal(readRouterEnv({}), { urls: [], volumes: null, timeoutSec: 5, authFile: null });
});

test('an empty value counts as unset, as ${NAME:-default} does', () => {
  assert.equal(readRouterEnv({ URLS: '', VOLUMES: '', TIMEOUT: '', AUTH_FILE: '' }), readRouterEnv({}));
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
  assert.is(missingWatcherVariable({}), 'PEERS_DNS');
  assert.is(missingWatcherVariable({ PEERS_DNS: 'x', TG_CHAT_ID: '1' }), 'TG_TOKEN');
  assert.is(missingWatcherVariable({ PEERS_DNS: 'x', TG_TOKEN: 't', TG_CHAT_ID: '' }), 'TG_CHAT_ID');
  assert.is(missingWatcherVariable(REQUIRED), null);
});

test('watcher defaults match the contract', () => {
  const config = readWatcherEnv(REQUIRED);
  assert.equal(config, {
    peersDns: 'peers.test',
    tgToken: 't',
    tgChatId: '-100',
    self: null,
    peersPort: '5988',
    peersScheme: 'http',
    peersToken: null,
    timeoutSec: 5,
    pollingIntervalSec: 3,
    pollingIntervalText: '3',
    stateDir: '/var/lib/sentinella',
    spam: false,
    digest: false,
    alertmanagerUrls: [],
    metricsFile: null,
  });
  assert.equal(readWatcherEnv({ ...REQUIRED, SELF: '10.0.0.1  10.0.0.2', SPAM: '1' }).self, ['10.0.0.1', '10.0.0.2']);
  assert.ok(readWatcherEnv({ ...REQUIRED, SPAM: '1' }).spam);
});

test('log: the contract example, byte for byte', () => {
  const line = formatLogLine('info', `polling peers via ${white('peers.test')} every ${white('3')}s`);
  assert.is(
    line.toString('latin1'),
    '\x1b[32mpolling peers via \x1b[37mpeers.test\x1b[32m every \x1b[37m3\x1b[32ms\x1b[0m\n',
  );
});

test('log: colours per level, unknown level white', () => {
  const colour = (level: string) => formatLogLine(level, 'x').toString('latin1').slice(0, 5);
  assert.equal(
    ['trace', 'debug', 'info', 'notice', 'warn', 'error', 'other'].map(colour),
    ['\x1b[35m', '\x1b[34m', '\x1b[32m', '\x1b[36m', '\x1b[33m', '\x1b[31m', '\x1b[37m'],
  );
});

test('log: %b escapes in a message, \\c cuts the line, an ESC byte is not a reset', () => {
  assert.is(formatLogLine('warn', 'a\\tb\\\\c').toString('latin1'), '\x1b[33ma\tb\\c\x1b[0m\n');
  assert.is(formatLogLine('warn', 'cut\\chere').toString('latin1'), '\x1b[33mcut');
  assert.is(formatLogLine('warn', '\\0101\\101\\x41').toString('latin1'), '\x1b[33mAA\\x41\x1b[0m\n');
  assert.is(formatLogLine('info', 'x\x1b[0my').toString('latin1'), '\x1b[32mx\x1b[0my\x1b[0m\n');
  assert.is(formatLogLine('info', 'x\\033[0my').toString('latin1'), '\x1b[32mx\x1b[32my\x1b[0m\n');
});

test('log: UTF-8 in a message passes through unchanged', () => {
  assert.is(formatLogLine('notice', 'a — b').toString('utf8'), '\x1b[36ma — b\x1b[0m\n');
});

test.run();
