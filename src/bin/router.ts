// Entry point of `router` (one exchange on stdin/stdout). Thin: environment, flags, library.
import { answerInfoFlags } from '../cli.ts';
import { EnvError, processEnvironment, readCaFiles, readLocaleEnv, readRouterEnv } from '../env.ts';
import { trustCaFiles } from '../http/ca.ts';
import { processStderr } from '../log.ts';
import { useLocale } from '../http/client.ts';
import { runRouter, type RouterEnd } from '../router.ts';

const info = {
  name: 'router',
  summary: 'Answers one HTTP request read from stdin on stdout (/, /status, /disk), then exits.',
  program: 'router',
} as const;

async function run(program: string): Promise<RouterEnd> {
  const env = processEnvironment();
  try {
    const config = readRouterEnv(env);
    trustCaFiles(readCaFiles(env, 'router'));
    useLocale(readLocaleEnv(env));
    return await runRouter(config, program);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    return { status: 1, stderr: `${program}: ${error.message}\n` }; // [D14] the probe's originals also exit 1 on a bad PORT
  }
}

if (!answerInfoFlags(process.argv.slice(2), info)) {
  const end = await run(process.argv[1] ?? 'router');
  if (end.stderr) processStderr(end.stderr);
  process.exitCode = end.status;
}
