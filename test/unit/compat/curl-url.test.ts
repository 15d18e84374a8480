// src/compat/curl-url.ts: curl 7.88's reading of a URL (the request it sends, or the line it
// prints when it refuses the URL), its Host header, its error text and the 3-digit code. The
// expected values were recorded from the real curl (test/differential/curl-url.test.ts compares
// hundreds more URLs with it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { curlErrorLine, curlErrorText } from '../../../src/compat/curl-errors.ts';
import { httpCode } from '../../../src/compat/curl-options.ts';
import {
  curlIpv4,
  isCurlLocalhost,
  curlGlob,
  hostHeader,
  readTarget,
  removeDotSegments,
  requestHead,
  type RequestTarget,
} from '../../../src/compat/curl-url.ts';
import { allGive, equalEach, isEach } from '../../support/table.ts';

/** readTarget's answer, a refusal as the line `curl -sS` prints. */
function read(url: string, utf8 = false): RequestTarget | { refused: string } {
  const reading = readTarget(url, { utf8Locale: () => utf8 });
  return reading.kind === 'target' ? reading.target : { refused: curlErrorLine(reading.failure) };
}

const MALFORMED = { refused: 'curl: (3) URL using bad/illegal format or missing URL' };

test('readTarget: path as written, dot segments, lowercase %xx, raw query, no fragment', () => {
  equalEach(read, [
    ['http://127.0.0.1:8080/a/b/../c/./d?x=/../y#frag', { https: false, hostname: '127.0.0.1', port: 8080, path: '/a/c/d?x=/../y' }],
    ['http://h/é?q=é', { https: false, hostname: 'h', port: 80, path: `/%c3%a9?q=${Buffer.from('é').toString('latin1')}` }],
    ['http://h/%7e%zz"\\`^|', { https: false, hostname: 'h', port: 80, path: '/%7e%zz"\\`^|' }],
    ['http://h/a/..', { https: false, hostname: 'h', port: 80, path: '/' }],
    ['http://h/a/.', { https: false, hostname: 'h', port: 80, path: '/a/' }],
    ['http://h?q', { https: false, hostname: 'h', port: 80, path: '/?q' }],
  ]);
});

test('readTarget: scheme, host and port as curl reads them', () => {
  assert.equal(read('127.0.0.1:8080/plain'), { https: false, hostname: '127.0.0.1', port: 8080, path: '/plain' });
  assert.equal(read('HTTPS://h/'), { https: true, hostname: 'h', port: 443, path: '/' });
  assert.equal(read('http://127.1:018112/'), { https: false, hostname: '127.0.0.1', port: 18112, path: '/' });
  assert.equal(read('http://127.0.0.1.:81/'), { https: false, hostname: '127.0.0.1.', port: 81, path: '/' });
  assert.equal(read('http:///x'), { https: false, hostname: 'x', port: 80, path: '/' });
  assert.equal(read('http://[::1]:81/v6'), { https: false, hostname: '::1', port: 81, path: '/v6' });
  assert.equal(read('foo://h/'), { refused: 'curl: (1) Protocol "foo" not supported or disabled in libcurl' });
  assert.equal(read('gopher://h/'), { refused: 'curl: (1) Protocol "gopher" not supported or disabled in libcurl' }); // D39
  equalEach(
    read,
    allGive(
      ['http://h/a b', 'http://h:99999/', 'http://h:x/', 'http://u:p@q@h/', 'http://fd00::1:5988', 'http://h/{a,b}', 'http://h/[z'],
      MALFORMED,
    ),
  );
});

test('readTarget: FTP, IMAP, POP3, SMTP wait for the greeting (their default ports, any case); the guess of a host prefix', () => {
  assert.equal(read('ftp://127.0.0.2:5988'), { https: false, hostname: '127.0.0.2', port: 5988, path: '/', greeting: 'ftp' });
  assert.equal(read('FTP://h'), { https: false, hostname: 'h', port: 21, path: '/', greeting: 'ftp' });
  assert.equal(read('ftp.example.org/x'), { https: false, hostname: 'ftp.example.org', port: 21, path: '/x', greeting: 'ftp' });
  assert.equal(read('Imap://h'), { https: false, hostname: 'h', port: 143, path: '/', greeting: 'imap' });
  assert.equal(read('pop3://h'), { https: false, hostname: 'h', port: 110, path: '/', greeting: 'pop3' });
  assert.equal(read('smtp://h'), { https: false, hostname: 'h', port: 25, path: '/', greeting: 'smtp' });
  // The URL itself is read as for http: what curl refuses, it refuses for ftp too.
  assert.equal(read('ftp://h/a b'), MALFORMED);
  assert.equal(read('ftp://h:99999/'), MALFORMED);
  // D39: the protocols curl speaks beyond these get the line of a libcurl without them.
  for (const scheme of ['ftps', 'dict', 'file', 'scp', 'sftp', 'tftp', 'telnet', 'ldap', 'smb', 'rtsp', 'mqtt', 'imaps'])
    assert.equal(read(`${scheme}://127.0.0.2:5988`), { refused: `curl: (1) Protocol "${scheme}" not supported or disabled in libcurl` });
});

