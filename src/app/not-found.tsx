import type { Metadata } from "next";
import Link from "next/link";

import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found · Bright Run" };

/** The 404 page: says the page does not exist and links back to Conversations. */
export default function NotFound() {
  return (
    <div className="mx-auto flex w-full max-w-xl flex-col items-start gap-3 px-4 py-16 lg:px-6">
      <p className="text-sm font-medium text-muted-foreground">404</p>
      <h1 className="text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="text-sm text-muted-foreground">
        There is nothing at this address. The link may be mistyped, or the workspace, conversation or run it pointed to
        may have been deleted.
      </p>
      <Button asChild>
        <Link href="/">Back to Bright Run</Link>
      </Button>
    </div>
  );
}
