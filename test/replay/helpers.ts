// Real HTTP servers on 127.0.0.1 (ephemeral ports) for replay tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface TestServer {
  url: string;
  port: number;
  received: Received[];
  server: Server;
  close(): Promise<void>;
}

export type Handler = (req: Received, res: ServerResponse) => void;

export async function startServer(handler: Handler): Promise<TestServer> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(r);
      handler(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/segment`,
    port,
    received,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(body === undefined ? "" : JSON.stringify(body));
}

/** A well-behaved endpoint: key "segment", identify/track/page/group/delete, 400 on bad JSON, 501 otherwise. */
export const goodEndpoint: Handler = (req, res) => {
  if (req.headers.authorization !== "Basic c2VnbWVudDo=") return json(res, 401, { message: "Invalid API key" });
  let msg: { type?: string };
  try {
    msg = JSON.parse(req.body);
  } catch {
    return json(res, 400, { message: "Body is not JSON" });
  }
  if (!["identify", "track", "page", "group", "delete"].includes(String(msg.type)))
    return json(res, 501, { message: `${msg.type} not supported` });
  json(res, 200, { ok: true });
};

/** A port nothing listens on. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