test('readTarget: userinfo is percent-decoded and sent as Basic auth', () => {
  const auth = (url: string) => {
    const target = read(url);
    return 'auth' in target ? target.auth?.toString('latin1') : undefined;
  };
  assert.is(auth('http://u%41:p%3Ax@h/'), 'uA:p:x');
  assert.is(auth('http://user@h/'), 'user:');
  assert.is(auth('http://:pw@h/'), ':pw');
  assert.is(auth('http://h/'), undefined);
});

test('readTarget: one to three slashes after the scheme, a scheme of up to 40 letters, digits, `+-.`', () => {
  assert.equal(read('http:/127.0.0.1:81/a'), { https: false, hostname: '127.0.0.1', port: 81, path: '/a' });
  assert.equal(read('HTTP:/u:p@h/'), { https: false, hostname: 'h', port: 80, path: '/', auth: Buffer.from('u:p') });
  assert.equal(read('http:///h/three'), { https: false, hostname: 'h', port: 80, path: '/three' });
  assert.equal(read('http:////h/four'), MALFORMED);
  assert.equal(read('http:/'), MALFORMED);
  assert.equal(read('http:h/'), MALFORMED);
  assert.equal(read('1http://h/'), { refused: 'curl: (1) Protocol "1http" not supported or disabled in libcurl' });
  assert.equal(read('127.0.0.1:/x'), { refused: 'curl: (1) Protocol "127.0.0.1" not supported or disabled in libcurl' });
  assert.equal(read(`a${'1'.repeat(39)}:/x`), { refused: `curl: (1) Protocol "a${'1'.repeat(39)}" not supported or disabled in libcurl` });
  assert.equal(read(`a${'1'.repeat(40)}:/x`), MALFORMED);
  assert.equal(read('foo:////x'), MALFORMED);
  assert.equal(read('foo://h:99999/'), MALFORMED);
  // An empty port is the scheme's, but only after a scheme.
  assert.equal(read('http://h:/x'), { https: false, hostname: 'h', port: 80, path: '/x' });
  assert.equal(read('h:/x'), { refused: 'curl: (1) Protocol "h" not supported or disabled in libcurl' });
  assert.equal(read('h:?x'), MALFORMED);
});

