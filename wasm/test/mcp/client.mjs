// A thin MCP client for the MCP conformance suite's client scenarios: JSON-
// RPC initialize, tools/list and tools/call over Streamable HTTP (JSON or
// SSE answers), every authorization step done by authlib. The suite runs it
// with the server's URL as its last argument, the scenario's name in
// MCP_CONFORMANCE_SCENARIO and its credentials in MCP_CONFORMANCE_CONTEXT.
import { load } from '../../../web/dist/authlib.mjs';

const url = process.argv.at(-1);
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT || '{}');
const version = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION || '2025-11-25';
const authlib = await load();

// The browser's part: the suite's authorization server approves at once and
// sends the browser back to the redirect URI with the code.
const auth = {
  type: 'oauth2', resource: url, redirectURI: 'http://127.0.0.1:9/callback',
  onAuthorize: async (u) => (await fetch(u, { redirect: 'manual' })).headers.get('location'),
};
if (context.client_id) auth.clientId = context.client_id;
if (context.client_secret) auth.clientSecret = context.client_secret;
const client = authlib.client({ auth });

let session;
let next = 1;
async function rpc(method, params, notify = false) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': version };
  if (session) headers['Mcp-Session-Id'] = session;
  const id = notify ? undefined : next++;
  const res = await client.fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method, params, id }) });
  session ??= res.headers.get('mcp-session-id') ?? undefined;
  const text = await res.text();
  if (notify) return null;
  if (!res.ok) throw new Error(`${method}: HTTP ${res.status} ${text}`);
  const messages = (res.headers.get('content-type') ?? '').includes('text/event-stream')
    ? text.split('\n').filter((l) => l.startsWith('data:')).map((l) => JSON.parse(l.slice(5)))
    : [JSON.parse(text)];
  const answer = messages.find((m) => m.id === id);
  if (!answer || answer.error) throw new Error(`${method}: ${JSON.stringify(answer?.error ?? messages)}`);
  return answer.result;
}

try {
  await rpc('initialize', { protocolVersion: version, capabilities: {}, clientInfo: { name: 'authlib-conformance', version: '0.1.0' } });
  await rpc('notifications/initialized', {}, true);
  const { tools = [] } = await rpc('tools/list', {});
  for (const tool of tools.slice(0, 1)) await rpc('tools/call', { name: tool.name, arguments: {} });
} catch (err) {
  console.error('client:', err?.message ?? err);
  process.exitCode = 1;
} finally {
  client.close();
}
