// `devcenter sink`: the local Tracking API sink on its own. A partner points any program or SDK at
// it and watches each message validated as it arrives; Ctrl-C prints a summary.
import { access } from "node:fs/promises";
import { join } from "node:path";
import { LocalSource } from "../../replay/source-local.js";
import { withoutMarkdown } from "../../core/diagnostic.js";
import { plural } from "../../core/text.js";
import { MANIFEST_FILE } from "../../core/vocabulary.js";
import { loadManifest } from "../../manifest/load.js";
import { styleFor, type Style } from "../../render/style.js";
import { severityLabel } from "../../render/text.js";
import {
  startSink,
  type CapturedMessage,
  type Rejection,
  type Sink,
  type SinkEvent,
  type SinkSummary,
} from "../../replay/sink.js";
import { messageCase } from "../../replay/stream.js";
import type { Command, ParsedArgs } from "../command.js";
import { EXIT, UsageError, parseFormat, type CliIO } from "../io.js";

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535)
    throw new UsageError(`--port must be a number from 0 to 65535 (0 picks a free port); got "${value}".`);
  return port;
}

/** The app slug from integration.yml in `cwd`, when there is a valid one. */
async function slugFromManifest(cwd: string): Promise<string | undefined> {
  try {
    await access(join(cwd, MANIFEST_FILE));
  } catch {
    return undefined;
  }
  const loaded = await loadManifest(new LocalSource(cwd));
  return loaded.manifest?.app.slug;
}

function textMessage(m: CapturedMessage, style: Style): string {
  const c = messageCase(m);
  const errors = m.findings.some((f) => f.severity === "error");
  const warnings = m.findings.some((f) => f.severity === "warning");
  const icon = errors ? style.red("✗") : warnings ? style.yellow("!") : style.green("✓");
  const lines = [`${icon} ${c.name}  ${style.dim(`${m.endpoint} ${m.bytes} B`)}`];
  for (const f of m.findings) {
    lines.push(
      `    ${severityLabel(f.severity, style)} ${f.message}${f.path ? style.dim(` (at ${f.path})`) : ""}  ${style.dim(f.ruleId)}`,
    );
  }
  return lines.join("\n") + "\n";
}

function textRejection(r: Rejection, style: Style): string {
  return `${style.red("✗")} refused ${r.endpoint} with HTTP ${r.status}: ${r.message}  ${style.dim(r.ruleId)}\n`;
}

