/**
 * Roles and permissions: the one home of who may do what (issue 14, item 2). The guard
 * (`requireUser` in src/server/auth.ts), the pages that hide or disable buttons, the CLI and the
 * tests all read these lists. Client-safe: no server imports.
 *
 * Roles are per workspace. The installation owner (the account made on the set-up page, or by
 * `brightrun users create-owner`) is an owner of every workspace; the CLI on the embedded
 * database acts as the installation owner (docs/accounts.md).
 */

/** What a request may ask for. Every server action, route handler, page and SSE stream names one. */
export const PERMISSIONS = [
  /** See the workspace: pages, tables, downloads of reports. */
  "read",
  /** Approve, reject, notes, undo (US4.2). */
  "review",
  /** Export datasets and download them. */
  "export",
  /** Bring in knowledge and change the workspace: documents, seeds, taxonomy, templates, settings. */
  "import",
  /** Plan the dataset (tier split, scenarios). */
  "plan",
  /** Start, resume or retry generation runs: the actions that spend money. */
  "generate",
  /** Invite, change and remove members; delete the workspace. */
  "manage_members",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Workspace roles, most powerful first (issue 14: owner, admin, reviewer, viewer). */
export const WORKSPACE_ROLES = ["owner", "admin", "reviewer", "viewer"] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

/** What each role may do. */
export const ROLE_PERMISSIONS: Record<WorkspaceRole, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: ["read", "review", "export", "import", "plan", "generate"],
  reviewer: ["read", "review", "export"],
  viewer: ["read"],
};

/** One line per role, for the members page and the invitation form. */
export const ROLE_DESCRIPTIONS: Record<WorkspaceRole, string> = {
  owner: "Everything, including members and deleting the workspace",
  admin: "Settings, templates, taxonomy, generating and exporting",
  reviewer: "Reviewing (approve, reject, notes) and exporting",
  viewer: "Reading only",
};

/** Plain-English name of what a permission allows, used in "You cannot … as a viewer". */
export const PERMISSION_ACTIONS: Record<Permission, string> = {
  read: "open this workspace",
  review: "review conversations",
  export: "export",
  import: "change this workspace's knowledge, templates or settings",
  plan: "plan the dataset",
  generate: "generate conversations (it spends money)",
  manage_members: "manage members",
};

/** Whether `role` holds `permission`. */
export function roleAllows(role: WorkspaceRole | null | undefined, permission: Permission): boolean {
  return role != null && ROLE_PERMISSIONS[role].includes(permission);
}

/**
 * The reason shown beside a button a role cannot use, and in the guard's 403 message.
 * @example forbiddenReason("viewer", "generate") → "A viewer cannot generate conversations (it spends money). Ask a workspace owner for the admin role."
 */
export function forbiddenReason(role: WorkspaceRole | null | undefined, permission: Permission): string {
  const needed = WORKSPACE_ROLES.slice()
    .reverse()
    .find((r) => ROLE_PERMISSIONS[r].includes(permission));
  if (!role) return `You are not a member of this workspace, so you cannot ${PERMISSION_ACTIONS[permission]}. Ask a workspace owner to invite you.`;
  return `A${role === "admin" || role === "owner" ? "n" : ""} ${role} cannot ${PERMISSION_ACTIONS[permission]}. Ask a workspace owner for the ${needed} role.`;
}

/** Whether `value` names a workspace role. */
export function isWorkspaceRole(value: unknown): value is WorkspaceRole {
  return typeof value === "string" && (WORKSPACE_ROLES as readonly string[]).includes(value);
}
