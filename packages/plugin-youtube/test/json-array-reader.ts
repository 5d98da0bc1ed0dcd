/**
 * Reads a streamed JSON array (`[` doc `,` doc ... `]`) from a fetch body as
 * it arrives: `next()` resolves with each complete top-level element, or
 * `undefined` once the array is closed.
 */
export class JsonArrayReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buf = '';
  #pos = 0;
  #opened = false;
  #closed = false;
  /** Everything received so far. */
  text = '';

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  get closed(): boolean {
    return this.#closed;
  }

  async next(): Promise<unknown | undefined> {
    for (;;) {
      const doc = this.#scan();
      if (doc !== null) return doc.value;
      if (this.#closed) return undefined;
      const { value, done } = await this.#reader.read();
      if (done) throw new Error(`stream ended inside the array: ${this.text.slice(-200)}`);
      const chunk = this.#decoder.decode(value, { stream: true });
      this.text += chunk;
      this.#buf += chunk;
    }
  }

  /** Drains the body after the array closed; resolves with the trailing text. */
  async rest(): Promise<string> {
    let tail = this.#buf.slice(this.#pos);
    for (;;) {
      const { value, done } = await this.#reader.read();
      if (done) return tail;
      tail += this.#decoder.decode(value, { stream: true });
    }
  }

  cancel(): Promise<void> {
    return this.#reader.cancel();
  }

  /** One complete element from the buffer, `{ value: undefined }` at `]`, or null when more bytes are needed. */
  #scan(): { value: unknown } | null {
    const s = this.#buf;
    let i = this.#pos;
    const skip = (): void => {
      while (i < s.length && /\s/.test(s[i]!)) i++;
    };
    skip();
    if (!this.#opened) {
      if (i >= s.length) return null;
      if (s[i] !== '[') throw new Error(`expected '[', got ${s.slice(i, i + 20)}`);
      this.#opened = true;
      i++;
      this.#pos = i;
      skip();
    }
    if (i >= s.length || this.#closed) return null;
    if (s[i] === ',') {
      i++;
      skip();
      if (i >= s.length) return null;
    }
    if (s[i] === ']') {
      this.#closed = true;
      this.#pos = i + 1;
      return { value: undefined };
    }
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < s.length; i++) {
      const c = s[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          this.#pos = i + 1;
          return { value: JSON.parse(s.slice(start, i + 1)) };
        }
      }
    }
    return null;
  }
}
