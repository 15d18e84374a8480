// The golden suite's normalisations (each one listed and justified in DIVERGENCES.md), and
// the byte representation used in expectation files. Pure functions.
import type { Observation, RawObservation } from './types.ts';

export interface NormaliseContext {
  /** Every spelling of the side's bin dir (as given, realpath, real dirs of the programs). */
  readonly binDirs: readonly string[];
  /** N2 applies to the legacy side only: the port writes `<path>: <message>` itself, and a
   *  message may start with digits (`2: parameter not set or null` names `$2`). */
  readonly dashLineNumbers: boolean;
}

/** N1-N5 and N10 over one byte field (latin1 keeps every byte as one char). */
export function normaliseText(bytes: Buffer, ctx: NormaliseContext): Buffer {
  let text = bytes.toString('latin1');
  // N1: the bin dir path -> <bin> (the two sides live in different directories).
  for (const dir of [...ctx.binDirs].sort((a, b) => b.length - a.length)) {
    if (dir) text = text.split(`${dir.replace(/\/+$/, '')}/`).join('<bin>/');
  }
  // N2: dash's `<script>: <line>: ` prefix -> `<script>: ` (the port has no line numbers).
  if (ctx.dashLineNumbers) text = text.replace(/(<bin>\/[A-Za-z0-9_.-]+): \d+: /g, '$1: ');
  // N3: curl's time_total in check results: digits masked, 6 decimals kept.
  text = text.replace(/"time_s":\d+\.\d{6}(?=[,}])/g, '"time_s":N.NNNNNN');
  // N4: durations inside curl's own error lines.
  text = text.replace(/\bafter \d+ (ms|milliseconds)\b/g, 'after N $1');
  // N5: socat's log prefix (date, time, pid).
  text = text.replace(/\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d socat\[\d+\]/g, 'YYYY/MM/DD hh:mm:ss socat[PID]');
  // ... and the pid of a router child inside such a line (`E waitpid(): child 29406 exited`).
  text = text.replace(/^(YYYY\/MM\/DD hh:mm:ss socat\[PID\] .*?)\bchild \d+/gm, '$1child PID');
  // N10: socat's report of a router child that exited non-zero is dropped: socat writes it
  // from its SIGCHLD handler only when the signal beats its own close of the connection (else
  // it logs at info level, unseen), so the line comes and goes from run to run.
  text = text.replace(/^YYYY\/MM\/DD hh:mm:ss socat\[PID\] E waitpid\(\): child PID exited with status \d+\n/gm, '');
  return Buffer.from(text, 'latin1');
}

/** Text when the bytes are valid UTF-8 (readable in review), else { base64 }. */
export function represent(bytes: Buffer): string | { base64: string } {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : { base64: bytes.toString('base64') };
}

export function fromRepresentation(value: string | { base64: string }): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value.base64, 'base64');
}

export function normaliseObservation(raw: RawObservation, ctx: NormaliseContext): Observation {
  const field = (b64: string) => represent(normaliseText(Buffer.from(b64, 'base64'), ctx));
  const out: Observation = { stdout: field(raw.stdout), stderr: field(raw.stderr), exit: raw.exit };
  if (raw.stopStatus !== undefined) out.stopStatus = raw.stopStatus;
  if (raw.responses) out.responses = raw.responses.map((r) => ({ bytes: field(r.bytes), end: r.end }));
  if (raw.files) {
    out.files = Object.fromEntries(
      Object.entries(raw.files)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, b64]) => [name, represent(Buffer.from(b64, 'base64'))]),
    );
  }
  if (raw.telegram) out.telegram = raw.telegram.map((t) => ({ ...t }));
  if (raw.peerRequests) out.peerRequests = raw.peerRequests.map((p) => ({ ...p, authorization: [...p.authorization] }));
  if (raw.harnessErrors?.length) out.harnessErrors = [...raw.harnessErrors];
  return out;
}

/**
 * N7, for `compare: 'sides'` cases only: the host's own file systems (anything not under /mnt,
 * the sandbox's) change while the suite runs, so their figures and the Content-Length are
 * masked; mount points, order, format and the sandbox's fixed-size tmpfs figures still count.
 */
export function maskHostFigures(observation: Observation): Observation {
  const mask = (value: string | { base64: string }) => {
    if (typeof value !== 'string') return value;
    return value
      .replace(
        /\{"mount":"((?!\/mnt[/"])[^"]*)","size_blocks":\d+,"used":\d+,"avail":\d+,"use_percent":"[^"]*"\}/g,
        '{"mount":"$1","size_blocks":N,"used":N,"avail":N,"use_percent":"N"}',
      )
      .replace(/^Content-Length: \d+\r$/m, 'Content-Length: N\r');
  };
  return {
    ...observation,
    stdout: mask(observation.stdout),
    ...(observation.responses ? { responses: observation.responses.map((r) => ({ ...r, bytes: mask(r.bytes) })) } : {}),
  };
}
