// Checksums for checkpoint parts and manifests: FNV-1a 64-bit over the UTF-8 bytes of a string
// (manifests, savepoint files), and a faster word-at-a-time hash for parts (`partChecksum`),
// computed in two 32-bit halves so it needs no BigInt and no platform API (TextEncoder is not in
// the engine's lib). It detects torn and damaged data; it is not a cryptographic hash, and it
// does not need to be: nothing here defends against an adversary, only against a crash or a
// corrupted store. Pure and deterministic, so Node, a Worker and every store agree on it.
//
// Invariant: a checkpoint is intact exactly when `checkpointIntact` says so; every DurableStore
// implementation decides what `listCheckpoints` returns with it, so they cannot disagree.

import type { CheckpointManifest, ManifestPart, PartChunk } from './durable-store.ts';
import { chunkSize, chunksOf, type ChunkData, type PartData } from './part-data.ts';

/** FNV-1a 64-bit offset basis, high and low 32 bits. */
const OFFSET_HI = 0xcbf29ce4;
const OFFSET_LO = 0x84222325;
/** The FNV 64-bit prime is 2^40 + 0x1b3. */
const PRIME_LO = 0x1b3;
const INV_TWO_32 = 1 / 0x1_0000_0000;

/**
 * FNV-1a 64-bit of the UTF-8 encoding of `text`, as 16 lowercase hex digits.
 * Lone surrogates are encoded as U+FFFD, as `TextEncoder` does.
 */
export function checksum(text: string): string {
  // The state lives in locals (not in a closure) so the optimiser keeps the halves unboxed.
  let hi = OFFSET_HI;
  let lo = OFFSET_LO;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    let n: number;
    if (code < 0x80) {
      // One FNV-1a round: xor the byte into the low half, then multiply by 2^40 + 0x1b3 mod 2^64.
      lo ^= code;
      // lo * prime < 2^41 is exact in a double; its low 32 bits come from imul, and the carry is
      // the rest scaled by 2^-32 (exact: a power of two), with no division.
      const low = Math.imul(lo, PRIME_LO);
      hi = (Math.imul(hi, PRIME_LO) + ((lo >>> 0) * PRIME_LO - (low >>> 0)) * INV_TWO_32 + (lo << 8)) | 0;
      lo = low;
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        code = 0xfffd;
      }
    }
    if (code < 0x800) {
      b0 = 0xc0 | (code >> 6);
      b1 = 0x80 | (code & 0x3f);
      n = 2;
    } else if (code < 0x10000) {
      b0 = 0xe0 | (code >> 12);
      b1 = 0x80 | ((code >> 6) & 0x3f);
      b2 = 0x80 | (code & 0x3f);
      n = 3;
    } else {
      b0 = 0xf0 | (code >> 18);
      b1 = 0x80 | ((code >> 12) & 0x3f);
      b2 = 0x80 | ((code >> 6) & 0x3f);
      b3 = 0x80 | (code & 0x3f);
      n = 4;
    }
    for (let k = 0; k < n; k++) {
      lo ^= k === 0 ? b0 : k === 1 ? b1 : k === 2 ? b2 : b3;
      const low = Math.imul(lo, PRIME_LO);
      hi = (Math.imul(hi, PRIME_LO) + ((lo >>> 0) * PRIME_LO - (low >>> 0)) * INV_TWO_32 + (lo << 8)) | 0;
      lo = low;
    }
  }
  return hex8(hi >>> 0) + hex8(lo >>> 0);
}

function hex8(word: number): string {
  return (word >>> 0).toString(16).padStart(8, '0');
}

/**
 * JSON with object keys sorted at every level, so equal values give equal text whatever order
 * their fields were written in. Like `JSON.stringify`, it drops `undefined` fields.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  });
}

/** A manifest's fields other than its checksum. */
export type ManifestFields = Omit<CheckpointManifest, 'checksum'>;

/**
 * The checksum of a manifest: over the canonical JSON of every field except `checksum` (which is
 * ignored if present), so a damaged id, time or part entry is recognised.
 */
export function manifestChecksum(manifest: ManifestFields): string {
  const fields: Record<string, unknown> = { ...manifest };
  delete fields.checksum;
  return checksum(canonicalJson(fields));
}

