// Brotli-compress files with Node's built-in zlib (no dependency), at the highest quality.
//   node scripts/assets/brotli.mjs SOURCE TARGET [SOURCE TARGET ...]
import fs from "node:fs";
import { promisify } from "node:util";
import zlib from "node:zlib";

const compress = promisify(zlib.brotliCompress);
const pairs = process.argv.slice(2);
const jobs = [];
for (let i = 0; i + 1 < pairs.length; i += 2) {
  const data = fs.readFileSync(pairs[i]);
  const params = {
    [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
    [zlib.constants.BROTLI_PARAM_LGWIN]: zlib.constants.BROTLI_MAX_WINDOW_BITS,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
  };
  jobs.push(compress(data, { params }).then((out) => fs.writeFileSync(pairs[i + 1], out)));
}
await Promise.all(jobs);
