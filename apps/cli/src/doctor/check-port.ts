import { createServer } from 'node:net';
import { createDoctorCheck, type DoctorCheck } from './doctor-check';

/** Can `serve` listen on `host:port`? Binds and closes a socket to find out. */
export async function checkPort({
  host,
  port,
}: {
  host: string;
  port: number;
}): Promise<DoctorCheck> {
  const errorCode = await new Promise<string | undefined>((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'unknown error'));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (errorCode === undefined) {
    return createDoctorCheck({
      id: 'port',
      status: 'ok',
      message: `${address} is free for \`qwen-relay serve\``,
    });
  }
  if (errorCode === 'EADDRINUSE') {
    return createDoctorCheck({
      id: 'port',
      status: 'warn',
      message: `${address} is already in use (is \`qwen-relay serve\` already running?)`,
      fix: 'stop the other program, or choose another port with `--port N` / PORT',
    });
  }
  return createDoctorCheck({
    id: 'port',
    status: 'fail',
    message: `cannot listen on ${address} (${errorCode})`,
    fix: errorCode === 'EACCES' ? 'use a port above 1024 with `--port N`' : 'check HOST / --host',
  });
}
