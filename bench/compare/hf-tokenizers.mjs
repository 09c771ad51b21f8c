// Hugging Face tokenizers (Rust) on the document TokenizerCompare wrote; needs `npm install tokenizers@0.23.2` here.
// Usage: node hf-tokenizers.mjs tokenizer.json   (in the folder holding doc.txt; writes hf_ids.txt)
import { createRequire } from "module";
const { Tokenizer } = createRequire(import.meta.url)("tokenizers");
import fs from "fs";
const tok = Tokenizer.fromFile(process.argv[2]);
const doc = fs.readFileSync("doc.txt", "utf8");
const bytes = Buffer.byteLength(doc, "utf8");
let ids;
for (let i = 0; i < 8; i++) {
  const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint();
  const enc = await tok.encode(doc, null, { addSpecialTokens: false });
  const t = Number(process.hrtime.bigint() - t0) / 1e9; const c = process.cpuUsage(c0);
  ids = enc.getIds();
  console.log(`hf run ${i}: ${ids.length} tokens, ${(bytes / 1e6 / ((c.user + c.system) / 1e6)).toFixed(1)} MB/s cpu(all threads), ${(bytes / 1e6 / t).toFixed(1)} MB/s wall`);
}
fs.writeFileSync("hf_ids.txt", "[" + Array.from(ids).join(", ") + "]");
