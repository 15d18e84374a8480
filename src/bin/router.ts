// Entry point of `router` (one exchange on stdin/stdout). Thin: environment, flags, library.
import { answerInfoFlags, configure } from '../cli.ts';
import { processEnvironment, readRouterEnv } from '../env.ts';
import { processStderr } from '../log.ts';
import { runRouter } from '../router.ts';

if (!answerInfoFlags(process.argv.slice(2), 'router')) {
  const programPath = process.argv[1] ?? 'router';
  const configured = configure(processEnvironment(), 'router', programPath, readRouterEnv);
  const end = configured.ok ? await runRouter(configured.config, programPath) : configured;
  if (end.stderr) processStderr(end.stderr);
  process.exitCode = end.status;
}
