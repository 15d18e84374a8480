// Entry point of `watcher`. Thin: flags, start-up, signals, the round loop.
import { answerInfoFlags } from '../cli.ts';
import { processEnvironment, readCaFiles, readLocaleEnv } from '../env.ts';
import { trustCaFiles } from '../http/ca.ts';
import { processStderr } from '../log.ts';
import { useLocale } from '../http/client.ts';
import { killResolvers } from '../watcher/discovery/resolve.ts';
import { startWatcher } from '../watcher/startup.ts';
import { Watcher } from '../watcher/watcher.ts';

const info = {
  name: 'watcher',
  summary:
    'Polls every peer found under PEERS_DNS (or in the SRV records of PEERS_SRV) and sends a Telegram message when one changes state.',
  program: 'watcher',
} as const;

if (!answerInfoFlags(process.argv.slice(2), info)) {
  const programPath = process.argv[1] ?? 'watcher';
  const env = processEnvironment();
  const startup = startWatcher(env, programPath);
  if (!startup.ok) {
    processStderr(startup.stderr);
    process.exitCode = startup.status;
  } else {
    trustCaFiles(readCaFiles(env, 'watcher'));
    useLocale(readLocaleEnv(env));
    // D13: TERM, INT and HUP end the watcher at once with status 0. State files are written
    // synchronously (temp file + rename), so a signal never lands in the middle of one.
    const stop = (): void => {
      killResolvers();
      process.exit(0);
    };
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, stop);
    await new Watcher(startup.config, { programPath, stderr: processStderr }).run();
  }
}
