import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { allocatePort } from './free-port.ts';

describe('allocatePort', () => {
  it('gives a loopback port that is free again and can be bound', async () => {
    const port = await allocatePort();
    expect(port).toBeGreaterThan(0);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port }, resolve);
    });
    expect((server.address() as net.AddressInfo).port).toBe(port);
    // While it is taken, the next one is another port.
    expect(await allocatePort()).not.toBe(port);
    await new Promise((resolve) => server.close(resolve));
  });
});
