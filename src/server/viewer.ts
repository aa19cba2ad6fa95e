import "server-only";
/** The client's view of who is signed in (src/components/accounts/viewer-context.tsx), from the guard's answer. */
import type { Viewer } from "../components/accounts/viewer-context";
import { PERMISSIONS } from "../lib/roles";
import { currentPrincipal, type User } from "./auth";

/** A Viewer from the guard's User (inside a workspace: with the role and permissions there). */
export function viewerOf(user: User): Viewer {
  return { name: user.displayName, email: user.email, kind: user.kind, isInstallationOwner: user.isInstallationOwner, role: user.role, permissions: user.permissions };
}

/** The signed-in viewer outside any workspace, or null when nobody is signed in. */
export async function currentViewer(): Promise<Viewer | null> {
  const principal = await currentPrincipal().catch(() => null);
  if (!principal) return null;
  return { name: principal.displayName, email: principal.email, kind: principal.kind, isInstallationOwner: principal.isInstallationOwner, role: null, permissions: principal.isInstallationOwner ? PERMISSIONS : ["read"] };
}