function textSummary(s: SinkSummary): string {
  const valid = s.messages - s.messagesWithErrors;
  const parts = [
    // The warnings are among the valid ones, so the parts add up to the total.
    `${plural(s.messages, "message")}: ${valid} valid (${s.messagesWithWarnings} of them with warnings), ${s.messagesWithErrors} with errors`,
    `${s.rejectedRequests} of ${plural(s.requests, "request")} refused`,
    `peak ${s.peakRequestsPerSecond} requests/s${s.rateExceeded ? " (over the limit of about 50)" : ""}`,
  ];
  const types = Object.entries(s.byType)
    .map(([t, n]) => `${t} ${n}`)
    .join(", ");
  const rules = Object.entries({ ...s.findingsByRule, ...s.rejectionsByRule })
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${r} ×${n}`)
    .join(", ");
  return (
    [
      `Summary: ${parts.join("; ")}.`,
      ...(types ? [`By type: ${types}.`] : []),
      ...(rules ? [`Findings: ${rules}.`] : []),
    ].join("\n") + "\n"
  );
}

/** Resolves with the signal's name on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => (): void => {
      process.removeListener("SIGINT", onInt);
      process.removeListener("SIGTERM", onTerm);
      resolve(signal);
    };
    const onInt = on("SIGINT");
    const onTerm = on("SIGTERM");
    process.once("SIGINT", onInt);
    process.once("SIGTERM", onTerm);
  });
}

/** The command with its stop condition given (tests pass their own). */
export async function runSink(args: ParsedArgs, io: CliIO, stop: Promise<unknown>): Promise<number> {
  const format = parseFormat(args.values.format as string | undefined, ["text", "json"]);
  const port = parsePort(args.values.port as string | undefined);
  const writeKey = args.values["write-key"] as string | undefined;
  if (writeKey !== undefined && (writeKey === "" || /[\s:]/.test(writeKey))) {
    throw new UsageError(
      "--write-key must be non-empty, without spaces or colons (it is sent as a Basic auth user name).",
    );
  }
  if (args.positionals.length > 0)
    throw new UsageError(`sink takes no folder or other arguments; got "${args.positionals[0]}".`);
  let slug = args.values.slug as string | undefined;
  const slugSource = slug !== undefined ? "--slug" : MANIFEST_FILE;
  slug ??= await slugFromManifest(io.cwd);

  let sink: Sink;
  try {
    sink = await startSink({ port, ...(writeKey ? { writeKey } : {}), ...(slug ? { slug } : {}) });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    io.stderr(
      e.code === "EADDRINUSE"
        ? `devcenter sink: port ${port} is already in use; choose another with --port (0 picks a free one).\n`
        : `devcenter sink: could not listen on 127.0.0.1:${port}: ${e.message}\n`,
    );
    return EXIT.usage;
  }

  const style = styleFor(io.isTTY, io.env);
  const json = format === "json";
  const line = (o: Record<string, unknown>): void => io.stdout(JSON.stringify(o) + "\n");
  if (json) {
    line({ kind: "listening", url: sink.url, port: sink.port, writeKey: sink.writeKey, ...(slug ? { slug } : {}) });
  } else {
    io.stdout(
      [
        `Point your program at ${sink.url} with write key ${sink.writeKey}`,
        style.dim(`  DEVCENTER_ENDPOINT=${sink.url} DEVCENTER_WRITE_KEY=${sink.writeKey}`),
        style.dim(`  @segment/analytics-node: new Analytics({ writeKey: "${sink.writeKey}", host: "${sink.url}" })`),
        slug
          ? `Every message must carry context.integration.name = "${slug}" (from ${slugSource}).`
          : `No --slug given and no ${MANIFEST_FILE} here: context.integration.name is not checked.`,
        "Press Ctrl-C to stop.",
        "",
        "",
      ].join("\n"),
    );
  }

  const unsubscribe = sink.subscribe((e: SinkEvent) => {
    if (e.kind === "message") {
      const m = e.message;
      if (json) {
        const status = m.findings.some((f) => f.severity === "error") ? "fail" : "pass";
        line({
          kind: "message",
          seq: m.seq,
          receivedAt: m.receivedAt,
          endpoint: m.endpoint,
          type: m.type,
          bytes: m.bytes,
          status,
          findings: m.findings.map(withoutMarkdown),
          message: m.message,
        });
      } else io.stdout(textMessage(m, style));
    } else if (e.kind === "rejected") {
      if (json) line({ kind: "rejected", ...e.rejection });
      else io.stdout(textRejection(e.rejection, style));
    } else if (json) line({ kind: "rate", at: e.at, requestsPerSecond: e.requestsPerSecond, limit: e.limit });
    else
      io.stdout(
        `${style.yellow("!")} ${e.requestsPerSecond} requests in the last second, above the about ${e.limit}/s a stream source should stay under; batch events (/v1/batch) or slow down.\n`,
      );
  });

  await stop;
  unsubscribe();
  await sink.close();
  const summary = sink.summary();
  if (json) line({ kind: "summary", ...summary });
  else io.stdout("\n" + textSummary(summary));
  return summary.messagesWithErrors > 0 || summary.rejectedRequests > 0 ? EXIT.findings : EXIT.ok;
}

export const sinkCommand: Command = {
  name: "sink",
  usage: "sink [--port P] [--write-key K] [--slug S]",
  summary: "Run a local Tracking API sink and validate every message sent to it, live.",
  help: [
    "--port P             port on 127.0.0.1 (default 0: a free one, printed at start)",
    "--write-key K        write key requests must carry (default: a random one, printed at start)",
    `--slug S             app slug every message's context.integration.name must equal (default: from ./${MANIFEST_FILE})`,
    "--format text|json   json: one JSON object per line (listening, message, rejected, rate, summary)",
    "Stops on Ctrl-C (SIGINT) or SIGTERM and prints a summary; exits 1 if a message had errors or a request was refused.",
  ],
  options: {
    port: { type: "string" },
    "write-key": { type: "string" },
    slug: { type: "string" },
    format: { type: "string" },
  },
  run: (args, io) => runSink(args, io, untilSignal()),
};
