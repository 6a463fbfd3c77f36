// A loopback server that checks RFC 9421 signatures with
// http-message-signatures (npm, pinned in bin/npm), for the Chromium test:
// POST /keys registers a public JWK under a keyid (with its alg); any other
// request is verified and answered 200 "ok" or 401 with the reason. CORS
// lets a page call it. It prints its port.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createHash, createPublicKey } from 'node:crypto';

const require = createRequire(import.meta.url);
const { httpbis: { verifyMessage }, createVerifier } = require(process.argv[2]);
const keys = new Map();

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*', 'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE' };
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    const body = Buffer.concat(chunks);
    if (req.url === '/keys') {
      const { keyid, alg, jwk } = JSON.parse(body);
      keys.set(keyid, { id: keyid, alg, verify: createVerifier(alg === 'hmac-sha256' ? Buffer.from(jwk.k, 'base64url') : createPublicKey({ key: jwk, format: 'jwk' }), alg) });
      return res.writeHead(204, cors).end();
    }
    let answer = 'ok';
    try {
      const ok = await verifyMessage({ keyLookup: async (p) => keys.get(p.keyid) ?? null }, { method: req.method, url: 'http://' + req.headers.host + req.url, headers: req.headers });
      if (!ok) answer = 'not verified';
      const cd = req.headers['content-digest'];
      if (body.length > 0 && cd !== 'sha-256=:' + createHash('sha256').update(body).digest('base64') + ':') answer = 'content-digest ' + cd;
    } catch (err) {
      answer = 'refused: ' + err.message;
    }
    res.writeHead(answer === 'ok' ? 200 : 401, cors).end(answer);
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.stdin.on('end', () => process.exit(0)).resume();
