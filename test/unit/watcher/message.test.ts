import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatMessage, formatState, peerUrl } from '../../src/watcher/message.ts';
import { formEncode, telegramBody } from '../../src/watcher/notify.ts';
import { cksum, stateFileName } from '../../src/watcher/state.ts';

test('cksum: the contract values (POSIX CRC, length appended)', () => {
  assert.is(cksum('http://127.0.0.1:5988'), 3363770121);
  assert.is(cksum('http://127.0.0.2:5988'), 428259130);
  assert.is(stateFileName('http://127.0.0.1:5988'), '3363770121.state');
  assert.is(cksum(''), 4294967295); // `printf '' | cksum`
  assert.is(cksum('a'.repeat(300)), 1664553091); // length over one byte
});

test('telegram body: the contract example byte for byte', () => {
  assert.is(
    telegramBody('-100', 'OK  : http://127.0.0.2:5988 [0/0]'),
    'chat_id=-100&text=OK++%3A+http%3A%2F%2F127.0.0.2%3A5988+%5B0%2F0%5D',
  );
});

test('form encoding: unreserved kept, space +, UTF-8 bytes as uppercase %XX', () => {
  assert.is(formEncode('AZaz09-._~'), 'AZaz09-._~');
  assert.is(formEncode('a b+c/\u2014&=%'), 'a+b%2Bc%2F%E2%80%94%26%3D%25');
  assert.is(formEncode('\n\t'), '%0A%09');
});

test('chat_id goes in as given (not encoded)', () => {
  assert.is(telegramBody('@my chan', 'x'), 'chat_id=@my chan&text=x');
});

test('message and state: prefixes, failures after an em dash', () => {
  const up = { up: true, good: '0', total: '0', failures: [], shellErrors: [] };
  assert.is(formatMessage('http://127.0.0.2:5988', up), 'OK  : http://127.0.0.2:5988 [0/0]');
  assert.is(formatState(up, '200'), 'up:0/0:200');
  const down = { up: false, good: '1', total: '3', failures: ['http://b(404)', 'http://c(000)'], shellErrors: [] };
  assert.is(formatMessage('http://127.0.0.5:5988', down), 'FAIL: http://127.0.0.5:5988 [1/3] \u2014 http://b(404) http://c(000)');
  assert.is(formatState(down, '200'), 'down:1/3:200');
});

test('peer URLs: IPv4 as is, IPv6 bracketed (D7)', () => {
  assert.is(peerUrl('http', '127.0.0.2', '5988'), 'http://127.0.0.2:5988');
  assert.is(peerUrl('https', '2001:db8::1', '5988'), 'https://[2001:db8::1]:5988');
});

test.run();
