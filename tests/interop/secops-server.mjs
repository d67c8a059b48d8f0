// secops-server.mjs: a small MCP server built on the official TypeScript SDK
// (@modelcontextprotocol/sdk 1.30.0), with secops-mcp's tool names and result
// shapes as FastMCP encodes them (docs/reference/downstream-servers.md §3-4):
//   search_udm    -> structuredContent {"result": {...}} + the same JSON as text
//   lookup_entity -> text, structuredContent {"result": "<the text>"}
// It lets tests/interop_test.cpp check that our client talks to an MCP
// implementation no one here wrote.
//
//   node secops-server.mjs --sdk <sdk dir> --stdio
//   node secops-server.mjs --sdk <sdk dir> --http [--json-response]
//       prints "PORT <n>" on stdout once listening on 127.0.0.1:<n>/mcp
// Logs go to stderr.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const sdkIndex = args.indexOf('--sdk');
if (sdkIndex < 0 || !args[sdkIndex + 1]) {
  console.error('usage: secops-server.mjs --sdk <@modelcontextprotocol/sdk dir> (--stdio | --http [--json-response])');
  process.exit(2);
}
const sdkDir = args[sdkIndex + 1];
const load = (file) => import(pathToFileURL(path.join(sdkDir, 'dist/esm', file)).href);
const { Server } = await load('server/index.js');
const { StdioServerTransport } = await load('server/stdio.js');
const { StreamableHTTPServerTransport } = await load('server/streamableHttp.js');
const { ListToolsRequestSchema, CallToolRequestSchema } = await load('types.js');

const tools = [
  {
    name: 'search_udm',
    description: 'Search UDM events in Chronicle SIEM with a raw UDM query.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string' },
        hours_back: { type: 'integer', default: 24 },
        max_events: { type: 'integer' },
        project_id: { type: 'string' },
        customer_id: { type: 'string' },
        region: { type: 'string' },
      },
      required: ['query'],
    },
    outputSchema: {
      type: 'object',
      properties: { result: { type: 'object', additionalProperties: true } },
      required: ['result'],
    },
  },
  {
    name: 'lookup_entity',
    description: 'Look up an entity (IP, host, user, hash) in Chronicle SIEM.',
    inputSchema: {
      type: 'object',
      properties: {
        entity_value: { type: 'string' },
        hours_back: { type: 'integer', default: 24 },
      },
      required: ['entity_value'],
    },
    outputSchema: {
      type: 'object',
      properties: { result: { type: 'string' } },
      required: ['result'],
    },
  },
];

// search_udm finds one PsExec service install when the query mentions
// PSEXESVC, and nothing otherwise; max_events bounds the answer.
function searchUdm(argsIn) {
  const query = String(argsIn.query ?? '');
  const events = [];
  if (query.includes('PSEXESVC')) {
    events.push({
      name: 'projects/p/locations/us/instances/c/events/e1',
      udm: {
        metadata: { eventType: 'PROCESS_LAUNCH', eventTimestamp: '2025-11-20T10:00:00Z' },
        principal: { hostname: 'ws-042', user: { userid: 'svc_admin' } },
        target: { process: { file: { fullPath: 'C:\\Windows\\PSEXESVC.exe' } } },
      },
    });
  }
  const limit = Number.isInteger(argsIn.max_events) ? argsIn.max_events : 10000;
  return { events: events.slice(0, limit), total_events: events.length, more_data_available: false };
}

function makeServer() {
  const server = new Server(
    { name: 'secops-interop', version: '1.30.0-test' },
    { capabilities: { tools: {} } },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: argsIn = {} } = request.params;
    const token = request.params._meta?.progressToken;
    if (token !== undefined) {
      await extra.sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress: 1, total: 2, message: `running ${name}` },
      });
    }
    if (name === 'search_udm') {
      const result = searchUdm(argsIn);
      return {
        content: [{ type: 'text', text: JSON.stringify(result, null, 2) }],
        structuredContent: { result },
        isError: false,
      };
    }
    if (name === 'lookup_entity') {
      const value = String(argsIn.entity_value ?? '');
      const text = `Entity Summary for ${value}:\nFirst seen: 2025-11-01T00:00:00Z\nAlerts: 0`;
      return { content: [{ type: 'text', text }], structuredContent: { result: text }, isError: false };
    }
    return {
      content: [{ type: 'text', text: `Error executing tool ${name}: Unknown tool: ${name}` }],
      isError: true,
    };
  });
  return server;
}

if (args.includes('--stdio')) {
  await makeServer().connect(new StdioServerTransport());
  console.error('secops-interop: serving stdio');
} else if (args.includes('--http')) {
  const jsonResponse = args.includes('--json-response');
  const transports = new Map();
  const httpServer = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      if (url.pathname !== '/mcp') {
        res.writeHead(404).end('not found');
        return;
      }
      const sid = req.headers['mcp-session-id'];
      let transport = sid ? transports.get(sid) : undefined;
      if (!transport) {
        if (sid) {
          res.writeHead(404, { 'content-type': 'application/json' }).end(
            JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
          return;
        }
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          enableJsonResponse: jsonResponse,
          onsessioninitialized: (id) => {
            transports.set(id, created);
            console.error(`secops-interop: session started ${id}`);
          },
        });
        created.onclose = () => {
          if (created.sessionId && transports.delete(created.sessionId)) {
            console.error(`secops-interop: session closed ${created.sessionId}`);
          }
        };
        await makeServer().connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res);
    } catch (error) {
      console.error('secops-interop: request failed:', error);
      if (!res.headersSent) res.writeHead(500).end(String(error));
    }
  });
  httpServer.listen(0, '127.0.0.1', () => {
    process.stdout.write(`PORT ${httpServer.address().port}\n`);
    console.error(`secops-interop: serving http://127.0.0.1:${httpServer.address().port}/mcp` +
      (jsonResponse ? ' (JSON responses)' : ' (SSE responses)'));
  });
} else {
  console.error('secops-server.mjs: pass --stdio or --http');
  process.exit(2);
}
