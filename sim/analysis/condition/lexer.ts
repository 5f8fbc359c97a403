// Lexer for the expr-lang subset used by Argo conditions. Behaviour follows expr's state-machine
// lexer (expr v1.15.5 parser/lexer/state.go `root`, `number`, `dot`, `identifier`, `not`, `pointer`,
// and lexer.go `scanString`/`scanEscape`; v1.17.8 adds backtick raw strings and 0o/0b literals).
import { fail, type Loc } from './errors.js';

export type TokenKind = 'Identifier' | 'Number' | 'String' | 'Operator' | 'Bracket' | 'EOF';

export interface Token extends Loc {
  readonly kind: TokenKind;
  readonly value: string;
}

export type ExprVersion = '1.15' | '1.17';

/** Token.String() of expr: `Kind("value")`, or the bare kind for an empty value. */
export function tokenString(t: Token): string {
  return t.value === '' ? t.kind : `${t.kind}(${goQuote(t.value)})`;
}

/** Go's %#v of a string (strconv.Quote), close enough for error messages. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

const LETTER = /^[\p{L}_$]$/u;
const DIGIT = /^\p{Nd}$/u;
const SPACE = /^[\t\n\v\f\r \u0085\u00a0\p{Zs}\u2028\u2029]$/u;

const isAlphabetic = (r: string): boolean => r !== '' && LETTER.test(r);
const isAlphaNumeric = (r: string): boolean => r !== '' && (LETTER.test(r) || DIGIT.test(r));

const WORD_OPERATORS = new Set(['in', 'or', 'and', 'matches', 'contains', 'startsWith', 'endsWith', 'let']);
const NEGATABLE = new Set(['in', 'matches', 'contains', 'startsWith', 'endsWith']);

class Lexer {
  private readonly runes: string[];
  private pos = 0; // index in runes
  private start = 0;
  private line = 1;
  private col = 0;
  private startLoc: Loc = { line: 1, col: 0 };
  // state before the last next(), for backup()
  private prevLine = 1;
  private prevCol = 0;
  private lastWidth = 0;
  readonly tokens: Token[] = [];

  constructor(
    input: string,
    private readonly version: ExprVersion,
  ) {
    this.runes = Array.from(input);
  }

  private next(): string {
    if (this.pos >= this.runes.length) {
      this.lastWidth = 0;
      return '';
    }
    const r = this.runes[this.pos] ?? '';
    this.pos++;
    this.lastWidth = 1;
    this.prevLine = this.line;
    this.prevCol = this.col;
    if (r === '\n') {
      this.line++;
      this.col = 0;
    } else {
      this.col++;
    }
    return r;
  }

  private backup(): void {
    if (this.lastWidth === 0) return;
    this.pos--;
    this.line = this.prevLine;
    this.col = this.prevCol;
    this.lastWidth = 0;
  }

  private peek(): string {
    return this.runes[this.pos] ?? '';
  }

  private accept(valid: string): boolean {
    const r = this.next();
    if (r !== '' && valid.includes(r)) return true;
    this.backup();
    return false;
  }

  private acceptRun(valid: string): void {
    while (this.pos < this.runes.length && valid.includes(this.runes[this.pos] ?? '\u0000')) this.next();
  }

  private word(): string {
    return this.runes.slice(this.start, this.pos).join('');
  }

  private here(): Loc {
    return { line: this.line, col: this.col };
  }

  private emitValue(kind: TokenKind, value: string): void {
    this.tokens.push({ kind, value, line: this.startLoc.line, col: this.startLoc.col });
    this.skip();
  }

  private emit(kind: TokenKind): void {
    this.emitValue(kind, this.word());
  }

  private skip(): void {
    this.start = this.pos;
    this.startLoc = this.here();
  }

  private error(message: string): never {
    fail(message, this.here());
  }

  run(): Token[] {
    for (;;) {
      const r = this.next();
      if (r === '') {
        // expr points the EOF token at the position of the last rune.
        this.tokens.push({ kind: 'EOF', value: '', line: this.prevLine, col: this.prevCol });
        return this.tokens;
      }
      if (SPACE.test(r)) {
        this.skip();
      } else if (r === "'" || r === '"') {
        this.scanString(r);
        this.emitValue('String', this.unescape(this.word()));
      } else if (r === '`' && this.version === '1.17') {
        this.scanRawString();
      } else if (r >= '0' && r <= '9') {
        this.backup();
        this.number();
      } else if (r === '?') {
        this.accept('.?');
        this.emit('Operator');
      } else if (r === '/') {
        if (this.accept('/')) {
          while (this.pos < this.runes.length) if (this.next() === '\n') break;
          this.skip();
        } else if (this.accept('*')) {
          for (;;) {
            const c = this.next();
            if (c === '') this.error('unclosed comment');
            if (c === '*' && this.accept('/')) break;
          }
          this.skip();
        } else this.emit('Operator');
      } else if (r === '#') {
        this.emit('Operator');
        while (isAlphaNumeric(this.peek())) this.next();
        if (this.word() !== '') this.emit('Identifier');
      } else if (r === '|') {
        this.accept('|');
        this.emit('Operator');
      } else if ('([{)]}'.includes(r)) {
        this.emit('Bracket');
      } else if (r === ':' && this.version === '1.17') {
        this.accept(':');
        this.emit('Operator');
      } else if (',:;%+-^'.includes(r)) {
        this.emit('Operator');
      } else if ('&!=*<>'.includes(r)) {
        this.accept('&=*');
        this.emit('Operator');
      } else if (r === '.') {
        if (/^[0-9]$/.test(this.peek())) {
          // state.go `dot`: the number scan continues after the consumed dot (so `.5.5` is one token).
          this.number();
        } else {
          this.accept('.');
          this.emit('Operator');
        }
      } else if (isAlphaNumeric(r)) {
        this.identifier();
      } else {
        this.error(`unrecognized character: ${unicodeRepr(r)}`);
      }
    }
  }

  private number(): void {
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    const save = { pos: this.pos, line: this.line, col: this.col };
    if (this.accept('.')) {
      if (this.peek() === '.') {
        // `1..3`: leave the dots to the range operator.
        this.pos = save.pos;
        this.line = save.line;
        this.col = save.col;
        this.emit('Number');
        return;
      }
      this.acceptRun(digits);
    }
    if (this.accept('eE')) {
      this.accept('+-');
      this.acceptRun(digits);
    }
    if (isAlphaNumeric(this.peek())) {
      this.next();
      this.error(`bad number syntax: ${goQuote(this.word())}`);
    }
    this.emit('Number');
  }

  private identifier(): void {
    while (isAlphaNumeric(this.peek())) this.next();
    const w = this.word();
    if (w === 'not') {
      this.emit('Operator');
      // `not in`, `not matches`, …: emit the following word as an operator too.
      while (this.peek() === ' ') this.next();
      this.skip();
      const save = { pos: this.pos, line: this.line, col: this.col };
      while (isAlphaNumeric(this.peek())) this.next();
      if (NEGATABLE.has(this.word())) this.emit('Operator');
      else {
        this.pos = save.pos;
        this.line = save.line;
        this.col = save.col;
      }
    } else if (WORD_OPERATORS.has(w) || (this.version === '1.17' && (w === 'if' || w === 'else'))) {
      this.emit('Operator');
    } else {
      this.emit('Identifier');
    }
  }

  private scanString(quote: string): void {
    let ch = this.next();
    while (ch !== quote) {
      if (ch === '\n' || ch === '') this.error('literal not terminated');
      if (ch === '\\') {
        ch = this.next();
        if ('abfnrtv\\'.includes(ch) && ch !== '') ch = this.next();
        else if (ch === quote) ch = this.next();
        else if (ch >= '0' && ch <= '7') ch = this.scanDigits(ch, 8, 3);
        else if (ch === 'x') ch = this.scanDigits(this.next(), 16, 2);
        else if (ch === 'u') ch = this.scanDigits(this.next(), 16, 4);
        else if (ch === 'U') ch = this.scanDigits(this.next(), 16, 8);
        else this.error('invalid char escape');
      } else {
        ch = this.next();
      }
    }
  }

  private scanDigits(ch: string, base: number, n: number): string {
    while (n > 0 && ch !== '' && parseInt(ch, 16) < base && /^[0-9a-fA-F]$/.test(ch)) {
      ch = this.next();
      n--;
    }
    if (n > 0) this.error('invalid char escape');
    return ch;
  }

  private scanRawString(): void {
    let out = '';
    for (;;) {
      let ch = this.next();
      while (ch === '`' && this.peek() === '`') {
        this.next();
        out += '`';
        ch = this.next();
      }
      if (ch === '`') break;
      if (ch === '') this.error('literal not terminated');
      out += ch;
    }
    this.emitValue('String', out);
  }

  /** lexer/utils.go `unescape` (reproduced behaviour: Go escapes, \r\n normalised to \n). */
  private unescape(quoted: string): string {
    const v = quoted.replace(/\r\n|\r/g, '\n');
    const body = v.slice(1, -1);
    let out = '';
    for (let i = 0; i < body.length; ) {
      const c = body[i] ?? '';
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const e = body[i + 1] ?? '';
      i += 2;
      const simple: Record<string, string> = {
        a: '\u0007', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
        '\\': '\\', "'": "'", '"': '"', '`': '`', '?': '?',
      };
      const s = simple[e];
      if (s !== undefined) {
        out += s;
      } else if (e === 'x' || e === 'X' || e === 'u' || e === 'U') {
        const n = e === 'u' ? 4 : e === 'U' ? 8 : 2;
        const hex = body.slice(i, i + n);
        if (hex.length < n || !/^[0-9a-fA-F]+$/.test(hex)) this.error('unable to unescape string');
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff) this.error('unable to unescape string');
        // \xNN is a raw byte in Go; for bytes < 0x80 it is the same character.
        out += cp >= 0xd800 && cp <= 0xdfff ? '\ufffd' : String.fromCodePoint(cp);
        i += n;
      } else if (e >= '0' && e <= '3') {
        const oct = body.slice(i, i + 2);
        if (!/^[0-7]{2}$/.test(oct)) this.error('unable to unescape octal sequence in string');
        out += String.fromCodePoint(parseInt(e + oct, 8));
        i += 2;
      } else {
        this.error('unable to unescape string');
      }
    }
    return out;
  }
}

/** Go's %#U: `U+0060 '`'`. */
function unicodeRepr(r: string): string {
  const cp = r.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  const printable = !/^[\p{C}\p{Z}]$/u.test(r) || r === ' ';
  return printable ? `U+${hex} '${r}'` : `U+${hex}`;
}

export function lex(input: string, version: ExprVersion): Token[] {
  return new Lexer(input, version).run();
}

export { isAlphabetic };
