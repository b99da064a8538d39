// The .mms language front end: lexer, parser, checker, vocabulary, limits.
export * from './ast';
export * from './diagnostics';
export { parse, PARSE_CODES } from './parser';
export { check, CHECK_CODES, TASK_SIZE, FAULT_AROUND_MAX } from './checker';
export type { CheckOptions, CheckResult, SymbolInfo, ObjKind } from './checker';
export {
  lex, lexLine, lexSpan, forEachLine, splitLines, tokenRange, tokenSpan, startPos, endPos, quote,
  LEX_UNEXPECTED_CHAR, LEX_INT_TOO_LARGE, LEX_BAD_NUMBER,
} from './lexer';
export type { Token, TokenKind, LexedLine } from './lexer';
export * from './keywords';
export { DEFAULT_LIMITS, resolveLimits } from './limits';
export type { Limits } from './limits';
