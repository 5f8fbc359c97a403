// Static (checker) types: a small model of the reflect.Type values expr's checker reasons about
// (expr checker/types.go). Only the kinds reachable from Argo's environment are modelled.

export type GoType =
  | { readonly k: 'nil' }
  | { readonly k: 'any' }
  | { readonly k: 'bool' }
  | { readonly k: 'int' }
  | { readonly k: 'int64' }
  | { readonly k: 'float64' }
  | { readonly k: 'string' }
  | { readonly k: 'slice'; readonly elem: GoType }
  | { readonly k: 'map'; readonly elem: GoType }
  | { readonly k: 'func'; readonly params: readonly GoType[]; readonly out: GoType }
  | { readonly k: 'closure'; readonly out: GoType };

export const T_NIL: GoType = { k: 'nil' };
export const T_ANY: GoType = { k: 'any' };
export const T_BOOL: GoType = { k: 'bool' };
export const T_INT: GoType = { k: 'int' };
export const T_INT64: GoType = { k: 'int64' };
export const T_FLOAT: GoType = { k: 'float64' };
export const T_STRING: GoType = { k: 'string' };
export const T_ARRAY: GoType = { k: 'slice', elem: T_ANY };
export const T_MAP: GoType = { k: 'map', elem: T_ANY };
export const T_F64_SLICE: GoType = { k: 'slice', elem: T_FLOAT };
export const T_INT_SLICE: GoType = { k: 'slice', elem: T_INT };

/** reflect.Type.String(); the nil type prints `<nil>` in expr 1.15 and `unknown` in 1.17. */
export function typeName(t: GoType, nilName = '<nil>'): string {
  switch (t.k) {
    case 'nil':
      return nilName;
    case 'any':
      return 'interface {}';
    case 'slice':
      return `[]${typeName(t.elem, nilName)}`;
    case 'map':
      return `map[string]${typeName(t.elem, nilName)}`;
    case 'func':
      return `func(${t.params.map((p) => typeName(p, nilName)).join(', ')}) ${typeName(t.out, nilName)}`;
    case 'closure':
      return `func(interface {}) ${typeName(t.out, nilName)}`;
    default:
      return t.k;
  }
}

export const isAny = (t: GoType): boolean => t.k === 'any';
export const isInteger = (t: GoType): boolean => t.k === 'int' || t.k === 'int64';
export const isFloat = (t: GoType): boolean => t.k === 'float64';
export const isNumber = (t: GoType): boolean => isInteger(t) || isFloat(t);
export const isBool = (t: GoType): boolean => t.k === 'bool';
export const isString = (t: GoType): boolean => t.k === 'string';
export const isArray = (t: GoType): boolean => t.k === 'slice';
export const isMap = (t: GoType): boolean => t.k === 'map';

/** Kind comparison as reflect does it (int and int64 are different kinds). */
export function sameKind(a: GoType, b: GoType): boolean {
  return a.k === b.k || (a.k === 'closure' && b.k === 'func') || (a.k === 'func' && b.k === 'closure');
}

/** checker/types.go `or`: one side is interface{} and the other passes one of the predicates. */
export function orAny(l: GoType, r: GoType, ...fns: ((t: GoType) => boolean)[]): boolean {
  if (isAny(l) && isAny(r)) return true;
  if (isAny(l) && fns.some((f) => f(r))) return true;
  if (isAny(r) && fns.some((f) => f(l))) return true;
  return false;
}

/** checker/types.go `isComparable`. The nil type compares with anything. */
export function isComparable(l: GoType, r: GoType): boolean {
  if (l.k === 'nil' || r.k === 'nil') return true;
  if (sameKind(l, r)) return true;
  if (isNumber(l) && isNumber(r)) return true;
  return isAny(l) || isAny(r);
}

/** checker/types.go `combined`: result type of + - * on two numbers. */
export function combined(a: GoType, b: GoType): GoType {
  if (a.k === b.k) return a;
  if (isFloat(a) || isFloat(b)) return T_FLOAT;
  return T_INT;
}

/** reflect AssignableTo for the types we model (identical types, or anything to interface{}). */
export function assignableTo(t: GoType, to: GoType): boolean {
  if (to.k === 'any') return true;
  if (t.k !== to.k) return false;
  if (t.k === 'slice' && to.k === 'slice') return typeName(t.elem) === typeName(to.elem);
  if (t.k === 'map' && to.k === 'map') return typeName(t.elem) === typeName(to.elem);
  return typeName(t) === typeName(to);
}
