// Entry point of `probe` (the TCP server). Thin: environment, flags, library.
import { answerInfoFlags, configure } from '../cli.ts';
import { processEnvironment, readProbeEnv } from '../env.ts';
import { processStderr } from '../log.ts';
import { runProbe } from '../probe.ts';

if (!answerInfoFlags(process.argv.slice(2), 'probe')) {
  const programPath = process.argv[1] ?? 'probe';
  const configured = configure(processEnvironment(), 'probe', programPath, readProbeEnv);
  const started = configured.ok ? await runProbe(configured.config, programPath) : ({ kind: 'exit', ...configured } as const);
  if (started.kind === 'exit') {
    processStderr(started.stderr);
    process.exitCode = started.status;
  }
}
