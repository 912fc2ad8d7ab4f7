// The stored form of the checker's memory snapshot, written by make_snapshot.mjs and read by the
// worker (docs/assets/checker/boot.js, unpackSnapshot, which documents the layout). Two things
// make it smaller than Python's memory as Pyodide saves it:
// - Python's static data, which the wasm's data segments place in memory before anything runs,
//   is stored XORed with those segments: nearly all of it is unchanged, so it becomes zeros
//   (measured: its 3.8 MB compress to 1.5 MB as they are, to 65 KB XORed; the reader already has
//   the segments, in pyodide.asm.wasm);
// - 64 KiB blocks of zeros (about half of the memory, more after the XOR) are left out, which
//   also halves the inflating in the browser (measured in Chromium: 31 MB in about 230 ms,
//   18 MB in about 100 ms).
import { wasmDataImage } from "../../docs/assets/checker/boot.js";

export const PACKED_MAGIC = "ACSNAP2\0";
export const BLOCK_SIZE = 65536;
const HEADER = 24;

function isZero(bytes) {
  for (let i = 0; i < bytes.length; i += 1) if (bytes[i] !== 0) return false;
  return true;
}

// Pyodide's snapshot: a header whose second u32 is where the wasm's memory starts in it.
function memoryOffset(snapshot) {
  return new DataView(snapshot.buffer, snapshot.byteOffset, 8).getUint32(4, true);
}

// `snapshot` as makeMemorySnapshot returns it; `wasm` the pyodide.asm.wasm it was taken with
// (without it, or with a wasm whose data cannot be placed, the static data is stored as it is).
export function packSnapshot(snapshot, wasm = null) {
  const memory = Uint8Array.from(snapshot);
  const data = wasm ? wasmDataImage(wasm) : null;
  const dataOffset = data ? memoryOffset(snapshot) : 0;
  const dataLength = data && dataOffset + data.length <= memory.length ? data.length : 0;
  for (let i = 0; i < dataLength; i += 1) memory[dataOffset + i] ^= data[i];
  const blocks = Math.ceil(memory.length / BLOCK_SIZE);
  const runs = [];
  for (let block = 0; block < blocks; block += 1) {
    const start = block * BLOCK_SIZE;
    if (isZero(memory.subarray(start, start + BLOCK_SIZE))) continue;
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === block) last[1] += 1;
    else runs.push([block, 1]);
  }
  const header = new DataView(new ArrayBuffer(HEADER + runs.length * 8));
  new TextEncoder().encodeInto(PACKED_MAGIC, new Uint8Array(header.buffer, 0, 8));
  [memory.length, runs.length, dataOffset, dataLength].forEach((value, index) =>
    header.setUint32(8 + index * 4, value, true),
  );
  const parts = [new Uint8Array(header.buffer)];
  runs.forEach(([first, count], index) => {
    header.setUint32(HEADER + index * 8, first, true);
    header.setUint32(HEADER + 4 + index * 8, count, true);
    parts.push(memory.subarray(first * BLOCK_SIZE, (first + count) * BLOCK_SIZE));
  });
  return Buffer.concat(parts);
}
