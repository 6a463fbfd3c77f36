// A bare Node http server, run in a child process by make bench: Basic
// auth checked by hand, nothing else, so that what is measured is the
// client. It prints its port.
import { createServer } from 'node:http';

const ok = 'Basic ' + Buffer.from('user:pass').toString('base64');
const server = createServer((req, res) => {
  const good = req.headers.authorization === ok;
  res.writeHead(good ? 200 : 401, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
  res.end(good ? '{"authenticated":true}' : '{"authenticated":false}');
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
