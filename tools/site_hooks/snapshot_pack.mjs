// The stored form of the checker's memory snapshot, written by make_snapshot.mjs and read by the
// worker (docs/assets/checker/boot.js, unpackSnapshot). About half of Python's memory is 64 KiB
// blocks of zeros; leaving them out halves what the browser inflates on every visit (measured in
// Chromium: 31 MB in about 230 ms, 18 MB in about 100 ms). Layout, integers little-endian:
//   "ACSNAP1\0"  u32 memory length  u32 run count
//   run count × (u32 first block, u32 block count)   the blocks that are not all zeros
//   the bytes of those runs, in order (the memory's last block may be shorter than 64 KiB)
export const PACKED_MAGIC = "ACSNAP1\0";
export const BLOCK_SIZE = 65536;

function isZero(bytes) {
  for (let i = 0; i < bytes.length; i += 1) if (bytes[i] !== 0) return false;
  return true;
}

export function packSnapshot(memory) {
  const blocks = Math.ceil(memory.length / BLOCK_SIZE);
  const runs = [];
  for (let block = 0; block < blocks; block += 1) {
    const start = block * BLOCK_SIZE;
    if (isZero(memory.subarray(start, start + BLOCK_SIZE))) continue;
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === block) last[1] += 1;
    else runs.push([block, 1]);
  }
  const header = new DataView(new ArrayBuffer(16 + runs.length * 8));
  new TextEncoder().encodeInto(PACKED_MAGIC, new Uint8Array(header.buffer, 0, 8));
  header.setUint32(8, memory.length, true);
  header.setUint32(12, runs.length, true);
  const parts = [new Uint8Array(header.buffer)];
  runs.forEach(([first, count], index) => {
    header.setUint32(16 + index * 8, first, true);
    header.setUint32(20 + index * 8, count, true);
    parts.push(memory.subarray(first * BLOCK_SIZE, (first + count) * BLOCK_SIZE));
  });
  return Buffer.concat(parts);
}
