import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labelValue, MetricsRecorder, renderMetrics } from '../../../src/watcher/metrics.ts';

test('metrics: the text format, one family after another, peers in order', () => {
  const text = renderMetrics({
    peers: [
      { url: 'http://10.0.0.1:5988', up: true, total: '2', good: '2', lastChangeSec: 1700000000.5 },
      { url: 'http://[fd00::2]:5988', up: false, total: 'null', good: '007', lastChangeSec: 1700000100 },
    ],
    roundDurationSec: 0.1234,
    roundEndSec: 1700000200.25,
    notifications: { delivered: 3, retried: 1, postponed: 0, rejected: 2 },
  });
  const lines = text.split('\n');
  assert.ok(text.endsWith('\n'));
  assert.ok(lines.includes('sentinella_peer_up{peer="http://10.0.0.1:5988"} 1'));
  assert.ok(lines.includes('sentinella_peer_up{peer="http://[fd00::2]:5988"} 0'));
  assert.ok(lines.includes('sentinella_peer_checks{peer="http://[fd00::2]:5988"} NaN'));
  assert.ok(lines.includes('sentinella_peer_checks_ok{peer="http://[fd00::2]:5988"} 7'));
  assert.ok(lines.includes('sentinella_peer_last_change_timestamp_seconds{peer="http://10.0.0.1:5988"} 1700000000.5'));
  assert.ok(lines.includes('sentinella_watcher_round_duration_seconds 0.123'));
  assert.ok(lines.includes('sentinella_watcher_round_end_timestamp_seconds 1700000200.25'));
  assert.ok(lines.includes('sentinella_watcher_peers 2'));
  assert.ok(lines.includes('# TYPE sentinella_watcher_notifications_total counter'));
  assert.ok(lines.includes('sentinella_watcher_notifications_total{outcome="rejected"} 2'));
  assert.is(lines.filter((l) => l.startsWith('# TYPE')).length, 8);
});

test('metrics: label values escaped', () => {
  assert.is(labelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
});

test('metrics recorder: last change kept across rounds, from the state file for a peer first seen unchanged', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-'));
  try {
    const file = path.join(dir, 'w.prom');
    let now = 1_000_000;
    const r = new MetricsRecorder(file, () => now);
    const a = { url: 'http://a:1', up: true, total: '1', good: '1' };
    const b = { url: 'http://b:1', up: false, total: '1', good: '0' };
    r.startRound();
    r.observe(a, 'up:1/1:200', 'up:1/1:200', () => 500); // unchanged since its file was written
    r.observe(b, 'down:0/1:200', '', () => 500); // new
    r.count('delivered');
    assert.is(r.write(now - 250), undefined);
    let text = fs.readFileSync(file, 'utf8');
    assert.match(text, 'sentinella_peer_last_change_timestamp_seconds{peer="http://a:1"} 500\n');
    assert.match(text, 'sentinella_peer_last_change_timestamp_seconds{peer="http://b:1"} 1000\n');
    assert.match(text, 'sentinella_watcher_round_duration_seconds 0.25\n');
    now = 2_000_000;
    r.startRound();
    r.observe(a, 'down:0/1:200', 'up:1/1:200', () => 500);
    r.observe(b, 'down:0/1:200', 'up:1/1:200', () => 500); // file not written (retry): still the same state
    r.count('retried');
    r.write(now);
    text = fs.readFileSync(file, 'utf8');
    assert.match(text, 'sentinella_peer_last_change_timestamp_seconds{peer="http://a:1"} 2000\n');
    assert.match(text, 'sentinella_peer_last_change_timestamp_seconds{peer="http://b:1"} 1000\n');
    assert.match(text, 'sentinella_watcher_notifications_total{outcome="delivered"} 1\n');
    assert.match(text, 'sentinella_watcher_notifications_total{outcome="retried"} 1\n');
    assert.equal(fs.readdirSync(dir), ['w.prom']); // no temp file left
    assert.instance(new MetricsRecorder(path.join(dir, 'no', 'such', 'dir.prom')).write(0), Error);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
