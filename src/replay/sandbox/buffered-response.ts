// A Response over a body already in memory: the partner API answers replay gives, and a live
// answer of known small length. Node's Response streams its body through a web ReadableStream,
// which cost ~60 µs of CPU per response in the worker (measured) — more than the HTTP request
// itself. Here text(), json(), arrayBuffer() and bytes() read the bytes directly, with the same
// results and the same "already read" errors; anything else (body, blob(), formData(), clone()
// after a read) goes to the Response Node would have made, created on first use.
const NodeResponse = Response;
// Typed as a plain base class: Node's typings declare Response's members as properties, which a
// subclass cannot override with methods.
const Base = Response as unknown as new (body: null, init: ResponseInit) => object;
const utf8 = new TextDecoder();

/** `body` as Node's Response would hold it: a string is UTF-8, and text/plain unless headers say otherwise. */
export function bufferedResponse(
  body: string | Uint8Array,
  init: { status: number; statusText?: string; headers: Headers },
): Response {
  if (typeof body === "string") {
    if (!init.headers.has("content-type")) init.headers.set("content-type", "text/plain;charset=UTF-8");
    return new Buffered(Buffer.from(body, "utf8"), init) as unknown as Response;
  }
  return new Buffered(body, init) as unknown as Response;
}

function unusable(): TypeError {
  return new TypeError("Body is unusable: Body has already been read");
}

const Buffered = class Response extends Base {
  readonly #bytes: Uint8Array;
  readonly #init: ResponseInit;
  #used = false;
  #node: globalThis.Response | undefined;

  constructor(bytes: Uint8Array, init: ResponseInit) {
    super(null, init);
    this.#bytes = bytes;
    this.#init = init;
  }

  /** The Response Node would have made (its body read already if this one's was). */
  #nodeResponse(): globalThis.Response {
    if (!this.#node) {
      this.#node = new NodeResponse(this.#bytes, this.#init);
      if (this.#used) void this.#node.arrayBuffer();
    }
    return this.#node;
  }

  #take(): Uint8Array {
    if (this.#used) throw unusable();
    this.#used = true;
    return this.#bytes;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#nodeResponse().body;
  }

  get bodyUsed(): boolean {
    return this.#node ? this.#node.bodyUsed : this.#used;
  }

  async text(): Promise<string> {
    if (this.#node) return this.#node.text();
    return utf8.decode(this.#take());
  }

  async json(): Promise<any> {
    if (this.#node) return this.#node.json();
    return JSON.parse(utf8.decode(this.#take()));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#node) return this.#node.arrayBuffer();
    return new Uint8Array(this.#take()).buffer;
  }

  async bytes(): Promise<Uint8Array> {
    if (this.#node) return (this.#node as unknown as { bytes(): Promise<Uint8Array> }).bytes();
    return new Uint8Array(this.#take());
  }

  blob(): Promise<Blob> {
    return this.#nodeResponse().blob();
  }

  formData(): Promise<FormData> {
    return this.#nodeResponse().formData();
  }

  clone(): globalThis.Response {
    if (this.#node) return this.#node.clone();
    if (this.#used) throw new TypeError("Response.clone: Body has already been consumed.");
    return new Buffered(this.#bytes, this.#init) as unknown as globalThis.Response;
  }
};
