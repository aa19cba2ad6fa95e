/**
 * Why a page's data could not be loaded, in plain English (an AppError's message), in place of
 * the page's content: the one look every workspace page uses.
 */
export function PageProblem({ children }: { children: React.ReactNode }) {
  return (
    <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
      {children}
    </div>
  );
}