/** What a part checksum written by `partChecksum` starts with; a checksum without it is FNV-1a over UTF-8. */
const PART_HASH_PREFIX = 'w:';

/**
 * A fast checksum of a checkpoint part: two 32-bit lanes over the text's UTF-16 code units, two
 * units (one 32-bit word) per round (lane one as MurmurHash3's body, lane two as FNV-1a over
 * words), finished with MurmurHash3's mixer over each lane and the length. About four times
 * faster than `checksum` (FNV-1a a byte at a time over UTF-8), which made the checksums of a
 * 100,000-key snapshot cost as much as its write; it detects torn and damaged parts as well
 * (any changed, missing or added code unit changes it, bar a 2^-64 accident). The result is
 * prefixed with `w:` so a manifest says which hash its parts use (older manifests: FNV-1a).
 */
export function partChecksum(text: string): string {
  let a = 0x9747b28c;
  let b = 0x811c9dc5;
  const n = text.length;
  const even = n & ~1;
  for (let i = 0; i < even; i += 2) {
    const w = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
    let k = Math.imul(w, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    a ^= k;
    a = (Math.imul((a << 13) | (a >>> 19), 5) + 0xe6546b64) | 0;
    b = Math.imul(b ^ w, 0x01000193);
  }
  if (n !== even) {
    const w = text.charCodeAt(even);
    a ^= Math.imul(Math.imul(w, 0xcc9e2d51), 0x1b873593);
    b = Math.imul(b ^ w, 0x01000193);
  }
  return PART_HASH_PREFIX + hex8(mix(a ^ n)) + hex8(mix(b ^ Math.imul(n, 0x9e3779b1)));
}

/** MurmurHash3's finaliser: every input bit affects every output bit. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** What the checksum of a binary chunk starts with. */
const BYTES_HASH_PREFIX = 'b:';

/**
 * The checksum of a binary chunk (binary-rows.ts): `partChecksum`'s two lanes over its bytes,
 * four (one 32-bit word) per round, prefixed `b:`.
 */
export function bytesChecksum(bytes: Uint8Array): string {
  const n = bytes.length;
  const words = n >>> 2;
  // Words through a view when the chunk is 4-aligned in its buffer (chunks are made so), in a
  // loop of its own: choosing per word kept V8 from compiling it tight (about four times slower).
  const lanes = bytes.byteOffset % 4 === 0 ? alignedWords(new Int32Array(bytes.buffer, bytes.byteOffset, words)) : unalignedWords(bytes, words);
  let a = lanes[0];
  let b = lanes[1];
  for (let i = words * 4; i < n; i++) {
    const w = bytes[i]!;
    a ^= Math.imul(Math.imul(w, 0xcc9e2d51), 0x1b873593);
    b = Math.imul(b ^ w, 0x01000193);
  }
  return BYTES_HASH_PREFIX + hex8(mix(a ^ n)) + hex8(mix(b ^ Math.imul(n, 0x9e3779b1)));
}

/** bytesChecksum's two lanes over `words` (a round per word). */
function alignedWords(words: Int32Array): [number, number] {
  let a = 0x9747b28c;
  let b = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    let k = Math.imul(w, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    a ^= k;
    a = (Math.imul((a << 13) | (a >>> 19), 5) + 0xe6546b64) | 0;
    b = Math.imul(b ^ w, 0x01000193);
  }
  return [a, b];
}

/** As alignedWords, the words read byte by byte (little-endian) from the first `words` * 4 of `bytes`. */
function unalignedWords(bytes: Uint8Array, words: number): [number, number] {
  let a = 0x9747b28c;
  let b = 0x811c9dc5;
  for (let i = 0; i < words; i++) {
    const w = bytes[4 * i]! | (bytes[4 * i + 1]! << 8) | (bytes[4 * i + 2]! << 16) | (bytes[4 * i + 3]! << 24);
    let k = Math.imul(w, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    a ^= k;
    a = (Math.imul((a << 13) | (a >>> 19), 5) + 0xe6546b64) | 0;
    b = Math.imul(b ^ w, 0x01000193);
  }
  return [a, b];
}

/** The checksum of one chunk: `partChecksum` of text, `bytesChecksum` of a binary chunk. */
export function chunkChecksum(chunk: ChunkData): string {
  return typeof chunk === 'string' ? partChecksum(chunk) : bytesChecksum(chunk);
}

/** Whether `data` has the checksum `expected`, computed by the hash `expected` was made with. */
export function partMatches(data: ChunkData, expected: string): boolean {
  if (typeof data !== 'string') return expected.startsWith(BYTES_HASH_PREFIX) && bytesChecksum(data) === expected;
  return (expected.startsWith(PART_HASH_PREFIX) ? partChecksum(data) : checksum(data)) === expected;
}

/**
 * The manifest entry for a part: its name, size (characters of text; for a binary part, the
 * sum of its chunks' characters and bytes) and checksum (a binary part's chunk by chunk).
 */
export function describePart(name: string, data: PartData): CheckpointManifest['parts'][number] {
  if (typeof data === 'string') return { name, size: data.length, checksum: partChecksum(data) };
  return describeChunkedPart(name, data.chunks.map((c) => ({ size: chunkSize(c), checksum: chunkChecksum(c) })));
}

/** What the checksum of a part written in chunks starts with. */
const CHUNKED_PREFIX = 'c:';

/**
 * The checksum a manifest lists for a part written in chunks: over the chunks' sizes and
 * checksums, so it says how the part was cut (each chunk is verified against its own checksum).
 */
export function chunkedChecksum(chunks: readonly PartChunk[]): string {
  return CHUNKED_PREFIX + partChecksum(chunks.map((c) => `${c.size}:${c.checksum}`).join(','));
}

/** The manifest entry for a part written as `chunks` (one chunk: as describePart, no chunk list). */
export function describeChunkedPart(name: string, chunks: readonly PartChunk[]): ManifestPart {
  if (chunks.length === 1) return { name, size: chunks[0]!.size, checksum: chunks[0]!.checksum };
  let size = 0;
  for (const c of chunks) size += c.size;
  return { name, size, checksum: chunkedChecksum(chunks), chunks };
}

/**
 * Whether `data` is the part `part` lists: its size, and its checksum (each chunk's, for a
 * chunked part). Text chunks come joined in a text part; a binary part comes as its chunks.
 */
export function partIntact(part: ManifestPart, data: PartData): boolean {
  if (typeof data !== 'string') return binaryPartIntact(part, chunksOf(data));
  if (data.length !== part.size) return false;
  if (part.chunks === undefined) return partMatches(data, part.checksum);
  if (chunkedChecksum(part.chunks) !== part.checksum) return false;
  let at = 0;
  for (const c of part.chunks) {
    if (!partMatches(data.slice(at, at + c.size), c.checksum)) return false;
    at += c.size;
  }
  return at === data.length;
}

function binaryPartIntact(part: ManifestPart, chunks: readonly ChunkData[]): boolean {
  const listed = part.chunks ?? [{ size: part.size, checksum: part.checksum }];
  if (part.chunks !== undefined && chunkedChecksum(part.chunks) !== part.checksum) return false;
  if (listed.length !== chunks.length) return false;
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    if (chunkSize(c) !== listed[i]!.size || !partMatches(c, listed[i]!.checksum)) return false;
  }
  return true;
}

/** A complete manifest: `fields` plus their checksum. */
export function sealManifest(fields: ManifestFields): CheckpointManifest {
  return { ...fields, checksum: manifestChecksum(fields) };
}

/**
 * Whether a checkpoint can be restored: the manifest's own checksum holds, and every part it
 * lists exists with the listed size and checksum, shared parts of an incremental chain included
 * (stored under the earlier checkpoint that wrote them). `partData` returns the text stored for
 * part `name` of checkpoint `checkpointId`, or undefined if it is missing.
 */
export function checkpointIntact(
  manifest: CheckpointManifest,
  partData: (name: string, checkpointId: number) => PartData | undefined,
): boolean {
  if (manifestChecksum(manifest) !== manifest.checksum) return false;
  for (const part of manifest.parts) {
    const data = partData(part.name, part.checkpointId ?? manifest.checkpointId);
    if (data === undefined || !partIntact(part, data)) return false;
  }
  return true;
}
