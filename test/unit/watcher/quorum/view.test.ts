// QUORUM's view: rendering, reading, and what counts as "no view" (malformed, stale, ahead).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseView, renderView, staleness, type View } from '../../../../src/watcher/quorum/view.ts';

const NOW = 1_764_950_000;

function view(overrides: Partial<View> = {}): View {
  return {
    node: '10.0.0.1',
    at: NOW + 0.1234,
    roundS: 4,
    peers: new Map([
      ['10.0.0.2', { up: true, state: 'up:1/1:200', since: NOW - 1000, announced: true }],
      ['10.0.0.3', { up: false, state: 'down:0/0:000', since: NOW - 2.5, announced: false }],
    ]),
    ...overrides,
  };
}

test('render: one line, the documented keys in order, times in ms', () => {
  assert.is(
    renderView(view()),
    '{"sentinella_view":1,"node":"10.0.0.1","at":1764950000.123,"round_s":4,"peers":{' +
      '"10.0.0.2":{"up":true,"state":"up:1/1:200","since":1764949000,"announced":true},' +
      '"10.0.0.3":{"up":false,"state":"down:0/0:000","since":1764949997.5,"announced":false}}}\n',
  );
});

test('parse: what render wrote reads back (state strings with any text, IPv6 keys)', () => {
  const odd = view({
    peers: new Map([['2001:db8::1', { up: false, state: 'down:\udce4"\n/x:200', since: NOW, announced: true }]]),
  });
  const reading = parseView(Buffer.from(renderView(odd)), NOW);
  assert.is(reading.kind, 'view');
  if (reading.kind !== 'view') return;
  assert.equal(reading.view, { ...odd, at: NOW + 0.123, silences: new Map(), heard: new Map() });
});

test('heard (the status page matrix): written last, only when some; read back; malformed entries left out', () => {
  const heard = new Map([
    [
      '10.0.0.4',
      {
        at: NOW - 3,
        up: new Map([
          ['10.0.0.2', true],
          ['10.0.0.3', false],
        ]),
      },
    ],
  ]);
  const text = renderView(view({ heard }));
  assert.match(
    text,
    /"announced":false\}\},"heard":\{"10\.0\.0\.4":\{"at":1764949997,"up":\{"10\.0\.0\.2":true,"10\.0\.0\.3":false\}\}\}\}\n$/,
  );
  assert.not.match(renderView(view({ heard: new Map() })), /heard/);
  const reading = parseView(Buffer.from(text), NOW);
  assert.ok(reading.kind === 'view' && reading.view.heard?.get('10.0.0.4')?.up.get('10.0.0.3') === false);
  const bad = JSON.parse(text) as { heard: Record<string, unknown> };
  bad.heard = { a: { at: 'x', up: {} }, b: { at: NOW, up: { '10.0.0.2': 'yes', '10.0.0.3': true } }, c: 5 };
  const lenient = parseView(JSON.stringify(bad), NOW);
  assert.is(lenient.kind, 'view', 'a bad heard field never makes the view "no view"');
  if (lenient.kind === 'view') assert.equal([...(lenient.view.heard ?? [])], [['b', { at: NOW, up: new Map([['10.0.0.3', true]]) }]]);
});

test('silences (§10 "Silences"): written after peers only when the node has some; read back; a bad field is none', () => {
  const silences = new Map([['10.0.0.3', { untilMs: (NOW + 3600) * 1000, reason: 'upgrade' }]]);
  const text = renderView(view({ silences }));
  assert.ok(text.endsWith(`,"silences":{"10.0.0.3":{"until":${NOW + 3600},"reason":"upgrade"}}}\n`), text);
  assert.not.match(renderView(view({ silences: new Map() })), 'silences');
  const reading = parseView(text, NOW);
  assert.equal(reading.kind === 'view' ? reading.view.silences : undefined, silences);
  const bad = JSON.stringify({ ...(JSON.parse(text) as object), silences: { '10.0.0.3': { reason: 'no until' } } });
  const badReading = parseView(bad, NOW);
  assert.equal(badReading.kind === 'view' ? badReading.view.silences : 'no view', new Map());
});

test('malformed: not JSON, not an object, another version, fields missing or mistyped: no view', () => {
  const good = JSON.parse(renderView(view())) as Record<string, unknown>;
  const cases: Array<[string, string]> = [
    ['', 'not JSON'],
    ['{"sentinella_view":1', 'not JSON'],
    ['[1]', 'not a JSON object'],
    ['null', 'not a JSON object'],
    [JSON.stringify({ ...good, sentinella_view: 2 }), 'not a version 1 view'],
    [JSON.stringify({ ...good, sentinella_view: '1' }), 'not a version 1 view'],
    [JSON.stringify({ ...good, node: '' }), 'no node'],
    [JSON.stringify({ ...good, node: 7 }), 'no node'],
    [JSON.stringify({ ...good, at: '1764950000' }), 'no at'],
    [JSON.stringify({ ...good, round_s: 0 }), 'no round_s'],
    [JSON.stringify({ ...good, round_s: null }), 'no round_s'],
    [JSON.stringify({ ...good, peers: [] }), 'no peers'],
    [JSON.stringify({ ...good, peers: { a: 1 } }), 'peer a is not an object'],
    [JSON.stringify({ ...good, peers: { a: { up: 'true', state: 'up', since: 1, announced: true } } }), 'peer a lacks'],
    [JSON.stringify({ ...good, peers: { a: { up: true, since: 1, announced: true } } }), 'peer a lacks'],
    [JSON.stringify({ ...good, peers: { a: { up: true, state: 'up', since: 1 } } }), 'peer a lacks'],
  ];
  for (const [body, reason] of cases) {
    const reading = parseView(body, NOW);
    assert.is(reading.kind, 'none', body);
    if (reading.kind === 'none') assert.ok(reading.reason.startsWith(reason), `${body}: ${reading.reason}`);
  }
});

test('stale: older than 3 rounds + 10 s of its writer, or more than 60 s ahead', () => {
  // round_s 4: fresh up to 22 s old.
  assert.is(staleness(NOW - 22, 4, NOW), undefined);
  assert.is(staleness(NOW - 22.001, 4, NOW), 'stale (22 s old)');
  assert.is(staleness(NOW + 60, 4, NOW), undefined);
  assert.is(staleness(NOW + 61, 4, NOW), 'dated 61 s ahead');
  // The writer's own round_s decides, not the reader's.
  assert.is(staleness(NOW - 100, 30, NOW), undefined);
  const old = parseView(renderView(view({ at: NOW - 23 })), NOW);
  assert.equal(old, { kind: 'none', reason: 'stale (23 s old)' });
  assert.is(parseView(renderView(view({ at: NOW - 21 })), NOW).kind, 'view');
});

test.run();
