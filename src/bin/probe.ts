// Entry point of `probe` (the TCP server). Thin: environment, flags, library.
import { answerInfoFlags } from '../cli.ts';
import { EnvError, PROBE_VARIABLES, readProbeEnv } from '../env.ts';
import { runProbe } from '../probe.ts';

const info = {
  name: 'probe',
  summary: 'Serves /, /status and /disk over HTTP on PORT (IPv4, all addresses), one request per connection.',
  variables: PROBE_VARIABLES,
};

if (!answerInfoFlags(process.argv.slice(2), info)) {
  const program = process.argv[1] ?? 'probe';
  try {
    const status = await runProbe(readProbeEnv(process.env), program);
    if (status !== null) process.exitCode = status;
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    process.stderr.write(`${program}: ${error.message}\n`);
    process.exitCode = 1; // [D14] socat also exits 1 on a bad PORT
  }
}
