/**
 * How the API writes its log: readable lines on a terminal (pino-pretty), JSON lines otherwise (a file, a
 * collector, CI). JOURNEYS_LOG_FORMAT=json|pretty overrides the guess. Redaction runs before either.
 */
import pretty from 'pino-pretty';

export type LogFormat = 'json' | 'pretty';

export function logFormat(env: NodeJS.ProcessEnv = process.env, isTTY = !!process.stdout.isTTY): LogFormat {
  const wanted = env.JOURNEYS_LOG_FORMAT;
  if (wanted === 'json' || wanted === 'pretty') return wanted;
  return isTTY ? 'pretty' : 'json';
}

/** The stream the API's logger writes to: undefined for JSON on stdout. */
export function logDestination(format: LogFormat = logFormat(), destination: NodeJS.WritableStream = process.stdout): NodeJS.WritableStream | undefined {
  if (format === 'json') return undefined;
  return pretty({
    destination, sync: true, colorize: destination === process.stdout && !!process.stdout.isTTY,
    translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,reqId', singleLine: true,
  });
}
