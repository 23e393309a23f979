// Acme's webhook endpoint for the platform's subscription, runnable locally with no dependencies.
// Accepts identify, track, page, group and delete; answers 501 for the calls Acme does not support.
import { createServer } from "node:http";

const PORT = Number(process.env.PORT ?? 8787);
const API_KEY = process.env.ACME_API_KEY ?? "local-test-key";
const SUPPORTED = new Set(["identify", "track", "page", "group", "delete"]);
const MAX_BODY = 64 * 1024;
const seen = new Set(); // messageIds already processed (deliveries are at-least-once)

function reply(res, status, message) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(message ? { message } : { ok: true }));
}

function authorised(header) {
  if (!header?.startsWith("Basic ")) return false;
  const [user] = Buffer.from(header.slice(6), "base64").toString("utf8").split(":");
  return user === API_KEY;
}

const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/health") return reply(res, 200);
  if (req.method !== "POST" || req.url !== "/segment") return reply(res, 404, "Not found.");
  if (!authorised(req.headers.authorization)) return reply(res, 401, "Invalid API key: copy it from Acme under Settings → API.");

  const chunks = [];
  let size = 0;
  req.on("data", (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY) {
      reply(res, 400, "Payload too large.");
      req.destroy();
    } else chunks.push(chunk);
  });
  req.on("end", () => {
    if (res.writableEnded) return;
    let event;
    try {
      event = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return reply(res, 400, "The body is not valid JSON.");
    }
    const type = typeof event?.type === "string" ? event.type.toLowerCase() : undefined;
    if (!type) return reply(res, 400, "The message has no type.");
    if (!SUPPORTED.has(type)) return reply(res, 501, `Acme does not support ${type} calls.`);
    if (!event.userId && !event.anonymousId && !event.userid && !event.anonymousid) return reply(res, 400, "userId or anonymousId is required.");
    const id = event.messageId ?? event.messageid;
    if (id && seen.has(id)) return reply(res, 200); // a redelivery: already stored
    if (id) {
      seen.add(id);
      if (seen.size > 100_000) seen.clear();
    }
    return reply(res, 200);
  });
});

server.listen(PORT, "127.0.0.1", () => console.log(`Acme webhook listening on http://127.0.0.1:${PORT}/segment`));
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
