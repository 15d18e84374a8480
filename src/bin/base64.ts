// Entry point of the legacy-compatible `base64` helper (`base64 encode|decode STRING`).
import { answerInfoFlags } from '../cli.ts';
import { runBase64 } from '../base64.ts';

const info = {
  name: 'base64',
  summary: 'base64 encode STRING | base64 decode STRING (the originals\' helper, not coreutils base64).',
  variables: [],
};

const args = process.argv.slice(2);
if (!(args[0]?.startsWith('-') && answerInfoFlags(args, info))) {
  const result = runBase64(process.argv[1] ?? 'base64', args);
  if (result.stderr) process.stderr.write(result.stderr);
  if (result.stdout.length > 0) process.stdout.write(result.stdout);
  process.exitCode = result.status;
}
