// Pratt parser following expr's parser (expr v1.15.5 parser/parser.go: parseExpression,
// parsePrimary, parseSecondary, parseCall, parseClosure, parsePostfixExpression, parsePipe;
// v1.17.8 adds parseComparison (chained comparisons), `if {} else {}`, `?.[`, `;` sequences).
// Operator table: parser/operator/operator.go (identical in both versions).
import { fail, type Loc } from './errors.js';
import { lex, tokenString, type ExprVersion, type Token, type TokenKind } from './lexer.js';

export type Node =
  | ({ t: 'nil' } & Loc)
  | ({ t: 'bool'; v: boolean } & Loc)
  | ({ t: 'int'; v: bigint } & Loc)
  | ({ t: 'float'; v: number } & Loc)
  | ({ t: 'string'; v: string } & Loc)
  | ({ t: 'ident'; name: string } & Loc)
  | ({ t: 'unary'; op: string; node: Node } & Loc)
  | ({ t: 'binary'; op: string; left: Node; right: Node } & Loc)
  | ({ t: 'member'; node: Node; prop: Node; optional: boolean } & Loc)
  | ({ t: 'slice'; node: Node; from: Node | undefined; to: Node | undefined } & Loc)
  | ({ t: 'call'; callee: Node; args: Node[] } & Loc)
  | ({ t: 'builtin'; name: string; args: Node[] } & Loc)
  | ({ t: 'closure'; node: Node } & Loc)
  | ({ t: 'pointer'; name: string } & Loc)
  | ({ t: 'cond'; cond: Node; a: Node; b: Node } & Loc)
  | ({ t: 'array'; items: Node[] } & Loc)
  | ({ t: 'map'; pairs: { key: Node; value: Node }[] } & Loc)
  | ({ t: 'let'; name: string; value: Node; body: Node } & Loc)
  | ({ t: 'seq'; nodes: Node[] } & Loc);

interface Op {
  readonly prec: number;
  readonly right: boolean;
}

const UNARY: Readonly<Record<string, number>> = { not: 50, '!': 50, '-': 90, '+': 90 };
const BINARY: Readonly<Record<string, Op>> = {
  '|': { prec: 0, right: false },
  or: { prec: 10, right: false },
  '||': { prec: 10, right: false },
  and: { prec: 15, right: false },
  '&&': { prec: 15, right: false },
  '==': { prec: 20, right: false },
  '!=': { prec: 20, right: false },
  '<': { prec: 20, right: false },
  '>': { prec: 20, right: false },
  '>=': { prec: 20, right: false },
  '<=': { prec: 20, right: false },
  in: { prec: 20, right: false },
  matches: { prec: 20, right: false },
  contains: { prec: 20, right: false },
  startsWith: { prec: 20, right: false },
  endsWith: { prec: 20, right: false },
  '..': { prec: 25, right: false },
  '+': { prec: 30, right: false },
  '-': { prec: 30, right: false },
  '*': { prec: 60, right: false },
  '/': { prec: 60, right: false },
  '%': { prec: 60, right: false },
  '**': { prec: 100, right: true },
  '^': { prec: 100, right: true },
  '??': { prec: 500, right: false },
};

/** Builtins whose second argument is a predicate closure (parser.go `predicates`). */
const PREDICATES: ReadonlySet<string> = new Set([
  'all', 'none', 'any', 'one', 'filter', 'map', 'count',
  'find', 'findIndex', 'findLast', 'findLastIndex', 'groupBy', 'reduce',
]);

/** builtin.Index names of expr v1.15.5 (builtin/builtin.go); calls to them become builtin nodes. */
const BUILTINS_115: ReadonlySet<string> = new Set([
  ...PREDICATES, 'len', 'type', 'abs', 'ceil', 'floor', 'round', 'int', 'float', 'string', 'trim',
  'trimPrefix', 'trimSuffix', 'upper', 'lower', 'split', 'splitAfter', 'replace', 'repeat', 'join',
  'indexOf', 'lastIndexOf', 'hasPrefix', 'hasSuffix', 'max', 'min', 'sum', 'mean', 'median', 'toJSON',
  'fromJSON', 'toBase64', 'fromBase64', 'now', 'duration', 'date', 'first', 'last', 'get', 'take',
  'keys', 'values', 'toPairs', 'fromPairs', 'sort', 'sortBy',
]);
/** expr v1.17.8 adds these builtins. */
const BUILTINS_117_EXTRA: ReadonlySet<string> = new Set([
  'concat', 'flatten', 'uniq', 'reverse', 'timezone', 'bitnot', 'bitand', 'bitor', 'bitxor',
  'bitnand', 'bitshl', 'bitshr', 'bitushr', 'sortBy', 'sum',
]);

