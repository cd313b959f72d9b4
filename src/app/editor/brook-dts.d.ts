// The virtual module served by build/brook-dts-plugin.ts: the Brook API's generated `.d.ts`
// files by path inside the `brook` package (`index.d.ts`, `engine/api/index.d.ts`, ...).
declare module 'virtual:brook-dts' {
  const files: Readonly<Record<string, string>>;
  export default files;
}
