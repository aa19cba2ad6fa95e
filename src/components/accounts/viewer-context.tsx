"use client";
/**
 * Who is looking at the page, for client components: their name, e-mail and, inside a workspace,
 * their role and permissions (src/lib/roles.ts). Buttons a role cannot use read `usePermission`
 * and are disabled with its reason. The server's guard is what actually refuses; this only
 * saves people from clicking a button that would be refused.
 */
import { createContext, useContext } from "react";
import { forbiddenReason, PERMISSIONS, type Permission, type WorkspaceRole } from "@/lib/roles";

export interface Viewer {
  name: string;
  email: string | null;
  /** "account" (signed in) or "local" (the CLI's local owner; never in a browser). */
  kind: "account" | "local";
  isInstallationOwner: boolean;
  /** Their role in the current workspace; null outside one. */
  role: WorkspaceRole | null;
  permissions: readonly Permission[];
}

const ViewerContext = createContext<Viewer | null>(null);

/** Provides the viewer to the page's client components. */
export function ViewerProvider({ viewer, children }: { viewer: Viewer | null; children: React.ReactNode }) {
  return <ViewerContext.Provider value={viewer}>{children}</ViewerContext.Provider>;
}

/** The viewer, or null outside a provider (public pages). */
export function useViewer(): Viewer | null {
  return useContext(ViewerContext);
}

/**
 * Whether the viewer may use a control needing `permission`, and if not, why (for the disabled
 * button's title and the text beside it). Outside a ViewerProvider everything is allowed (the
 * server decides).
 */
export function usePermission(permission: Permission): { allowed: boolean; reason: string | null } {
  const viewer = useContext(ViewerContext);
  const permissions = viewer ? viewer.permissions : PERMISSIONS;
  if (permissions.includes(permission)) return { allowed: true, reason: null };
  return { allowed: false, reason: forbiddenReason(viewer?.role ?? null, permission) };
}
