/**
 * The table's loading skeleton (US6.1.2, US11.2.1): the same frame as the table (toolbar, header,
 * rows, pagination) so nothing jumps when the data arrives.
 */
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export function DataTableSkeleton({ columnCount = 10, rowCount = 10, filterCount = 6 }: { columnCount?: number; rowCount?: number; filterCount?: number }) {
  return (
    <div className="space-y-3" role="status" aria-live="polite" aria-label="Loading conversations">
      <span className="sr-only">Loading conversations…</span>
      <div className="flex flex-wrap items-center gap-2">
        <Skeleton className="h-8 w-64" />
        {Array.from({ length: filterCount }, (_, i) => (
          <Skeleton key={i} className="h-8 w-24" />
        ))}
      </div>
      <div className="rounded-md border">
        <Table>
          <TableHeader>
            <TableRow>
              {Array.from({ length: columnCount }, (_, i) => (
                <TableHead key={i}>
                  <Skeleton className="h-4 w-20" />
                </TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {Array.from({ length: rowCount }, (_, r) => (
              <TableRow key={r}>
                {Array.from({ length: columnCount }, (_, c) => (
                  <TableCell key={c}>
                    <Skeleton className="h-5 w-full min-w-12" />
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <div className="flex justify-between">
        <Skeleton className="h-8 w-40" />
        <Skeleton className="h-8 w-72" />
      </div>
    </div>
  );
}