export function isBuiltinName(name: string, version: ExprVersion): boolean {
  return BUILTINS_115.has(name) || (version === '1.17' && BUILTINS_117_EXTRA.has(name));
}

const isComparison = (op: string): boolean => op === '<' || op === '>' || op === '<=' || op === '>=';

class Parser {
  private pos = 0;
  private current: Token;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly version: ExprVersion,
  ) {
    this.current = tokens[0] ?? { kind: 'EOF', value: '', line: 1, col: 0 };
  }

  private is(kind: TokenKind, ...values: string[]): boolean {
    return this.current.kind === kind && (values.length === 0 || values.includes(this.current.value));
  }

  private error(message: string, at: Loc = this.current): never {
    fail(message, at);
  }

  private next(): void {
    this.pos++;
    const t = this.tokens[this.pos];
    if (t === undefined) this.error('unexpected end of expression');
    this.current = t;
  }

  private expect(kind: TokenKind, ...values: string[]): void {
    if (this.is(kind, ...values)) this.next();
    else this.error(`unexpected token ${tokenString(this.current)}`);
  }

  parse(): Node {
    const node = this.version === '1.17' ? this.parseSequence() : this.parseExpression(0);
    if (!this.is('EOF')) this.error(`unexpected token ${tokenString(this.current)}`);
    return node;
  }

  private parseSequence(): Node {
    const first = this.parseExpression(0);
    const nodes = [first];
    while (this.is('Operator', ';')) {
      this.next();
      if (this.is('EOF')) break;
      nodes.push(this.parseExpression(0));
    }
    return nodes.length === 1 ? first : { t: 'seq', nodes, line: first.line, col: first.col };
  }

  private parseExpression(precedence: number): Node {
    if (precedence === 0 && this.is('Operator', 'let')) return this.parseLet();
    if (precedence === 0 && this.version === '1.17' && this.is('Operator', 'if')) return this.parseIf();

    let left = this.parsePrimary();
    let prevOperator = '';
    let opToken = this.current;
    while (opToken.kind === 'Operator') {
      let negate = false;
      let notToken: Token | undefined;
      if (opToken.value === 'not') {
        if (this.version === '1.17') {
          const backup = this.current;
          this.next();
          const op = BINARY[this.current.value];
          if (['in', 'matches', 'contains', 'startsWith', 'endsWith'].includes(this.current.value)) {
            if (op !== undefined && op.prec >= precedence) {
              negate = true;
              notToken = this.current;
              opToken = this.current;
            } else {
              // Put the `not` back: the outer (lower precedence) loop handles it.
              this.pos--;
              this.current = backup;
              break;
            }
          } else {
            this.error(`unexpected token ${tokenString(this.current)}`);
          }
        } else {
          this.next();
          negate = true;
          notToken = this.current;
          opToken = this.current;
        }
      }
      const op = opToken.kind === 'Operator' ? BINARY[opToken.value] : undefined;
      if (op === undefined || op.prec < precedence) break;
      this.next();
      if (opToken.value === '|') {
        left = this.parsePipe(left);
      } else {
        if (prevOperator === '??' && opToken.value !== '??') {
          this.error(
            `Operator (${opToken.value}) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.`,
            opToken,
          );
        }
        if (this.version === '1.17' && isComparison(opToken.value)) {
          left = this.parseComparison(left, opToken, op.prec);
        } else {
          const right = this.parseExpression(op.right ? op.prec : op.prec + 1);
          left = { t: 'binary', op: opToken.value, left, right, line: opToken.line, col: opToken.col };
          if (negate && notToken !== undefined) {
            left = { t: 'unary', op: 'not', node: left, line: notToken.line, col: notToken.col };
          }
        }
      }
      prevOperator = opToken.value;
      opToken = this.current;
    }
    if (precedence === 0) left = this.parseConditional(left);
    return left;
  }

  /** v1.17 parseComparison: `a < b < c` becomes `a < b && b < c`. */
  private parseComparison(left: Node, token: Token, precedence: number): Node {
    let root: Node | undefined;
    for (;;) {
      const right = this.parseExpression(precedence + 1);
      const cmp: Node = { t: 'binary', op: token.value, left, right, line: token.line, col: token.col };
      root = root === undefined ? cmp : { t: 'binary', op: '&&', left: root, right: cmp, line: token.line, col: token.col };
      left = right;
      token = this.current;
      if (!(token.kind === 'Operator' && isComparison(token.value))) break;
      this.next();
    }
    return root;
  }

  private parseLet(): Node {
    this.expect('Operator', 'let');
    const name = this.current;
    this.expect('Identifier');
    this.expect('Operator', '=');
    const value = this.parseExpression(0);
    this.expect('Operator', ';');
    const body = this.version === '1.17' ? this.parseSequence() : this.parseExpression(0);
    return { t: 'let', name: name.value, value, body, line: name.line, col: name.col };
  }

  private parseIf(): Node {
    const at = this.current;
    this.next();
    const cond = this.parseExpression(0);
    this.expect('Bracket', '{');
    const a = this.parseSequence();
    this.expect('Bracket', '}');
    this.expect('Operator', 'else');
    let b: Node;
    if (this.is('Operator', 'if')) b = this.parseIf();
    else {
      this.expect('Bracket', '{');
      b = this.parseSequence();
      this.expect('Bracket', '}');
    }
    return { t: 'cond', cond, a, b, line: at.line, col: at.col };
  }

  private parseConditional(node: Node): Node {
    while (this.is('Operator', '?')) {
      const at = this.current;
      this.next();
      let a: Node;
      let b: Node;
      if (!this.is('Operator', ':')) {
        a = this.parseExpression(0);
        this.expect('Operator', ':');
        b = this.parseExpression(0);
      } else {
        this.next();
        a = node;
        b = this.parseExpression(0);
      }
      node = { t: 'cond', cond: node, a, b, line: at.line, col: at.col };
    }
    return node;
  }

  private parsePrimary(): Node {
    const token = this.current;
    if (token.kind === 'Operator') {
      const prec = UNARY[token.value];
      if (prec !== undefined) {
        this.next();
        const operand = this.parseExpression(prec);
        return this.parsePostfix({ t: 'unary', op: token.value, node: operand, line: token.line, col: token.col });
      }
    }
    if (this.is('Bracket', '(')) {
      this.next();
      const inner = this.version === '1.17' ? this.parseSequence() : this.parseExpression(0);
      this.expect('Bracket', ')');
      return this.parsePostfix(inner);
    }
    if (this.is('Operator', '#') || this.is('Operator', '.')) {
      if (this.depth === 0) {
        if (this.version === '1.15') this.error('cannot use pointer accessor outside closure');
      } else {
        let name = '';
        if (token.value === '#') {
          this.next();
          if (this.is('Identifier')) {
            name = this.current.value;
            this.next();
          }
        }
        return this.parsePostfix({ t: 'pointer', name, line: token.line, col: token.col });
      }
    }
    return this.parseSecondary();
  }

  private parseSecondary(): Node {
    const token = this.current;
    switch (token.kind) {
      case 'Identifier': {
        this.next();
        if (token.value === 'true' || token.value === 'false') {
          return { t: 'bool', v: token.value === 'true', line: token.line, col: token.col };
        }
        if (token.value === 'nil') {
          return { t: 'nil', line: token.line, col: token.col };
        }
        return this.parsePostfix(this.parseCall(token, []));
      }
      case 'Number': {
        this.next();
        // Number, bool and nil literals take no postfix (`1[0]` is a syntax error in both versions).
        return this.parseNumber(token);
      }
      case 'String': {
        this.next();
        const n: Node = { t: 'string', v: token.value, line: token.line, col: token.col };
        // v1.15 returns literals without postfix parsing: `"abc"[0]` is a syntax error there.
        return this.version === '1.17' ? this.parsePostfix(n) : n;
      }
      default:
        if (this.is('Bracket', '[')) return this.parsePostfix(this.parseArray(token));
        if (this.is('Bracket', '{')) return this.parsePostfix(this.parseMap(token));
        this.error(`unexpected token ${tokenString(token)}`);
    }
  }

  private parseNumber(token: Token): Node {
    const value = token.value.replace(/_/g, '');
    const loc = { line: token.line, col: token.col };
    if (/[xX]/.test(value) || (this.version === '1.17' && /^0[oObB]/.test(value))) {
      const n = parseGoIntBase0(value);
      if (typeof n === 'string') this.error(`invalid ${/[xX]/.test(value) ? 'hex' : 'integer'} literal: ${n}`);
      return { t: 'int', v: n, ...loc };
    }
    if (/[.eE]/.test(value)) {
      if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) {
        this.error(`invalid float literal: strconv.ParseFloat: parsing ${goQuote2(value)}: invalid syntax`);
      }
      const f = Number(value);
      if (!Number.isFinite(f)) {
        this.error(`invalid float literal: strconv.ParseFloat: parsing ${goQuote2(value)}: value out of range`);
      }
      return { t: 'float', v: f, ...loc };
    }
    if (!/^\d+$/.test(value)) {
      this.error(`invalid integer literal: strconv.ParseInt: parsing ${goQuote2(value)}: invalid syntax`);
    }
    const n = BigInt(value);
    if (n > 2n ** 63n - 1n) {
      this.error(`invalid integer literal: strconv.ParseInt: parsing ${goQuote2(value)}: value out of range`);
    }
    return { t: 'int', v: n, ...loc };
  }

  private parseCall(token: Token, args: Node[]): Node {
    const loc = { line: token.line, col: token.col };
    if (!this.is('Bracket', '(')) return { t: 'ident', name: token.value, ...loc };
    if (PREDICATES.has(token.value)) {
      this.expect('Bracket', '(');
      if (args.length === 0) {
        args.push(this.parseExpression(0));
        this.expect('Operator', ',');
      }
      args.push(this.parseClosure());
      if (token.value === 'reduce' && this.is('Operator', ',')) {
        this.next();
        args.push(this.parseExpression(0));
      }
      this.expect('Bracket', ')');
      return { t: 'builtin', name: token.value, args, ...loc };
    }
    if (isBuiltinName(token.value, this.version)) {
      return { t: 'builtin', name: token.value, args: this.parseArguments(args), ...loc };
    }
    const callee: Node = { t: 'ident', name: token.value, ...loc };
    return { t: 'call', callee, args: this.parseArguments(args), ...loc };
  }

  private parseClosure(): Node {
    const start = this.current;
    const braces = this.is('Bracket', '{');
    if (braces) this.next();
    this.depth++;
    const node = this.parseExpression(0);
    this.depth--;
    if (braces) this.expect('Bracket', '}');
    return { t: 'closure', node, line: start.line, col: start.col };
  }

  private parseArguments(nodes: Node[]): Node[] {
    this.expect('Bracket', '(');
    let n = 0;
    while (!this.is('Bracket', ')')) {
      if (n > 0) {
        this.expect('Operator', ',');
        if (this.version === '1.17' && this.is('Bracket', ')')) break;
      }
      nodes.push(this.parseExpression(0));
      n++;
    }
    this.expect('Bracket', ')');
    return nodes;
  }

  private parsePipe(left: Node): Node {
    const ident = this.current;
    this.expect('Identifier');
    return this.parseCall(ident, [left]);
  }

  private parseArray(token: Token): Node {
    const items: Node[] = [];
    this.expect('Bracket', '[');
    while (!this.is('Bracket', ']')) {
      if (items.length > 0) {
        this.expect('Operator', ',');
        if (this.is('Bracket', ']')) break;
      }
      items.push(this.parseExpression(0));
    }
    this.expect('Bracket', ']');
    return { t: 'array', items, line: token.line, col: token.col };
  }

  private parseMap(token: Token): Node {
    this.expect('Bracket', '{');
    const pairs: { key: Node; value: Node }[] = [];
    while (!this.is('Bracket', '}')) {
      if (pairs.length > 0) {
        this.expect('Operator', ',');
        if (this.is('Bracket', '}')) break;
        if (this.is('Operator', ',')) this.error(`unexpected token ${tokenString(this.current)}`);
      }
      let key: Node;
      if (this.is('Number') || this.is('String') || this.is('Identifier')) {
        key = { t: 'string', v: this.current.value, line: token.line, col: token.col };
        this.next();
      } else if (this.is('Bracket', '(')) {
        key = this.parseExpression(0);
      } else {
        this.error(
          `a map key must be a quoted string, a number, a identifier, or an expression enclosed in parentheses (unexpected token ${tokenString(this.current)})`,
        );
      }
      this.expect('Operator', ':');
      const value = this.parseExpression(0);
      pairs.push({ key, value });
    }
    this.expect('Bracket', '}');
    return { t: 'map', pairs, line: token.line, col: token.col };
  }

  private parsePostfix(node: Node): Node {
    for (;;) {
      const tok = this.current;
      if (tok.kind !== 'Operator' && tok.kind !== 'Bracket') return node;
      if (tok.value === '.' || tok.value === '?.') {
        this.next();
        const optional = tok.value === '?.';
        if (this.version === '1.17' && optional && this.is('Bracket', '[')) {
          node = this.parseIndex(node, this.current, true);
          continue;
        }
        const prop = this.current;
        this.next();
        if (prop.kind !== 'Identifier' && !(prop.kind === 'Operator' && isValidIdentifier(prop.value))) {
          this.error('expected name');
        }
        const loc = { line: prop.line, col: prop.col };
        const member: Node = { t: 'member', node, prop: { t: 'string', v: prop.value, ...loc }, optional, ...loc };
        node = this.is('Bracket', '(') ? { t: 'call', callee: member, args: this.parseArguments([]), ...loc } : member;
      } else if (tok.value === '[') {
        node = this.parseIndex(node, tok, false);
      } else {
        return node;
      }
    }
  }

  private parseIndex(node: Node, tok: Token, optional: boolean): Node {
    const loc = { line: tok.line, col: tok.col };
    this.next();
    if (this.is('Operator', ':')) {
      this.next();
      const to = this.is('Bracket', ']') ? undefined : this.parseExpression(0);
      this.expect('Bracket', ']');
      return { t: 'slice', node, from: undefined, to, ...loc };
    }
    const from = this.parseExpression(0);
    if (this.is('Operator', ':')) {
      this.next();
      const to = this.is('Bracket', ']') ? undefined : this.parseExpression(0);
      this.expect('Bracket', ']');
      return { t: 'slice', node, from, to, ...loc };
    }
    this.expect('Bracket', ']');
    return { t: 'member', node, prop: from, optional, ...loc };
  }
}

function isValidIdentifier(s: string): boolean {
  return /^[\p{L}_$][\p{L}\p{Nd}_$]*$/u.test(s);
}

function goQuote2(s: string): string {
  return JSON.stringify(s);
}

/** strconv.ParseInt(s, 0, 64) for 0x / 0o / 0b prefixes; returns the Go error text on failure. */
function parseGoIntBase0(s: string): bigint | string {
  const m = /^0([xXoObB])([0-9a-fA-F]+)$/.exec(s);
  const syntax = `strconv.ParseInt: parsing ${goQuote2(s)}: invalid syntax`;
  if (!m) return syntax;
  const p = (m[1] ?? '').toLowerCase();
  const digits = m[2] ?? '';
  const valid = p === 'x' ? /^[0-9a-fA-F]+$/ : p === 'o' ? /^[0-7]+$/ : /^[01]+$/;
  if (!valid.test(digits)) return syntax;
  const n = BigInt(`0${p}${digits}`);
  if (n > 2n ** 63n - 1n) return `strconv.ParseInt: parsing ${goQuote2(s)}: value out of range`;
  return n;
}

export function parse(input: string, version: ExprVersion): Node {
  return new Parser(lex(input, version), version).parse();
}
