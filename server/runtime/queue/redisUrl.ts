/**
 * A Redis address as given on the command line (`worker --redis`) or in a spec
 * (`execution.queue.redis`), checked before anything connects: `new Redis(url)` throws a bare
 * `TypeError: Invalid URL` for a port such as 99999 and silently uses database 0 when the path
 * is not a number.
 */
export interface RedisAddress {
  /** The URL exactly as given (ioredis parses it). */
  readonly url: string;
  /** The URL with any password replaced by `***`, for messages and logs. */
  readonly display: string;
  /** Database number from the path (`redis://host:6379/2`), 0 when absent. */
  readonly db: number;
}

/**
 * The Redis address is wrong in a way retrying cannot fix: a malformed URL, or one the server
 * rejects (no such database, wrong password). Callers map it onto their own input error
 * (a usage error for `worker --redis`, a spec error for `execution.queue.redis`).
 */
export class RedisConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisConfigError';
  }
}

const EXAMPLE = 'e.g. redis://127.0.0.1:6379 or rediss://:password@host:6380/1';

export function parseRedisUrl(text: string): RedisAddress {
  if (!/^rediss?:\/\//i.test(text)) throw new RedisConfigError(`"${text}" is not a Redis URL: it must start with redis:// or rediss:// (${EXAMPLE})`);
  const shown = redact(text);
  // Checked on the text: the URL parser rejects an out-of-range port with a bare "Invalid URL".
  const port = portText(text);
  if (port !== undefined && port !== '' && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw new RedisConfigError(`"${shown}": the port must be a number from 1 to 65535, got "${port}"`);
  }
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new RedisConfigError(`"${shown}" is not a valid URL (${EXAMPLE})`);
  }
  if (parsed.hostname === '') throw new RedisConfigError(`"${shown}" names no host (${EXAMPLE})`);
  const path = parsed.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,6}$/.test(path)) {
    throw new RedisConfigError(`"${shown}": the path must be a database number such as /0, got "/${path}"`);
  }
  return { url: text, display: shown, db: path === '' ? 0 : Number(path) };
}

/** What follows the host's colon in `scheme://[user:pass@]host:PORT/...`, if there is a colon. */
function portText(text: string): string | undefined {
  const authority = text.replace(/^rediss?:\/\//i, '').split(/[/?#]/)[0];
  const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1);
  const match = /^(?:\[[^\]]*\]|[^:]*):(.*)$/.exec(hostAndPort);
  return match?.[1];
}

/** The URL with its password hidden. */
function redact(text: string): string {
  return text.replace(/^(rediss?:\/\/[^:@/?#]*:)[^@/?#]*@/i, '$1***@');
}
