// node brotli.mjs SOURCE TARGET: TARGET becomes SOURCE compressed with brotli at its best
// (quality 11, 16 MiB window), with Node's own zlib (tools/site_hooks/precompress.py).
import { readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";

const [source, target] = process.argv.slice(2);
const body = readFileSync(source);
const packed = brotliCompressSync(body, {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
    [constants.BROTLI_PARAM_LGWIN]: 24,
    [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
  },
});
writeFileSync(target, packed);
