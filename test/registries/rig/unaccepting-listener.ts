/**
 * A loopback port whose connections never complete: a registry host that drops connection
 * attempts, for connect timeouts. A worker thread listens (backlog 1) and then blocks its own
 * event loop, so nothing accepts; two connections fill the kernel's accept queue, after which
 * Linux drops further SYNs and a connect attempt hangs until the client gives up.
 */
import { connect, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

export interface UnacceptingListener {
  port: number;
  close(): Promise<void>;
}

const LISTENER = `
const { workerData: flag, parentPort } = require('node:worker_threads');
const server = require('node:net').createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  Atomics.wait(flag, 0, 0); // blocks until close(): no accept while it waits
  server.close();
});
`;

/** Linux queues backlog + 1 connections. */
const QUEUE_FILLERS = 2;

export async function startUnacceptingListener(): Promise<UnacceptingListener> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(LISTENER, { eval: true, workerData: flag });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const fillers: Socket[] = [];
  const close = async (): Promise<void> => {
    for (const socket of fillers) socket.destroy();
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    await worker.terminate();
  };
  try {
    // One at a time, each waited for: the queue is full once these are in it.
    for (let i = 0; i < QUEUE_FILLERS; i++) {
      const socket = connect(port, '127.0.0.1');
      fillers.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      // Only there to take a place in the queue; what becomes of it later does not matter.
      socket.on('error', () => undefined);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { port, close };
}
