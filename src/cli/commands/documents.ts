import { defineCommand } from "citty";
import { AppError } from "../../core/errors";
import { deleteDocumentByKey, getDocumentWithChunksByKey, listDocumentsWithChunkCounts, listDocumentTraceability } from "../../server/db/queries/documents";
import { traceabilityCsv } from "../../server/traceability";
import { commonArgs, formatCount, say, withWorkspace } from "../context";

const jsonArg = { json: { type: "boolean", description: "Print JSON instead of text." } } as const;

function formatTime(date: Date): string {
  return date.toISOString().slice(0, 16).replace("T", " ");
}

/** "audience_level=beginner, word_count=120", by name (the database keeps JSON keys in its own order). */
function formatDimensions(dimensions: Record<string, unknown>): string {
  const entries = Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([name, value]) => `${name}=${typeof value === "string" ? value : JSON.stringify(value)}`).join(", ") : "none";
}

const list = defineCommand({
  meta: { name: "list", description: "Imported documents with their category and chunk counts." },
  args: {
    ...commonArgs,
    json: { type: "boolean", description: "Print JSON instead: [{ key, title, category, source_path, chunks, tokens, updated_at }]." },
  },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "read" }, async ({ handle, workspace }) => {
      const documents = await listDocumentsWithChunkCounts({ db: handle.db, workspaceId: workspace.id });
      if (args.json) {
        say(
          JSON.stringify(
            documents.map((d) => ({ key: d.key, title: d.title, category: d.category, source_path: d.sourcePath, chunks: d.chunkCount, tokens: d.tokenCount, updated_at: d.updatedAt.toISOString() })),
            null,
            2,
          ),
        );
        return;
      }
      if (!documents.length) {
        say("No documents yet. Import some with `brightrun import PATH` (Markdown, plain text, PDF, Word .docx, HTML or chunk JSON).");
        return;
      }
      const chunks = documents.reduce((sum, d) => sum + d.chunkCount, 0);
      say(`${formatCount(documents.length)} ${documents.length === 1 ? "document" : "documents"}, ${formatCount(chunks)} chunks. Show one with \`brightrun documents show KEY\`.`);
      const keyWidth = Math.max(3, ...documents.map((d) => d.key.length));
      const categoryWidth = Math.max(8, ...documents.map((d) => d.category.length));
      say(`${"KEY".padEnd(keyWidth)}  ${"CATEGORY".padEnd(categoryWidth)}  CHUNKS  TITLE`);
      for (const d of documents) say(`${d.key.padEnd(keyWidth)}  ${d.category.padEnd(categoryWidth)}  ${String(d.chunkCount).padStart(6)}  ${d.title}`);
    });
  },
});

const show = defineCommand({
  meta: { name: "show", description: "A document's chunks, in order: heading, text, summary, key terms, dimensions, and how many conversations each fed." },
  args: {
    ...commonArgs,
    key: { type: "positional", description: "Document key (from `brightrun documents list`).", required: true },
    ...jsonArg,
  },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "read" }, async ({ handle, workspace }) => {
      const found = await getDocumentWithChunksByKey({ db: handle.db, workspaceId: workspace.id, key: args.key });
      if (!found) {
        throw new AppError("document_not_found", `No document has the key "${args.key}". See the keys with \`brightrun documents list\`.`, { detail: { key: args.key } });
      }
      const { document, chunks } = found;
      if (args.json) {
        say(
          JSON.stringify(
            {
              key: document.key,
              title: document.title,
              category: document.category,
              source_path: document.sourcePath,
              content_hash: document.contentHash,
              updated_at: document.updatedAt.toISOString(),
              chunks: chunks.map((c) => ({
                key: c.key,
                ordinal: c.ordinal,
                heading: c.heading,
                content: c.content,
                summary: c.summary,
                key_terms: c.keyTerms,
                dimensions: c.dimensions,
                token_count: c.tokenCount,
                conversation_count: c.conversationCount,
              })),
            },
            null,
            2,
          ),
        );
        return;
      }
      say(`${document.title} (${document.key})`);
      say(`Category: ${document.category} · source: ${document.sourcePath ?? "unknown"} · ${chunks.length} ${chunks.length === 1 ? "chunk" : "chunks"} · updated ${formatTime(document.updatedAt)} UTC`);
      chunks.forEach((c, index) => {
        say();
        say(`── Chunk ${index + 1} of ${chunks.length} · ${c.key}${c.heading ? ` · ${c.heading}` : ""} · ~${formatCount(c.tokenCount)} tokens · ${c.conversationCount} ${c.conversationCount === 1 ? "conversation" : "conversations"}`);
        say(`Summary: ${c.summary || "none"}`);
        say(`Key terms: ${c.keyTerms.length ? c.keyTerms.join(", ") : "none"}`);
        say(`Dimensions: ${formatDimensions(c.dimensions)}`);
        say();
        say(c.content);
      });
    });
  },
});

const remove = defineCommand({
  meta: {
    name: "delete",
    description: "Delete a document and its chunks: `documents delete KEY --yes`. Conversations planned from it keep their text and lose the link (the web app's rule).",
  },
  args: {
    ...commonArgs,
    key: { type: "positional", description: "Document key (from `brightrun documents list`).", required: true },
    yes: { type: "boolean", description: "Confirm: deleting cannot be undone (import the file again to bring it back)." },
  },
  async run({ args }) {
    if (!args.yes) {
      throw new AppError("argument_invalid", `Deleting the document "${args.key}" and its chunks cannot be undone. Run the command again with --yes to delete it.`);
    }
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "import" }, async ({ handle, workspace }) => {
      const deleted = await handle.db.transaction((tx) => deleteDocumentByKey({ db: tx, workspaceId: workspace.id, key: args.key }));
      if (!deleted) {
        throw new AppError("document_not_found", `No document has the key "${args.key}". See the keys with \`brightrun documents list\`.`, { detail: { key: args.key } });
      }
      say(
        `Deleted "${deleted.title}" (${deleted.key}) and its ${formatCount(deleted.chunks)} ${deleted.chunks === 1 ? "chunk" : "chunks"}.` +
          (deleted.conversations ? ` ${formatCount(deleted.conversations)} ${deleted.conversations === 1 ? "conversation keeps its" : "conversations keep their"} text and lost the link to it.` : ""),
      );
    });
  },
});

const trace = defineCommand({
  meta: {
    name: "trace",
    description: "A document's traceability as CSV: each chunk and the conversations planned from it (document_key, …, conversation_id, tier, status, quality_score).",
  },
  args: {
    ...commonArgs,
    key: { type: "positional", description: "Document key (from `brightrun documents list`).", required: true },
  },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "read" }, async ({ handle, workspace }) => {
      const rows = await listDocumentTraceability({ db: handle.db, workspaceId: workspace.id, key: args.key });
      if (!rows) {
        throw new AppError("document_not_found", `No document has the key "${args.key}". See the keys with \`brightrun documents list\`.`, { detail: { key: args.key } });
      }
      process.stdout.write(traceabilityCsv(rows));
    });
  },
});

export default defineCommand({
  meta: { name: "documents", description: "Imported documents and their chunks: list, show KEY, trace KEY (CSV), delete KEY --yes." },
  subCommands: { list, show, trace, delete: remove },
  default: "list",
});
