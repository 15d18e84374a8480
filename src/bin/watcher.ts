// Entry point of `watcher`. Thin: flags, the silence commands, start-up, signals, the round loop.
import { encode } from '../bytes.ts';
import { answerInfoFlags, prepareClient } from '../cli.ts';
import { processEnvironment } from '../env.ts';
import { processStderr } from '../log.ts';
import { killResolvers } from '../watcher/discovery/resolve.ts';
import { isSilenceCommand, runSilenceCommand } from '../watcher/silence-command.ts';
import { startWatcher } from '../watcher/startup.ts';
import { Watcher } from '../watcher/watcher.ts';

if (answerInfoFlags(process.argv.slice(2), 'watcher')) {
  // --help, --version: answered
} else if (isSilenceCommand(process.argv[2])) {
  // D19: `silence`, `unsilence`, `silences` as the first argument (any other stays ignored).
  process.exitCode = await runSilenceCommand(process.argv.slice(2), processEnvironment(), {
    stdout: (text) => process.stdout.write(encode(text)),
    stderr: processStderr,
  });
  killResolvers();
} else {
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
