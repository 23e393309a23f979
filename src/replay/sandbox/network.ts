// Every other way to the network. Only fetch is captured. node:http, https, http2 and tls all open
// their connections through net.Socket#connect, so refusing there closes them all; UDP, child
// processes and worker threads (which would start without these patches) are refused too. A
// refusal inside an event fails that event; while loading it is a load error. liveFetch
// (benchmarks) lets sockets through, as fetch.
import childProcess from "node:child_process";
import dgram from "node:dgram";
import nodeModule from "node:module";
import net from "node:net";
import workerThreads from "node:worker_threads";
import { live, refuse } from "./context.js";

const NOT_FETCH =
  ", which replay does not capture: send partner API requests with fetch, so they are recorded and answered from the fixture's partnerApi";

/** "host:port" or the socket path a connect call names. */
function target(args: unknown[]): string {
  let a = args[0];
  if (Array.isArray(a)) a = a[0]; // net's own normalised [options, callback]
  if (a && typeof a === "object") {
    const o = a as { path?: unknown; host?: string; port?: unknown };
    return o.path ? String(o.path) : (o.host || "localhost") + ":" + o.port;
  }
  return (typeof args[1] === "string" ? args[1] : "localhost") + ":" + a;
}

type Patchable = Record<string, unknown>;

export function installNetworkRefusals(): void {
  const socket = net.Socket.prototype as unknown as Patchable;
  const realConnect = socket.connect as (...args: unknown[]) => net.Socket;
  socket.connect = function (this: net.Socket, ...args: unknown[]) {
    if (live) return realConnect.apply(this, args);
    const error = refuse("opened a connection to " + target(args) + " with node:http, https, net or tls" + NOT_FETCH);
    // Fails the way an unreachable host does: an "error" event, after the caller has its socket.
    process.nextTick(() => this.destroy(error));
    return this;
  };
  const udp = dgram.Socket.prototype as unknown as Patchable;
  for (const m of ["send", "connect"]) {
    const real = udp[m] as (...args: unknown[]) => unknown;
    udp[m] = function (this: dgram.Socket, ...args: unknown[]) {
      if (live) return real.apply(this, args);
      throw refuse("sent UDP packets with node:dgram" + NOT_FETCH);
    };
  }
  const programs = childProcess as unknown as Patchable;
  for (const name of ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"]) {
    programs[name] = function () {
      throw refuse(
        "started a program with child_process." +
          name +
          ", which replay cannot watch (a function runs no programs on the platform); call the partner's API with fetch",
      );
    };
  }
  (workerThreads as unknown as Patchable).Worker = class Worker {
    constructor() {
      throw refuse(
        "started a worker thread, which would run without replay's fetch and clock; call the partner's API with fetch from the handler itself",
      );
    }
  };
  // So that `import { spawn } from "node:child_process"` in an ES module sees the refusals too.
  nodeModule.syncBuiltinESMExports();
}
