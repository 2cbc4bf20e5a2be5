import net from 'node:net';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago: bind to port 0, read the port the OS chose, close. Another
 * process could take it before the app binds it; the OS hands out ephemeral ports in turn, so that is rare, and the
 * shutdown probe or the pod's readiness then says so.
 */
export function allocatePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('the OS gave no port'))));
    });
  });
}
