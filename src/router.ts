// `router`: one HTTP exchange on stdin/stdout (docs/behaviour.md §4), so an operator's own socat
// (or inetd) setup can still run it. Reads the head only, answers, exits 0.
import { readAuthStateSync } from './auth.ts';
import type { RouterConfig } from './env.ts';
import { answer, authErrorLine } from './exchange.ts';
import { RequestHeadParser, type ParseResult } from './http/request.ts';
import { checkBudgetMs, StatusChecker } from './status.ts';
import { diskReport } from './disk.ts';
import { processStderr } from './log.ts';

function readHead(input: NodeJS.ReadableStream): Promise<ParseResult> {
  const parser = new RequestHeadParser();
  return new Promise((resolve) => {
    const done = (result: ParseResult): void => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('error', onEnd);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      const result = parser.push(chunk);
      if (result) done(result);
    };
    const onEnd = (): void => done(parser.end());
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onEnd);
  });
}

/** How an exchange ends: the exit status the entry point sets, and what it adds to stderr. */
export interface RouterEnd {
  readonly status: number;
  readonly stderr: string;
}

/** One exchange; `program` is the path dash's error lines name (process.argv[1]). */
export async function runRouter(config: RouterConfig, program: string): Promise<RouterEnd> {
  // Tokens are read before the request, once per exchange (edits apply to the next one).
  const auth = readAuthStateSync(config.authFile);
  const parsed = await readHead(process.stdin);
  // The body is never read: stop reading so the process can end.
  process.stdin.pause();
  process.stdin.destroy();
  const checker = new StatusChecker(checkBudgetMs(config.timeoutMs));
  const response = await answer(parsed, {
    urls: config.urls,
    certDays: config.certDays,
    statusPage: config.statusPage,
    auth: async () => auth,
    checks: (urls) => checker.checkAll(urls),
    disk: () => diskReport(config.volumes),
    stderr: processStderr,
    authUnavailable: (message) => processStderr(authErrorLine(message)),
  });
  if (!response) return { status: 0, stderr: '' };
  // The peer may be gone (socat closed the connection): say so as dash's printf did, exit 1.
  return new Promise((resolve) => {
    const failed = (): void => resolve({ status: 1, stderr: `${program}: printf: printf: I/O error\n` });
    process.stdout.once('error', failed);
    process.stdout.write(response, (error) => (error ? failed() : resolve({ status: 0, stderr: '' })));
  });
}
