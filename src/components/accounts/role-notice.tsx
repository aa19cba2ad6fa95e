"use client";

import { usePermission } from "./viewer-context";
import type { Permission } from "@/lib/roles";

/**
 * A line at the top of a page whose changes need `permission`, shown only to a role without it:
 * what they cannot do here and whom to ask (the buttons still refuse on the server).
 */
export function RoleNotice({ permission }: { permission: Permission }) {
  const { allowed, reason } = usePermission(permission);
  if (allowed) return null;
  return (
    <p role="note" className="rounded-md border bg-muted/40 px-3 py-2 text-sm text-muted-foreground">
      You can read this page. {reason}
    </p>
  );
}
