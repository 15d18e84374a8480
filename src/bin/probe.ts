// Entry point of `probe` (the TCP server). Thin: environment, flags, library.
import { answerInfoFlags } from '../cli.ts';
import { EnvError, processEnvironment, readCaFiles, readLocaleEnv, readProbeEnv } from '../env.ts';
import { trustCaFiles } from '../http/ca.ts';
import { processStderr } from '../log.ts';
import { useLocale } from '../http/client.ts';
import { runProbe, type ProbeStart } from '../probe.ts';

const info = {
  name: 'probe',
  summary: 'Serves /, /status and /disk over HTTP on PORT (IPv4, all addresses), one request per connection.',
  program: 'probe',
} as const;

async function start(program: string): Promise<ProbeStart> {
  const env = processEnvironment();
  try {
    const config = readProbeEnv(env);
    trustCaFiles(readCaFiles(env, 'probe'));
    useLocale(readLocaleEnv(env));
    return await runProbe(config, program);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    return { kind: 'exit', status: 1, stderr: `${program}: ${error.message}\n` }; // [D14] socat also exits 1 on a bad PORT
  }
}

if (!answerInfoFlags(process.argv.slice(2), info)) {
  const started = await start(process.argv[1] ?? 'probe');
  if (started.kind === 'exit') {
    processStderr(started.stderr);
    process.exitCode = started.status;
  }
}
