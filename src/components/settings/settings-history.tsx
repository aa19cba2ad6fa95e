import Link from "next/link";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { SettingsHistoryEntry } from "@/server/settings/settings-audit";

/**
 * "Settings history" (US14.1.2): who changed which setting when, old → new, newest first, paged
 * with `?historyPage=N` links on `basePath`. Secrets arrive masked from the audit ("sk-…abcd", "(set)").
 */
export function SettingsHistory({
  history,
  basePath,
  description,
}: {
  history: { entries: SettingsHistoryEntry[]; total: number; page: number; perPage: number };
  basePath: string;
  description: string;
}) {
  const pages = Math.max(1, Math.ceil(history.total / history.perPage));
  const first = history.total === 0 ? 0 : (history.page - 1) * history.perPage + 1;
  const last = Math.min(history.total, history.page * history.perPage);
  const pageHref = (page: number) => `${basePath}?historyPage=${page}#settings-history`;
  return (
    <section aria-labelledby="settings-history" className="space-y-3 rounded-lg border p-4">
      <div className="space-y-1">
        <h2 id="settings-history" className="scroll-mt-20 text-lg font-semibold">
          Settings history
        </h2>
        <p className="text-sm text-muted-foreground">{description}</p>
      </div>
      {history.total === 0 ? (
        <p className="text-sm text-muted-foreground">No settings have been changed yet.</p>
      ) : (
        <>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead className="w-44">When</TableHead>
                <TableHead>Who</TableHead>
                <TableHead>Setting</TableHead>
                <TableHead>Old → new</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {history.entries.map((e) => (
                <TableRow key={e.id}>
                  <TableCell className="whitespace-nowrap text-muted-foreground">
                    <time dateTime={e.at.toISOString()}>{e.at.toISOString().slice(0, 16).replace("T", " ")} UTC</time>
                  </TableCell>
                  <TableCell>{e.userName}</TableCell>
                  <TableCell title={e.setting}>{e.label}</TableCell>
                  <TableCell className="max-w-md whitespace-normal">
                    <span className="break-all text-muted-foreground">{e.oldValue ?? "(none)"}</span>
                    <span aria-label="changed to"> → </span>
                    <span className="break-all">{e.newValue ?? "(none)"}</span>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <nav aria-label="Settings history pages" className="flex items-center justify-between text-sm text-muted-foreground">
            <span>
              {first}–{last} of {history.total}
            </span>
            <span className="flex gap-3">
              {history.page > 1 ? (
                <Link href={pageHref(history.page - 1)} className="underline underline-offset-2">
                  Newer
                </Link>
              ) : null}
              {history.page < pages ? (
                <Link href={pageHref(history.page + 1)} className="underline underline-offset-2">
                  Older
                </Link>
              ) : null}
            </span>
          </nav>
        </>
      )}
    </section>
  );
}
