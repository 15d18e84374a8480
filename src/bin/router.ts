// Entry point of `router` (one exchange on stdin/stdout). Thin: environment, flags, library.
import { answerInfoFlags } from '../cli.ts';
import { EnvError, readRouterEnv, ROUTER_VARIABLES } from '../env.ts';
import { runRouter } from '../router.ts';

const info = {
  name: 'router',
  summary: 'Answers one HTTP request read from stdin on stdout (/, /status, /disk), then exits.',
  variables: ROUTER_VARIABLES,
};

if (!answerInfoFlags(process.argv.slice(2), info)) {
  try {
    await runRouter(readRouterEnv(process.env));
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    process.stderr.write(`${process.argv[1]}: ${error.message}\n`);
    process.exitCode = 1; // [D14] the probe's originals also exit 1 on a bad PORT
  }
}
