/**
 * Parses a streamed JSON array (`[ {...}, {...} ...`) element by element as
 * bytes arrive — the wire format of Google's server-streaming REST methods
 * such as `liveChatMessages.streamList`. Only top-level elements are
 * emitted; strings and escapes are tracked so braces inside text do not count.
 *
 * Strict: a body that is not a JSON array, a top-level element that is not
 * an object, brackets that do not match, an element that is not valid JSON,
 * or a body that ends before the closing `]` (`end()`) throws
 * `MalformedJsonArray` — whose message never quotes the body.
 */
export class JsonArrayStream {
  #buffer = '';
  /** Closers expected, innermost last (`}` or `]`). */
  #stack: number[] = [];
  #inString = false;
  #escaped = false;
  #start = -1;
  #scanned = 0;
  #opened = false;
  #closed = false;

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
      const depth = this.#stack.length;
      if (depth === 0) {
        if (c === 32 || c === 9 || c === 10 || c === 13) continue;
        if (!this.#opened) {
          if (c !== 91) throw new MalformedJsonArray('the body is not a JSON array');
          this.#opened = true; // the outer [
        } else if (this.#closed) {
          throw new MalformedJsonArray('text after the end of the array');
        } else if (c === 93) {
          this.#closed = true; // the outer ]
        } else if (c === 123) {
          this.#start = i;
          this.#stack.push(125);
        } else if (c !== 44) {
          throw new MalformedJsonArray('an element of the array is not a JSON object');
        }
        continue;
      }
      if (c === 34) this.#inString = true;
      else if (c === 123) this.#stack.push(125);
      else if (c === 91) this.#stack.push(93);
      else if (c === 125 || c === 93) {
        if (this.#stack.pop() !== c) throw new MalformedJsonArray('an element of the array is not valid JSON (brackets do not match)');
        if (this.#stack.length === 0) {
          out.push(parseElement(b.slice(this.#start, i + 1)));
          this.#start = -1;
        }
      }
    }
    // Keep only the unfinished element.
    if (this.#stack.length === 0) {
      this.#buffer = '';
      this.#scanned = 0;
    } else {
      this.#buffer = b.slice(this.#start);
      this.#scanned = this.#buffer.length;
      this.#start = 0;
    }
    return out;
  }

  /** The body ended: throws unless the array was closed. */
  end(): void {
    if (this.#closed) return;
    if (!this.#opened) throw new MalformedJsonArray('the body is empty, not a JSON array');
    throw new MalformedJsonArray(this.#stack.length > 0 ? 'the body ended inside an element (truncated)' : 'the body ended before the closing ]');
  }
}

/** What is wrong with a streamed array; the message names the problem, never the text. */
export class MalformedJsonArray extends Error {
  override name = 'MalformedJsonArray';
}

function parseElement(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The SyntaxError quotes the text: chat content has no place in an error.
    throw new MalformedJsonArray('an element of the array is not valid JSON');
  }
}
