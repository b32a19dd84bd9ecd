import { redactSecrets, redactSecretsInValue } from '@qwen-relay/contracts';
import type { LogFormat, LogLevel } from '../config/proxy-config';
import { type BatchedLineWriter, createBatchedLineWriter } from './create-batched-line-writer';
import { createIsoTimeFormatter } from './create-iso-time-formatter';

/** Level of one line (`silent` is only a threshold). */
export type LogLineLevel = Exclude<LogLevel, 'silent'>;

/** Structured fields of a log line; secrets are redacted before writing. */
export type LogFields = Record<string, unknown>;

/** One request's access line: `<method> <path> <status> <ms>ms` with its request id. */
export interface AccessLine {
  /** `info` for API routes, `debug` for probes and scrapes */
  level: 'debug' | 'info';
  method: string;
  /** the request target without its query string */
  path: string;
  status: number;
  durationInMs: number;
  requestId: string;
  /** how a streamed answer ended (none for a whole answer) */
  stream?: string | undefined;
}

/** The proxy's logger: pretty or JSON lines, level-filtered, secrets redacted everywhere. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /**
   * The access line, written exactly as `info` / `debug` would write its message and its
   * `requestId` and `stream` fields, without their generic field handling (one per request)
   */
  access(line: AccessLine): void;
  isLevelEnabled(level: LogLineLevel): boolean;
}

const LEVEL_ORDER: Record<LogLevel, number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  silent: 100,
};

const PRETTY_LABELS: Record<LogLineLevel, string> = {
  debug: 'DEBUG',
  info: 'INFO ',
  warn: 'WARN ',
  error: 'ERROR',
};

function formatPrettyValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

// integer-like keys ("0", "17") come first in an object's key order, before `time`
const ARRAY_INDEX_KEY = /^(?:0|[1-9]\d{0,9})$/;

/** Whether the line must be one stringified object (see formatJsonLine). */
function needsWholeObject(fields: LogFields): boolean {
  for (const key in fields) {
    if (key === 'time' || key === 'level' || key === 'msg' || ARRAY_INDEX_KEY.test(key)) {
      return true;
    }
  }
  return false;
}

/**
 * A JSON line: time, level and message first, then the fields. Built from parts, unless a field
 * is named like one of the first three (it replaces it in place, as the spread in a literal
 * would) or like an array index (the object puts it before `time`): then one stringified object.
 */
function formatJsonLine({
  time,
  level,
  message,
  fields,
}: {
  time: string;
  level: LogLineLevel;
  message: string;
  fields: LogFields;
}): string {
  if (needsWholeObject(fields)) {
    return JSON.stringify({ time, level, msg: message, ...fields });
  }
  const head = `{"time":"${time}","level":"${level}","msg":${JSON.stringify(message)}`;
  const rest = JSON.stringify(fields);
  return rest === '{}' ? `${head}}` : `${head},${rest.slice(1)}`;
}

// one per process: every logger writing to stdout shares its queue (and its exit flush)
let stdoutWriter: BatchedLineWriter | undefined;
const writeStdoutLine = (line: string): void => {
  stdoutWriter ??= createBatchedLineWriter({ write: (text) => process.stdout.write(text) });
  stdoutWriter.writeLine(line);
};

/**
 * Creates a logger writing one line per call to `writeLine` (default: stdout, batched per turn
 * of the event loop by createBatchedLineWriter).
 */
export function createLogger({
  level,
  format,
  writeLine = writeStdoutLine,
  now = () => new Date(),
}: {
  level: LogLevel;
  format: LogFormat;
  writeLine?: (line: string) => void;
  now?: () => Date;
}): Logger {
  const threshold = LEVEL_ORDER[level];
  const formatTime = createIsoTimeFormatter();

  function log(lineLevel: LogLineLevel, message: string, fields: LogFields = {}): void {
    if (LEVEL_ORDER[lineLevel] < threshold) return;
    const safeMessage = redactSecrets(message);
    const safeFields = redactSecretsInValue(fields) as LogFields;
    const time = formatTime(now());
    if (format === 'json') {
      writeLine(
        formatJsonLine({ time, level: lineLevel, message: safeMessage, fields: safeFields }),
      );
      return;
    }
    // one access line per request goes through here: a plain loop, no intermediate arrays
    let details = '';
    for (const key in safeFields) {
      const value = safeFields[key];
      if (value === undefined) continue;
      details += `${details === '' ? '  ' : ' '}${key}=${formatPrettyValue(value)}`;
    }
    writeLine(`${time} ${PRETTY_LABELS[lineLevel]} ${safeMessage}${details}`);
  }

  function access({
    level: lineLevel,
    method,
    path,
    status,
    durationInMs,
    requestId,
    stream,
  }: AccessLine): void {
    if (LEVEL_ORDER[lineLevel] < threshold) return;
    // what log() gives for these two fields: neither key looks secret, both values are redacted
    const safeMessage = redactSecrets(`${method} ${path} ${status} ${Math.round(durationInMs)}ms`);
    const safeRequestId = redactSecrets(requestId);
    const time = formatTime(now());
    if (format === 'json') {
      const streamMember =
        stream === undefined ? '' : `,"stream":${JSON.stringify(redactSecrets(stream))}`;
      writeLine(
        `{"time":"${time}","level":"${lineLevel}","msg":${JSON.stringify(safeMessage)},` +
          `"requestId":${JSON.stringify(safeRequestId)}${streamMember}}`,
      );
      return;
    }
    const streamDetail =
      stream === undefined ? '' : ` stream=${formatPrettyValue(redactSecrets(stream))}`;
    writeLine(
      `${time} ${PRETTY_LABELS[lineLevel]} ${safeMessage}  requestId=${formatPrettyValue(safeRequestId)}${streamDetail}`,
    );
  }

  return {
    access,
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    isLevelEnabled: (lineLevel) => LEVEL_ORDER[lineLevel] >= threshold,
  };
}
