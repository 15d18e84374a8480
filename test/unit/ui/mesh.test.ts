// The status page's mesh (src/ui/mesh.ts): VIEW_FILE's bytes to the page's model, and the
// page's rows and matrix (src/ui/page.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { meshFromView } from '../../../src/ui/mesh.ts';
import { renderStatusPage, type StatusPageModel } from '../../../src/ui/page.ts';
import { renderView, type View } from '../../../src/watcher/quorum/view.ts';

const NOW = 1_764_950_000;

const VIEW: View = {
  node: '10.0.0.1',
  at: NOW - 1,
  roundS: 3,
  peers: new Map([
    ['10.0.0.2', { up: true, state: 'up:1/1:200', since: NOW - 600, announced: true }],
    ['10.0.0.3', { up: false, state: 'down:0/0:000', since: NOW - 20, announced: true }],
  ]),
  heard: new Map([
    ['10.0.0.4', { at: NOW - 5, up: new Map([['10.0.0.3', false]]) }],
    [
      '10.0.0.2',
      {
        at: NOW - 4,
        up: new Map([
          ['10.0.0.3', false],
          ['10.0.0.4', true],
        ]),
      },
    ],
  ]),
};

/** The status page of node n1 with no checks, volumes or CERT_DAYS: only the mesh varies. */
function pageWith(mesh: StatusPageModel['mesh'], generatedAt = '2026-01-01T00:00:00.000Z'): string {
  return renderStatusPage({ node: 'n1', generatedAt, checks: [], volumes: [], certDays: null, mesh });
}

test('a view: a row per peer, since when, and a column per node heard (sorted), its cells as that node saw them', () => {
  const mesh = meshFromView(Buffer.from(renderView(VIEW)), NOW);
  assert.equal(mesh, {
    node: '10.0.0.1',
    at: new Date((NOW - 1) * 1000).toISOString(),
    columns: [
      { node: '10.0.0.2', at: new Date((NOW - 4) * 1000).toISOString() },
      { node: '10.0.0.4', at: new Date((NOW - 5) * 1000).toISOString() },
    ],
    peers: [
      { name: '10.0.0.2', up: true, since: new Date((NOW - 600) * 1000).toISOString(), seenBy: [undefined, undefined] },
      { name: '10.0.0.3', up: false, since: new Date((NOW - 20) * 1000).toISOString(), seenBy: [false, false] },
    ],
  });
  const html = pageWith(mesh, new Date(NOW * 1000).toISOString());
  assert.match(
    html,
    /<th class="seen" title="its view as of [^"]+">10\.0\.0\.2<\/th><th class="seen" title="its view as of [^"]+">10\.0\.0\.4<\/th>/,
  );
  assert.match(
    html,
    /<td class="url">10\.0\.0\.3<\/td><td>[^<]+<\/td><td class="seen failing">down<\/td><td class="seen failing">down<\/td><\/tr>/,
  );
  assert.match(html, /<td class="url">10\.0\.0\.2<\/td><td>[^<]+<\/td><td class="seen unknown" title="not in its view">·<\/td>/);
  assert.match(html, /Mesh <span class="muted">1 of 2 peers up<\/span>/);
});

test('a stale view is still shown, saying why; bytes that are no view show no mesh', () => {
  const old = meshFromView(Buffer.from(renderView(VIEW)), NOW + 3600);
  assert.ok(old !== undefined);
  assert.match(old?.stale ?? '', /^stale \(3601 s old\)$/);
  const html = pageWith(old!);
  assert.match(html, /<p class="failing" id="mesh-stale">This view is not current: stale \(3601 s old\)\.<\/p>/);
  assert.is(meshFromView(Buffer.from('not json'), NOW), undefined);
  assert.is(meshFromView(Buffer.from('{"sentinella_view":2}'), NOW), undefined);
});

test('without QUORUM views heard: rows only, no matrix columns', () => {
  const mesh = meshFromView(Buffer.from(renderView({ ...VIEW, heard: new Map() })), NOW);
  assert.equal(mesh?.columns, []);
  const html = pageWith(mesh!);
  assert.not.match(html, /class="seen/);
});

test.run();
