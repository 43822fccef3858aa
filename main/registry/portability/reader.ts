/**
 * Reads an export document as it streams in, never whole: stream-json's tokenizer (driven
 * directly, chunk by chunk: the fastest of its interfaces) and its Assembler, which builds one
 * item at a time and, like JSON.parse, makes a `__proto__` key an own property. What comes out
 * is a sequence of events: each top-level field that is not a list, the start of each of the
 * `namespaces`, `repos` and `registries` lists, and each of their items.
 *
 * Bounds, so that a document cannot make the process hold more than one item: nesting at most
 * 64 levels (as request bodies), no single value or gap longer than 1 MiB of text (the longest
 * field the API takes is 25,000 characters), and no item of more than 4,000,000 JSON tokens.
 */
import { StringDecoder } from 'node:string_decoder';
import { none } from 'stream-chain/defs.js';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { Assembler } from 'stream-json/core/assembler.js';
import { BerthError } from '../../contract/errors';

export const LISTS = ['namespaces', 'repos', 'registries'] as const;
export type ListName = (typeof LISTS)[number];

export type DocumentEvent =
  | { kind: 'field'; key: string; value: unknown }
  | { kind: 'list'; list: ListName }
  | { kind: 'item'; list: ListName; index: number; value: unknown };

const MAX_DEPTH = 64;
const MAX_TEXT_WITHOUT_TOKEN = 1024 * 1024;
const MAX_ITEM_TOKENS = 4_000_000;

/** Not JSON at all (400 invalid_json), or JSON of the wrong shape (400 validation_error). */
function notJson(message: string): BerthError {
  return new BerthError('invalid_json', `JSON parse error - ${message}`);
}

function badShape(field: string, message: string): BerthError {
  return BerthError.validation({ [field]: [message] }, `The document is not a Berth export: ${message}`);
}

const isList = (key: string): key is ListName => (LISTS as readonly string[]).includes(key);

/** Turns tokens into events; holds at most one item being assembled. */
class DocumentTokens {
  /** Containers open: 1 inside the document, 2 inside one of its lists, more inside an item. */
  private depth = 0;
  private key = '';
  private readonly seen = new Set<string>();
  /** The list whose items are being read, and the next item's index. */
  private list: ListName | null = null;
  private index = 0;
  private item: Assembler | null = null;
  private itemTokens = 0;
  private ended = false;
  readonly out: DocumentEvent[] = [];

  get complete(): boolean {
    return this.ended;
  }

  token(token: Token): void {
    if (this.ended) throw notJson('unexpected content after the document');
    if (this.item) return this.inItem(token);
    const name = token.name;
    const opens = name === 'startObject' || name === 'startArray';
    if (this.depth === 0) {
      if (name !== 'startObject') throw badShape('non_field_errors', 'the document must be a JSON object.');
      this.depth = 1;
      return;
    }
    if (this.depth === 1) {
      if (name === 'keyValue') {
        if (this.seen.has(token.value)) throw badShape(token.value, `"${token.value}" appears twice.`);
        this.seen.add(token.value);
        this.key = token.value;
        return;
      }
      if (name === 'endObject') {
        this.depth = 0;
        this.ended = true;
        return;
      }
      if (isList(this.key)) {
        if (name !== 'startArray') throw badShape(this.key, `"${this.key}" must be a list.`);
        this.depth = 2;
        this.list = this.key;
        this.index = 0;
        this.out.push({ kind: 'list', list: this.key });
        return;
      }
      if (opens) return this.startItem(token);
      return this.emit(token);
    }
    // depth 2: inside a list
    if (name === 'endArray') {
      this.depth = 1;
      this.list = null;
      return;
    }
    if (opens) return this.startItem(token);
    this.emit(token);
  }

  private startItem(token: Token): void {
    this.item = new Assembler();
    this.itemTokens = 0;
    this.inItem(token);
  }

  private inItem(token: Token): void {
    const item = this.item as Assembler;
    if (++this.itemTokens > MAX_ITEM_TOKENS) throw badShape(this.where(), 'an item holds more than 4,000,000 JSON values.');
    const name = token.name;
    if (name === 'startObject' || name === 'startArray') {
      if (++this.depth > MAX_DEPTH) throw badShape(this.where(), `values are nested more than ${MAX_DEPTH} levels deep.`);
    } else if (name === 'endObject' || name === 'endArray') this.depth--;
    item.consume(token);
    if (!item.done) return;
    this.item = null;
    this.push(item.current);
  }

  /** A value of one token: a scalar field of the document or a scalar item of a list. */
  private emit(token: Token): void {
    const asm = new Assembler();
    asm.consume(token);
    this.push(asm.current);
  }

  private push(value: unknown): void {
    if (this.list) this.out.push({ kind: 'item', list: this.list, index: this.index++, value });
    else this.out.push({ kind: 'field', key: this.key, value });
  }

  private where(): string {
    return this.list ? `${this.list}[${this.index}]` : this.key;
  }
}

export interface ReadOptions {
  /** Called with the bytes read so far, after each chunk. */
  onBytes?: (bytes: number) => void;
}

/** The document's events, in order; throws a BerthError (400) for anything that is not a document. */
export async function* readDocument(source: AsyncIterable<Buffer | string>, options: ReadOptions = {}): AsyncGenerator<DocumentEvent> {
  const parse = jsonParser({ streamValues: false });
  const decoder = new StringDecoder('utf8');
  const state = new DocumentTokens();
  let bytes = 0;
  let first = true;
  let sinceToken = 0;

  const feed = (text: string | typeof none) => {
    let tokens: Token[];
    try {
      const out = parse(text as string);
      tokens = out === none ? [] : (out as unknown as { values: Token[] }).values;
    } catch (err) {
      throw notJson((err as Error).message.replace(/^Parser cannot parse input: /, ''));
    }
    if (tokens.length === 0 && typeof text === 'string') {
      sinceToken += text.length;
      if (sinceToken > MAX_TEXT_WITHOUT_TOKEN) throw badShape('non_field_errors', 'a value or a gap between values is longer than 1 MiB.');
    } else sinceToken = 0;
    for (const token of tokens) state.token(token);
  };

  for await (const chunk of source) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.length > 0) feed(text);
    options.onBytes?.(bytes);
    if (state.out.length > 0) yield* state.out.splice(0);
  }
  const rest = decoder.end();
  if (rest.length > 0) feed(rest);
  feed(none);
  if (state.out.length > 0) yield* state.out.splice(0);
  if (!state.complete) throw notJson(bytes === 0 ? 'the document is empty' : 'the document ends before it is complete');
}
