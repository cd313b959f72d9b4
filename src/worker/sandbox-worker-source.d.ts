// The engine worker bundled into one script by build/sandbox-worker-plugin.ts; engine-host.ts
// imports it lazily and starts it from a Blob URL inside the sandbox iframe.
declare module 'virtual:brook-sandbox-worker' {
  /** The bundled worker's source text (a classic script). */
  const source: string;
  export default source;
}
