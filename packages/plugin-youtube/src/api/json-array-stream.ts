/**
 * Parses a streamed JSON array (`[ {...}, {...} ...`) element by element as
 * bytes arrive — the wire format of Google's server-streaming REST methods
 * such as `liveChatMessages.streamList`. Only top-level elements are
 * emitted; strings and escapes are tracked so braces inside text do not count.
 */
export class JsonArrayStream {
  #buffer = '';
  #depth = 0;
  #inString = false;
  #escaped = false;
  #start = -1;
  #scanned = 0;
  #opened = false;

  /** Feeds a chunk; returns the elements completed by it. */
  push(chunk: string): unknown[] {
    this.#buffer += chunk;
    const out: unknown[] = [];
    const b = this.#buffer;
    for (let i = this.#scanned; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === 92) this.#escaped = true; // backslash
        else if (c === 34) this.#inString = false;
        continue;
      }
      if (c === 34) {
        this.#inString = true;
      } else if (c === 91 && !this.#opened && this.#depth === 0) {
        this.#opened = true; // the outer [
      } else if (c === 123 || c === 91) {
        if (this.#depth === 0) this.#start = i;
        this.#depth += 1;
      } else if (c === 125 || c === 93) {
        if (this.#depth === 0) continue; // the outer ]
        this.#depth -= 1;
        if (this.#depth === 0 && this.#start !== -1) {
          out.push(JSON.parse(b.slice(this.#start, i + 1)));
          this.#start = -1;
        }
      }
    }
    // Keep only the unfinished element.
    if (this.#depth === 0) {
      this.#buffer = '';
      this.#scanned = 0;
    } else {
      this.#buffer = b.slice(this.#start);
      this.#scanned = this.#buffer.length;
      this.#start = 0;
    }
    return out;
  }
}
