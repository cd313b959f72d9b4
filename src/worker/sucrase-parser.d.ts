// Types for the two modules of sucrase's parser that loop-guard.ts imports by path (sucrase
// publishes their declarations under dist/types, beside, not next to, the CommonJS files).
declare module 'sucrase/dist/parser/index.js' {
  export { parse, File } from 'sucrase/dist/types/parser/index';
}
declare module 'sucrase/dist/parser/tokenizer/types.js' {
  export { TokenType } from 'sucrase/dist/types/parser/tokenizer/types';
}
