// Declarations for modules the editor imports that have none of their own: the virtual module
// served by build/brook-dts-plugin.ts (the Brook API's generated `.d.ts` files by path inside
// the `brook` package), and Monaco's TypeScript language definition.
declare module 'virtual:brook-dts' {
  const files: Readonly<Record<string, string>>;
  export default files;
}

// Monaco ships this module without declarations; monaco-setup.ts needs only its `conf`.
declare module 'monaco-editor/languages/definitions/typescript/typescript' {
  import type { languages } from 'monaco-editor/editor';
  export const conf: languages.LanguageConfiguration;
}
