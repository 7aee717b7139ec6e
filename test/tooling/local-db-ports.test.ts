import { connect, createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without type declarations
import { portFree, portFreeSoon, portHasListener } from '../../scripts/local-db/processes.mjs';

// The local-db ports lie in Linux's ephemeral range: a client connection may have been given one
// as its source port and hold it in TIME_WAIT for a minute after it closed. Starting an instance
// then must wait for it, not fail (seen in .ci/run: the bench instance, started last, found its port
// held so), while a port a server listens on must still fail at once.

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

/** A port left in TIME_WAIT by a client that closed first, with no server on it any more. */
async function timeWaitPort(): Promise<number> {
  const server = createServer((socket) => socket.on('end', () => socket.end()));
  const serverPort = await listen(server);
  const client = connect({ port: serverPort, host: '127.0.0.1' });
  await new Promise((resolve) => client.on('connect', resolve));
  const clientPort = client.localPort!;
  // The client closes first: its side of the connection goes to TIME_WAIT.
  client.end();
  await new Promise((resolve) => client.on('close', resolve));
  await new Promise((resolve) => server.close(resolve));
  return clientPort;
}

describe('scripts/local-db ports', () => {
  it('tells a port a server listens on from one a closed connection holds', async () => {
    const server = createServer();
    const listening = await listen(server);
    try {
      expect(await portFree(listening)).toBe(false);
      expect(portHasListener(listening)).toBe(true);
      const started = Date.now();
      expect(await portFreeSoon(listening)).toBe(false);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }

    const held = await timeWaitPort();
    expect(await portFree(held)).toBe(false);
    expect(portHasListener(held)).toBe(false);
  });

  it('finds a free port free at once', async () => {
    const server = createServer();
    const port = await listen(server);
    await new Promise((resolve) => server.close(resolve));
    expect(await portFreeSoon(port)).toBe(true);
  });
});
