import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { encode } from '../../src/bytes.ts';
import { bestPrefixMount, dfRow, diskBody, diskReport, makeDev, parseDfLine, parseMountInfo, quoteName } from '../../src/disk.ts';

const MOUNTINFO = [
  '22 27 0:21 / /proc rw,relatime - proc proc rw',
  '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '28 27 0:25 / /mnt/with\\040space rw - tmpfs tmpfs rw',
  '29 27 0:26 / /mnt rw - tmpfs tmpfs rw',
  '30 27 0:27 / /mnt rw - tmpfs tmpfs rw',
].join('\n');

test('mountinfo: fields, escapes, device numbers, dummies', () => {
  const entries = parseMountInfo(MOUNTINFO);
  assert.is(entries.length, 5);
  assert.is(entries[2]?.dir, '/mnt/with space');
  assert.is(entries[1]?.dev, makeDev(254, 0));
  assert.is(makeDev(254, 0), 65024);
  assert.ok(entries[0]?.dummy && !entries[1]?.dummy);
});

test('best mount: longest prefix on a path boundary, last of equals', () => {
  const entries = parseMountInfo(MOUNTINFO);
  assert.is(bestPrefixMount(entries, '/usr/lib')?.dir, '/');
  assert.is(bestPrefixMount(entries, '/mnt/x')?.dev, makeDev(0, 27));
  assert.is(bestPrefixMount(entries, '/mntx')?.dir, '/');
  assert.is(bestPrefixMount(entries, '/')?.dir, '/');
});

test("df's rounding: ceiling to 1024-blocks, capacity rounded up, '-' for size zero", () => {
  assert.equal(dfRow('/', 4096n, 100n, 50n, 40n), { mount: '/', sizeBlocks: 400n, used: 200n, avail: 160n, capacity: '56%' });
  assert.equal(dfRow('/x', 512n, 3n, 1n, 1n), { mount: '/x', sizeBlocks: 2n, used: 1n, avail: 1n, capacity: '67%' });
  assert.equal(dfRow('/proc', 4096n, 0n, 0n, 0n).capacity, '-');
  assert.is(dfRow('/e', 4096n, 10n, 10n, 10n).capacity, '0%');
});

test('disk body (D2: skipped words leave valid JSON)', () => {
  const row = dfRow('/proc', 4096n, 0n, 0n, 0n);
  assert.is(diskBody([row]), '{"volumes":[{"mount":"/proc","size_blocks":0,"used":0,"avail":0,"use_percent":"-"}]}');
  assert.is(diskBody([]), '{"volumes":[]}');
});

test('df line parsing and name quoting', () => {
  assert.equal(parseDfLine('/dev/vda 264212084 22782476 83608436 22% /'), {
    mount: '/',
    sizeBlocks: 264212084n,
    used: 22782476n,
    avail: 83608436n,
    capacity: '22%',
  });
  assert.is(parseDfLine('Filesystem 1024-blocks Used Available Capacity Mounted on'), null);
  // D18: a mount point (or a source) with spaces stays whole
  assert.equal(parseDfLine('my src    1024 0 1024 0% /mnt/sp ace'), {
    mount: '/mnt/sp ace',
    sizeBlocks: 1024n,
    used: 0n,
    avail: 1024n,
    capacity: '0%',
  });
  assert.is(parseDfLine('proc 0 0 0 - /proc')?.capacity, '-');
  assert.is(quoteName('/nope'), '/nope');
  assert.is(quoteName("/a b'c"), "'/a b'\\''c'");
});

function dfColumns(path: string): string {
  const line = execFileSync('df', ['-P', path], { encoding: 'utf8' }).split('\n')[1] ?? '';
  const f = line.trim().split(/\s+/);
  return `${f[5]} ${f[1]} ${f[2]} ${f[3]} ${f[4]}`;
}

test('matches real df -P on this host (figures that do not move)', async () => {
  for (const path of ['/proc', '/dev/shm', '/sys', '/proc/self', '/dev/null']) {
    const report = await diskReport([path]);
    const row = report.rows[0];
    assert.ok(row, path);
    assert.is(`${row?.mount} ${row?.sizeBlocks} ${row?.used} ${row?.avail} ${row?.capacity}`, dfColumns(path), path);
  }
  const root = await diskReport(['/usr/lib']);
  assert.is(root.rows[0]?.mount, '/');
  assert.is(root.rows[0]?.sizeBlocks.toString(), dfColumns('/').split(' ')[1]);
});

test("D2: a missing word is skipped with df's error line", async () => {
  const report = await diskReport(['/proc', '/does/not/exist', '/proc']);
  assert.is(report.rows.length, 2);
  assert.equal(report.errors, ['df: /does/not/exist: No such file or directory']);
});

test('a remembered mount does not hide a path that went missing', async () => {
  const { mkdtemp, rmdir } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(`${tmpdir()}/disk-`);
  const first = await diskReport([dir]);
  assert.is(first.rows.length, 1);
  await rmdir(dir);
  const second = await diskReport([dir]);
  assert.is(second.rows.length, 0);
  assert.equal(second.errors, [`df: ${dir}: No such file or directory`]);
});

test('a remembered mount still gives fresh figures: 4 MiB written shows at once', async () => {
  const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(`${tmpdir()}/disk-`);
  try {
    const before = await diskReport([dir]);
    await writeFile(`${dir}/blob`, Buffer.alloc(4 * 1024 * 1024, 1), { flush: true });
    const after = await diskReport([dir]); // within MOUNT_MEMORY_MS: the remembered-mount path
    const grew = (after.rows[0]?.used ?? 0n) - (before.rows[0]?.used ?? 0n);
    assert.ok(grew >= 2048n, `used grew by ${grew} KiB`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('mount points are text with their bytes (src/bytes.ts): UTF-8 once, other bytes as they are', () => {
  // mountinfo's bytes, as the latin1 string readMounts() reads: UTF-8 `ä`, a latin-1 byte, an escaped space.
  const info = Buffer.from('36 35 0:40 / /mnt/s/\xc3\xa4 rw - tmpfs extra rw\n37 35 0:41 / /mnt/\xe4\\040x rw - tmpfs x rw\n', 'latin1');
  const [utf8, latin] = parseMountInfo(info.toString('latin1'));
  assert.is(utf8?.dir, '/mnt/s/ä');
  assert.is(latin?.dir, '/mnt/\udce4 x');
  const row = (mount: string) => dfRow(mount, 1024n, 512n, 512n, 512n);
  assert.equal(
    encode(diskBody([row('/mnt/s/ä')])),
    Buffer.from('{"volumes":[{"mount":"/mnt/s/ä","size_blocks":512,"used":0,"avail":512,"use_percent":"0%"}]}'),
  );
  assert.ok(encode(diskBody([row('/mnt/\udce4 x')])).includes(Buffer.from('"mount":"/mnt/\xe4 x"', 'latin1')));
});

test.run();
