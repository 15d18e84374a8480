// base64 cases (docs/behaviour.md §3, D3, D10).
import type { GoldenCase } from '../types.ts';

const b = (id: string, title: string, args: string[], divergences?: string[]): GoldenCase => ({
  id,
  program: 'base64',
  title,
  args,
  ...(divergences ? { divergences } : {}),
});

export const cases: GoldenCase[] = [
  b('base64-encode-user-pass', '§3 example: user:pass -> dXNlcjpwYXNz', ['encode', 'user:pass']),
  b('base64-encode-one-byte', '§3 padding ==', ['encode', 'a']),
  b('base64-encode-two-bytes', '§3 padding =', ['encode', 'ab']),
  b('base64-encode-utf8', '§3 the bytes of a UTF-8 string', ['encode', 'sentinèlla']),
  b('base64-encode-space', '§3 a space inside the string', ['encode', 'a b']),
  b('base64-encode-31-same', '§3 under 32 bytes: correct', ['encode', 'a'.repeat(31)]),
  b('base64-encode-distinct-blocks', '§3 two different 16-byte blocks: correct', ['encode', `${'a'.repeat(16)}${'b'.repeat(16)}`]),
  b('base64-encode-32-same', '§3 32 × a encodes as 16 × a [D10]', ['encode', 'a'.repeat(32)], ['D10']),
  b('base64-encode-40-same', '§3 40 × a encodes as 24 bytes [D10]', ['encode', 'a'.repeat(40)], ['D10']),
  b('base64-encode-48-same', '§3 48 × a: three equal blocks collapse [D10]', ['encode', 'a'.repeat(48)], ['D10']),
  b('base64-encode-16-same', '§3 exactly one 16-byte block: correct', ['encode', 'a'.repeat(16)]),
  b('base64-encode-33-same', '§3 33 × a encodes as 17 bytes [D10]', ['encode', 'a'.repeat(33)], ['D10']),
  b('base64-encode-newline', '§3 a newline inside the string is a byte like any other', ['encode', 'a\nb']),
  b('base64-no-argument', '§3 no argument: dash "parameter not set", exit 2', []),
  b('base64-encode-missing', '§3 encode without a string: error, nothing on stdout, exit 0', ['encode']),
  b('base64-encode-empty', '§3 encode an empty string: error, nothing on stdout, exit 0', ['encode', '']),
  b('base64-other-mode', '§3 another mode word: no output, exit 0', ['frobnicate', 'x']),
  b('base64-decode-empty', '§3 decode an empty string: a bare newline and the error, exit 0', ['decode', '']),
  b('base64-decode-padded', '§3 decode YQ== prints `\\x61\\x00\\x00` [D3]', ['decode', 'YQ=='], ['D3']),
  b(
    'base64-help',
    'D19 `--help`: the originals treat it as another mode word (no output, exit 0); the port prints its help',
    ['--help'],
    ['D19'],
  ),
  b('base64-decode-user-pass', '§3 decode dXNlcjpwYXNz [D3]', ['decode', 'dXNlcjpwYXNz'], ['D3']),
];
