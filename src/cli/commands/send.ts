// `devcenter send <event.json> --url URL --api-key KEY`: one event delivered exactly as the platform
// delivers it (replay's own delivery: headers, Basic auth, X-Segment-Settings, deadline), then the
// request and the answer printed, with a curl command that sends it again. The file holds one
// message, bare or in a fixture wrapper `{ message, expect }`. Exit 0 iff the answer is 2xx.
import { stat, readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { DEFAULT_POLICY } from "../../core/policy.js";
import { LIMITS, formatBytes } from "../../core/limits.js";
import { decodeText } from "../../core/text.js";
import type { Diagnostic } from "../../core/diagnostic.js";
import { fileDiagnostic } from "../../core/file-diagnostic.js";
import { fixturesFromText, type Fixture } from "../../spec/fixtures.js";
import { HttpClient } from "../../replay/http.js";
import { exchangeLines } from "../../replay/exchange.js";
import type { ReplayCase } from "../../replay/types.js";
import { deliver, gradeAnswer, judge } from "../../replay/webhook.js";
import { caseToJson, mark, ms } from "../../render/replay.js";
import { renderDiagnosticsText } from "../../render/text.js";
import { styleFor } from "../../render/style.js";
import type { Command, ParsedArgs } from "../command.js";
import { EXIT, UsageError, parseFormat, type CliIO } from "../io.js";
import { parseSettings, positiveInt, webhookUrl } from "../webhook-options.js";

/** The one message in the file, or the located reasons it cannot be sent. */
async function readEvent(path: string, cwd: string): Promise<{ fixture?: Fixture; diagnostics: Diagnostic[] }> {
  const abs = resolve(cwd, path);
  const st = await stat(abs).catch(() => undefined);
  if (!st) throw new UsageError(`${path} does not exist; name the JSON file of the event to send.`);
  if (!st.isFile()) throw new UsageError(`${path} is not a file; name the JSON file of the event to send.`);
  if (st.size > LIMITS.eventFileBytes) {
    return {
      diagnostics: [
        fileDiagnostic(
          {
            reason: "too-large",
            message: `The file is ${formatBytes(st.size)}, over the ${formatBytes(LIMITS.eventFileBytes)} limit.`,
          },
          { file: path },
        ),
      ],
    };
  }
  const text = decodeText(await readFile(abs), path);
  if (!text.ok) return { diagnostics: [fileDiagnostic(text, { file: path })] };
  const parsed = fixturesFromText(text.text, path, path);
  const errors = parsed.diagnostics.filter((d) => d.severity === "error");
  if (parsed.events > 1) {
    return {
      diagnostics: [
        {
          ruleId: "send/one-event",
          severity: "error",
          file: path,
          line: 1,
          column: 1,
          message: `${path} holds ${parsed.events} messages; send delivers one: put the one to send in a file of its own (or replay them all with \`npx devcenter replay\`).`,
        },
      ],
    };
  }
  return parsed.fixtures.length
    ? { fixture: parsed.fixtures[0], diagnostics: parsed.diagnostics }
    : { diagnostics: errors.length ? errors : parsed.diagnostics };
}

async function run(args: ParsedArgs, io: CliIO): Promise<number> {
  const v = args.values;
  const format = parseFormat(v.format as string | undefined, ["text", "json"]);
  if (args.positionals.length !== 1) throw new UsageError(`send takes one event file; got ${args.positionals.length}.`);
  const url = webhookUrl(v.url as string | undefined);
  const apiKey = v["api-key"] as string | undefined;
  if (!apiKey) throw new UsageError("--api-key KEY is required: the key the endpoint accepts.");
  const settings = parseSettings(v.settings as string | undefined) ?? {};
  const timeoutMs =
    positiveInt("--timeout", v.timeout as string | undefined, DEFAULT_POLICY.delivery.timeoutMs) ??
    DEFAULT_POLICY.delivery.timeoutMs;
  const style = styleFor(io.isTTY, io.env);

  const file = args.positionals[0]!;
  const { fixture, diagnostics } = await readEvent(file, io.cwd);
  // Spec findings do not stop a send (replay sends such a fixture too); they are said first, on stderr.
  if (diagnostics.length) io.stderr(`${renderDiagnosticsText(diagnostics, style).replace(/^\n/, "")}\n`);
  if (!fixture) {
    io.stderr(`devcenter send: nothing was sent: ${file} has no message that can be sent as it is.\n`);
    return EXIT.findings;
  }
  const { apiKey: _never, ...custom } = settings;
  const target = { apiKey, settings: custom, secrets: [{ key: "apiKey", value: apiKey }] };
  const client = new HttpClient({ maxSockets: 1 });
  let r: Awaited<ReturnType<typeof deliver>>;
  try {
    r = await deliver(client, url, target, JSON.stringify(fixture.message), { timeoutMs });
  } finally {
    client.close();
  }
  const type = typeof fixture.message.type === "string" ? fixture.message.type.toLowerCase() : "track";
  const g = judge(gradeAnswer(r), type, undefined, fixture.expect === "pass" ? undefined : fixture.expect);
  const c: ReplayCase = {
    name: fixture.name,
    type,
    status: g.status,
    ...(g.httpStatus !== undefined ? { httpStatus: g.httpStatus } : {}),
    durationMs: Math.round(r.durationMs * 10) / 10,
    message: g.message,
    ...(g.status === "fail" ? { retryable: g.retryable } : {}),
    exchange: r.exchange,
  };
  if (format === "json") io.stdout(`${JSON.stringify(caseToJson(c), null, 2)}\n`);
  else {
    const lines = [
      `${mark(c, style)} ${c.name} ${style.dim(`(${ms(c.durationMs)})`)}`,
      `  ${c.message}`,
      ...exchangeLines(r.exchange).map((l) => `  ${l}`),
    ];
    io.stdout(`${lines.join("\n")}\n`);
  }
  const ok = r.status !== undefined && r.status >= 200 && r.status < 300 && !r.error;
  return ok ? EXIT.ok : EXIT.findings;
}

export const sendCommand: Command = {
  name: "send",
  usage: "send <event.json> --url URL --api-key KEY",
  summary: "Send one event to a webhook endpoint exactly as the platform would, and show the request and the answer.",
  help: [
    "<event.json>          one message, bare or in a fixture wrapper { message, expect }",
    "--url URL             the webhook endpoint (http:// or https://)",
    "--api-key KEY         the API key, sent as Authorization: Basic base64(KEY:)",
    "--settings JSON       other settings, sent in X-Segment-Settings (base64 JSON)",
    `--timeout MS          the delivery deadline (at most the platform's ${DEFAULT_POLICY.delivery.timeoutMs})`,
    "--format text|json    json: the case as `devcenter replay --format json` gives it, with `exchange`",
    "Exit 0 when the answer is 2xx, 1 otherwise (or when the file holds no message to send).",
  ],
  options: {
    url: { type: "string" },
    "api-key": { type: "string" },
    settings: { type: "string" },
    timeout: { type: "string" },
    format: { type: "string" },
  },
  run,
};
