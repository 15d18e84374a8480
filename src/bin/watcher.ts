// Entry point of `watcher`. Thin: flags, start-up, signals, the round loop.
import { answerInfoFlags, prepareClient } from '../cli.ts';
import { processEnvironment } from '../env.ts';
import { processStderr } from '../log.ts';
import { killResolvers } from '../watcher/discovery/resolve.ts';
import { startWatcher } from '../watcher/startup.ts';
import { Watcher } from '../watcher/watcher.ts';

if (!answerInfoFlags(process.argv.slice(2), 'watcher')) {
  const programPath = process.argv[1] ?? 'watcher';
  const env = processEnvironment();
  const startup = startWatcher(env, programPath);
  if (!startup.ok) {
    processStderr(startup.stderr);
    process.exitCode = startup.status;
  } else {
    prepareClient(env, 'watcher');
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
