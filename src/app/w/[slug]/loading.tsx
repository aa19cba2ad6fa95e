import { DataTableSkeleton } from "@/components/data-table/data-table-skeleton";

/** Shown while the conversations page's first server render streams in (US11.2.1). */
export default function Loading() {
  return (
    <div className="mx-auto w-full max-w-[1800px] px-4 py-4 lg:px-6">
      <DataTableSkeleton />
    </div>
  );
}