test("curlIpv4: curl's ipv4_normalize, anything else is a name for NSS", () => {
  isEach(curlIpv4, [
    ['127.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0177.0.0.01', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['4294967295', '255.255.255.255'],
    ['1.2.65535', '1.2.255.255'],
  ]);
  isEach(
    curlIpv4,
    allGive(
      ['1.2.3.4.5', 'peer.1', '256.1.1.1', '08.1.1.1', '0x', '1.0x', '4294967296', '1.2.65536', '127.0.0.1.', '+1', ' 1', '1..2'],
      null,
    ),
  );
  assert.equal(read('http://1.2.3.4.5:81/'), { https: false, hostname: '1.2.3.4.5', port: 81, path: '/' });
  assert.equal(read('http://peer.1/'), { https: false, hostname: 'peer.1', port: 80, path: '/' });
  assert.equal(read('http://08.1.1.1/'), { https: false, hostname: '08.1.1.1', port: 80, path: '/' });
});

test('readTarget: IPv6 literals, inet_ntop when shorter, zones', () => {
  const host = (url: string) => {
    const target = read(url);
    return 'refused' in target ? target.refused : `${target.hostname}${target.zone !== undefined ? ` %${target.zone}` : ''}`;
  };
  isEach(host, [
    ['http://[0:0:0:0:0:0:0:1]/', '::1'],
    ['http://[::FFFF:7f00:1]/', '::FFFF:7f00:1'],
    ['http://[0:0:0:0:0:ffff:7f00:1]/', '::ffff:127.0.0.1'],
    ['http://[1:0:0:1:0:0:0:0]/', '1:0:0:1::'],
    ['http://[0:0:0:0:0:0:1.2.3.4]/', '::1.2.3.4'],
    ['http://[0001::1]/', '1::1'],
    ['http://[::1%25lo]/', '::1 %lo'],
    ['http://[::1%lo]/', '::1 %lo'],
    ['http://[::1%25]/', '::1 %25'],
    ['http://[::1%2525]/', '::1 %25'],
    ['http://[fe80::1%25123456789012345]/', 'fe80::1 %123456789012345'],
  ]);
  isEach(
    host,
    allGive(
      [
        'http://[::1%251234567890123456]/',
        'http://[::1%]/',
        'http://[::1.02.3.4]/',
        'http://[00001::1]/',
        'http://[::1::]/',
        'http://[::1]x/',
        'http://[]/',
      ],
      MALFORMED.refused,
    ),
  );
  assert.is(hostHeader({ https: false, hostname: '::1', port: 81, path: '/', zone: 'lo' }), '[::1]:81');
});

test('readTarget: a host name is percent-decoded, `%` goes out as %25, control bytes and separators refused', () => {
  const host = (url: string) => {
    const target = read(url);
    return 'refused' in target ? target.refused : target.hostname;
  };
  isEach(host, [
    ['http://127.0.0.%31/', '127.0.0.1'],
    ['http://127.%31/', '127.1'],
    ['http://%6cocalhost/', 'localhost'],
    ['http://a%zzb.peer/', 'a%25zzb.peer'],
    ['http://a%25b.peer/', 'a%25b.peer'],
    ['http://a%7fb.peer/', 'a\x7fb.peer'],
    ['http://a|b.peer/', 'a|b.peer'],
  ]);
  isEach(
    host,
    allGive(
      ['http://a%20b/', 'http://a%2fb/', 'http://a%00b/', 'http://a%01b/', 'http://%5b::1%5d/', 'http://h%3a1/', 'http://a!b/'],
      MALFORMED.refused,
    ),
  );
});

test('readTarget: a non-ASCII host goes out in punycode under a UTF-8 locale (libidn2), refused under C', () => {
  const host = (url: string, utf8 = true) => {
    const target = read(url, utf8);
    return 'refused' in target ? target.refused : target.hostname;
  };
  isEach(host, [
    ['http://bücher.localhost/', 'xn--bcher-kva.localhost'],
    ['http://BÜCHER.LOCALHOST/', 'xn--bcher-kva.localhost'],
    ['http://a%C3%BCb.peer/', 'xn--ab-xka.peer'],
    ['http://faß.de/', 'xn--fa-hia.de'],
    ['http://a\u200db.de/', 'ab.de'],
    ['http://ü.1/', 'xn--tda.1'],
    ['http://a~b.ü.de/', 'a~b.xn--tda.de'],
    ['http://ü_x.de/', 'xn--_x-wka.de'],
    ['http://é..x/', 'xn--9ca..x'],
  ]);
  isEach(
    host,
    allGive(
      [
        'http://ü~x.de/',
        'http://ab--c.ü.de/',
        'http://-a.ü.de/',
        'http://xn--zz.ü.de/',
        'http://a%FFb.de/',
        `http://${'ü'.repeat(60)}.de/`,
      ],
      MALFORMED.refused,
    ),
  );
  assert.is(host('http://bücher.localhost/', false), MALFORMED.refused);
  // Refused before the protocol is looked at, converted before it is.
  assert.is(host('foo://ü/', false), MALFORMED.refused);
  assert.is(host('foo://ü/'), 'curl: (1) Protocol "foo" not supported or disabled in libcurl');
});

test('isCurlLocalhost: localhost and *.localhost in any case, not with a trailing dot', () => {
  for (const name of ['localhost', 'LocalHost', 'foo.localhost', 'A.B.LOCALHOST', '.localhost', 'xn--tda.localhost'])
    assert.ok(isCurlLocalhost(name), name);
  for (const name of ['localhost.', 'foo.localhost.', 'xlocalhost', 'localhostx', '127.0.0.1']) assert.not.ok(isCurlLocalhost(name), name);
});

test('Host header, 3-digit code, the advice after a certificate error', () => {
  assert.is(hostHeader({ https: false, hostname: '::1', port: 8080, path: '/' }), '[::1]:8080');
  assert.is(hostHeader({ https: true, hostname: 'h', port: 443, path: '/' }), 'h');
  assert.is(httpCode(0), '000');
  assert.is(httpCode(20), '020');
  assert.is(httpCode(2000), '2000');
  assert.is(curlErrorText({ code: 7, message: 'x' }), 'curl: (7) x');
  assert.is(curlErrorText({ code: 60, message: 'SSL certificate problem: self-signed certificate' }).split('\n').length, 6);
});

test('check targets like curl: raw path, no scheme = http, fragment dropped, globs with several expansions fail', () => {
  assert.equal(read('http://127.0.0.2:8080/a\\tb"c'), { https: false, hostname: '127.0.0.2', port: 8080, path: '/a\\tb"c' });
  assert.equal(read('h:81/x?y#z'), { https: false, hostname: 'h', port: 81, path: '/x?y' });
  assert.equal(read('https://[::1]/'), { https: true, hostname: '::1', port: 443, path: '/' });
  assert.equal(read('http://h/a/../b/./c'), { https: false, hostname: 'h', port: 80, path: '/b/c' });
  assert.ok('refused' in read('ftps://h/')); // D39
  assert.ok('refused' in read('http://h/\\033[0mz'));
  assert.equal(curlGlob('http://h/{a,b}'), { kind: 'many' });
  assert.equal(curlGlob('http://h/[1-3]'), { kind: 'many' });
  assert.equal(curlGlob('http://[::1]:80/x'), { kind: 'one', url: 'http://[::1]:80/x' });
  assert.is(removeDotSegments('/a/b/../../c/.'), '/c/');
});

test('curlGlob: one expansion is that URL, as curl 7.88 fetches it (recorded with the real curl)', () => {
  const one = (url: string, expanded: string): void => assert.equal(curlGlob(url), { kind: 'one', url: expanded }, url);
  one('http://h/{a}', 'http://h/a');
  one('http://h/{a}{b}[1-1][2-2]', 'http://h/ab12');
  one('http://h/[01-01]x[001-1]y[1-001]', 'http://h/01x001y1');
  one('http://h/[a-a][A-A][0-0:1][1-1:+1][1- 1]', 'http://h/aA011');
  one('http://h/{a\\,b}{a\\}}{\\a}', 'http://h/a,ba}a');
  one('http://h/x\\{a\\}\\[1\\]\\a\\,\\', 'http://h/x{a}[1]\\a\\,\\');
  one('http://h/[::1][fe80::1%25lo][]?[]', 'http://h/[::1][fe80::1%25lo][]?[]');
  one('http://{127.0.0.1}:[80-80]/', 'http://127.0.0.1:80/');
  one('http://h/[18446744073709551615-18446744073709551615]', 'http://h/18446744073709551615');
  equalEach(
    curlGlob,
    allGive(
      ['http://h/{a,b}', 'http://h/{,}', 'http://h/{a,a}', 'http://h/[1-2]', 'http://h/[1-3:2]', 'http://h/[5-9:4]', 'http://h/[a-c:2]'],
      { kind: 'many' },
    ),
  );
  equalEach(
    curlGlob,
    allGive(
      [
        'http://h/{}',
        'http://h/{a',
        'http://h/{a\\',
        'http://h/{a,b\\}',
        'http://h/{a[1-1]}',
        'http://h/{{a}',
        'http://h/{a]b}',
        'http://h/x}',
        'http://h/x]',
        'http://h/\\\\{a}',
        'http://h/[z',
        'http://h/[1-',
        'http://h/[1]',
        'http://h/[3-1]',
        'http://h/[a-Z]',
        'http://h/[1-a]',
        'http://h/[a-ab]',
        'http://h/[1-3:5]',
        'http://h/[1-1:2]',
        'http://h/[1-1:0]',
        'http://h/[1-1:-1]',
        'http://h/[1-1:]',
        'http://h/[a-c:3]',
        'http://h/[ 1-1]',
        'http://h/[+1-1]',
        'http://h/[1-+1]',
        'http://h/[0x1-0x1]',
        'http://h/[1.2.3.4]',
        'http://h/[1::2::3]',
        'http://h/[:]',
        'http://h/[1-1]]',
        'http://h/[1-1:1:1]',
        'http://h/[18446744073709551616-18446744073709551616]',
      ],
      { kind: 'broken' },
    ),
  );
  assert.equal(read('http://h:81/{a}[1-1]'), { https: false, hostname: 'h', port: 81, path: '/a1' });
  assert.equal(read('http://h/{a,b}'), MALFORMED);
});

test("readTarget: a tagged union, the refusal carrying curl's code and message", () => {
  assert.equal(readTarget('http://h:81/x'), { kind: 'target', target: { https: false, hostname: 'h', port: 81, path: '/x' } });
  assert.equal(readTarget('foo://h/'), {
    kind: 'refused',
    failure: { code: 1, message: 'Protocol "foo" not supported or disabled in libcurl' },
  });
  assert.equal(readTarget('http://h/a b'), {
    kind: 'refused',
    failure: { code: 3, message: 'URL using bad/illegal format or missing URL' },
  });
});

test('readTarget: bytes that are not UTF-8 (src/bytes.ts): `%e4` in the path, the raw byte in the query and userinfo', () => {
  assert.equal(read('http://u\udce4:p@h/p\udce4th?q=\udce4'), {
    https: false,
    hostname: 'h',
    port: 80,
    path: '/p%e4th?q=\xe4',
    auth: Buffer.from('u\xe4:p', 'latin1'),
  });
});

test('requestHead: a header value keeps its bytes (src/bytes.ts): PEERS_TOKEN may hold any', () => {
  const head = requestHead({ https: false, hostname: 'h', port: 80, path: '/' }, 'GET', [['Authorization', 'Basic t\udce4k']]);
  assert.ok(head.includes(Buffer.from('\r\nAuthorization: Basic t\xe4k\r\n', 'latin1')));
});

test.run();
