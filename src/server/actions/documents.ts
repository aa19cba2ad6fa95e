"use server";
/**
 * Document server actions (issue 9, item 2): delete a document. Uploads go through the route
 * handlers under app/api/documents (they need multipart bodies and upload progress).
 */
import { z } from "zod";
import { AppError } from "@/core/errors";
import type { ActionResult } from "@/lib/dashboard-contract";
import { runAction } from "@/server/actions/action-result";
import { openWorkspace } from "@/server/workspace-context";
import { deleteDocumentByKey, type DocumentDeletion } from "@/server/db/queries/documents";

const deleteDocumentInput = z.strictObject({ key: z.string().trim().min(1, "Name the document to delete.").max(200) });

/**
 * Deletes a document and its chunks, in one transaction; the conversations planned from it keep
 * their text and lose the link (deleteDocumentByKey). Permission "import".
 * @returns what was deleted; `{ ok: false }` with `document_not_found` when the key is unknown
 */
export async function deleteDocumentAction(workspace: string, input: z.input<typeof deleteDocumentInput>): Promise<ActionResult<DocumentDeletion>> {
  return runAction("deleteDocumentAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "import");
    const { key } = deleteDocumentInput.parse(input);
    const deleted = await db.transaction((tx) => deleteDocumentByKey({ db: tx, workspaceId: ws.id, key }));
    if (!deleted) throw new AppError("document_not_found", `There is no document "${key}" any more. Reload the Documents page.`);
    return deleted;
  });
}
