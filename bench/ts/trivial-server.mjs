// trivial-server.mjs: the benchmark's reference server on the official
// TypeScript SDK (@modelcontextprotocol/sdk). The same single tool as
// bench/trivial_server.cpp: `echo` {text} -> a text block with the same text.
//
//   node trivial-server.mjs                                 stdio (StdioServerTransport)
//   node trivial-server.mjs --http HOST:PORT [--json-response]
//       Streamable HTTP on node:http at http://HOST:PORT/mcp, stateful: one
//       StreamableHTTPServerTransport and one McpServer per session, as in the
//       SDK's simpleStreamableHttp example. Port 0 picks a free port; the first
//       stdout line is the endpoint URL (bench/mcp_load reads it). Responses are
//       SSE streams (the SDK's default) unless --json-response is given.
//
// The SDK is loaded from the pinned install that scripts/node-tools.sh makes in
// <repo>/.tools (override with LMHUNT_TOOLS_DIR). It is resolved with
// createRequire because ESM bare imports cannot be pointed at another
// node_modules; that loads the SDK's CommonJS build, the same code as its ESM one.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const toolsDir = process.env.LMHUNT_TOOLS_DIR || path.resolve(here, '../../.tools');
const require = createRequire(path.join(toolsDir, 'package.json'));
const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');
const { StreamableHTTPServerTransport } = require('@modelcontextprotocol/sdk/server/streamableHttp.js');
const { isInitializeRequest } = require('@modelcontextprotocol/sdk/types.js');
const z = require('zod/v4');

function newServer() {
  const server = new McpServer({ name: 'ts-bench', version: '0.1.0' });
  server.registerTool(
    'echo',
    {
      description: 'Returns its text argument unchanged.',
      inputSchema: { text: z.string() },
      annotations: { readOnlyHint: true }
    },
    async ({ text }) => ({ content: [{ type: 'text', text }] })
  );
  return server;
}

function jsonRpcError(res, status, code, message) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function serveHttp(hostPort, jsonResponse) {
  const colon = hostPort.lastIndexOf(':');
  const host = colon > 0 ? hostPort.slice(0, colon) : '127.0.0.1';
  const port = Number(hostPort.slice(colon + 1));
  const transports = new Map(); // session id -> transport

  const httpServer = http.createServer(async (req, res) => {
    try {
      if (new URL(req.url, 'http://localhost').pathname !== '/mcp') {
        res.writeHead(404).end();
        return;
      }
      let body;
      if (req.method === 'POST') {
        try {
          body = await readJson(req);
        } catch {
          jsonRpcError(res, 400, -32700, 'Parse error');
          return;
        }
      }
      const sessionId = req.headers['mcp-session-id'];
      let transport = sessionId ? transports.get(sessionId) : undefined;
      if (!transport) {
        if (sessionId) {
          jsonRpcError(res, 404, -32001, 'Session not found');
          return;
        }
        if (req.method !== 'POST' || !isInitializeRequest(body)) {
          jsonRpcError(res, 400, -32000, 'Bad Request: No valid session ID provided');
          return;
        }
        transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          enableJsonResponse: jsonResponse,
          onsessioninitialized: (id) => transports.set(id, transport)
        });
        transport.onclose = () => {
          if (transport.sessionId) transports.delete(transport.sessionId);
        };
        await newServer().connect(transport);
      }
      await transport.handleRequest(req, res, body);
    } catch (error) {
      console.error('trivial-server:', error);
      if (!res.headersSent) jsonRpcError(res, 500, -32603, 'Internal server error');
    }
  });

  httpServer.listen(port, host, () => {
    const bound = httpServer.address().port;
    process.stdout.write(`http://${host}:${bound}/mcp\n`);
  });
  const stop = async () => {
    for (const transport of transports.values()) await transport.close().catch(() => {});
    httpServer.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const args = process.argv.slice(2);
if (args.length === 0) {
  await newServer().connect(new StdioServerTransport());
} else if (args[0] === '--http' && args.length >= 2) {
  serveHttp(args[1], args.includes('--json-response'));
} else {
  console.error('usage: node trivial-server.mjs [--http HOST:PORT [--json-response]]');
  process.exit(2);
}
