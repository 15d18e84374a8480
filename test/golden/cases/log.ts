// `log` cases (docs/behaviour.md §2, §8): messages reach log through the router's per-URL info line
// `<url> -> <code>`, so URLs carry the escapes. Targets answer 200 on 127.0.0.2:8080.
import type { GoldenCase } from '../types.ts';
import { logCase } from './_helpers.ts';

// A URL with a backslash is pasted raw into the legacy JSON body, the port escapes it [D15]:
// those cases list D15. The legacy curl also sends the backslashes as they are, and treats
// `[`/`{` as URL globs (log-reset-text: curl refuses the URL, code 000).
const l = logCase;

export const cases: GoldenCase[] = [
  l('log-info-line', '§2 info colour ESC[32m, reset at the end, one line per URL', 'http://127.0.0.2:8080/plain'),
  l('log-backslash-t', '§2 %b: `\\t` in a message becomes a TAB (the JSON keeps the backslash)', 'http://127.0.0.2:8080/a\\tb', ['D15']),
  l('log-backslash-c', '§8 `\\c` cuts the log line short: no reset, no newline', 'http://127.0.0.2:8080/x\\cy', ['D15']),
  l('log-reset-text', '§8 the text `\\033[0m` inside a message becomes the level colour', 'http://127.0.0.2:8080/\\033[0mz', ['D1', 'D15']),
  l('log-octal-escape', '§2 %b octal escapes `\\0101` and `\\101`', 'http://127.0.0.2:8080/\\0101-\\101', ['D15']),
  l('log-backslash-backslash', '§2 %b: `\\\\` becomes one backslash, an unknown escape `\\q` stays', 'http://127.0.0.2:8080/\\\\q\\q', [
    'D15',
  ]),
  l('log-two-urls', '§4.7 one info line per URL, in URLS order', 'http://127.0.0.2:8080/one http://127.0.0.2:8080/two'),
];
