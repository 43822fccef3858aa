/**
 * The read targets' yardstick (docs/benchmarks.md): a bare node:http server answering precomputed
 * bodies, in a child process of its own like `serve`. It does no routing work beyond one
 * comparison, so its throughput is the most this machine, Node and the load tool allow for a body
 * of that size.
 *
 * Usage: node --import tsx bench/baseline-server.ts LIST_BODY_FILE DETAIL_BODY_FILE
 * Prints `baseline listening on http://127.0.0.1:PORT` when ready.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';

const [listFile, detailFile] = process.argv.slice(2);
if (!listFile || !detailFile) {
  console.error('usage: baseline-server.ts LIST_BODY_FILE DETAIL_BODY_FILE');
  process.exit(2);
}
const list = readFileSync(listFile);
const detail = readFileSync(detailFile);

const server = http.createServer((req, res) => {
  const body = req.url?.startsWith('/list') ? list : detail;
  // Drain any request body so keep-alive connections stay usable.
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 10_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') console.log(`baseline listening on http://127.0.0.1:${address.port}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
