import "server-only";
/**
 * The one permission guard (ARCHITECTURE.md, "Every permission check goes through one guard").
 * There is a single local user for now; real accounts and roles slot in here without touching callers.
 */
import os from "node:os";
import { AppError } from "../core/errors";
import { getCliSession } from "./local-api/cli-session";

import { PERMISSIONS, type Permission } from "../lib/roles";
export { PERMISSIONS, type Permission };

export interface User {
  /** Stable id written to review_logs.reviewer_id, export_logs.user_id, generation_logs.user_id. */
  id: string;
  displayName: string;
  /** Where the app e-mails them (run finished, password reset); null = no address (the CLI's local user). */
  email: string | null;
  permissions: readonly Permission[];
}

/**
 * The local user's name: BRIGHTRUN_USER, else the operating system's user name, else "local".
 * A command forwarded to the server by the CLI (src/server/local-api/) carries the CLI user's name,
 * which wins over the server process's own.
 */
export function localUserName(): string {
  const forwarded = getCliSession()?.userName;
  if (forwarded) return forwarded;
  const fromEnv = process.env.BRIGHTRUN_USER?.trim();
  if (fromEnv) return fromEnv;
  try {
    return os.userInfo().username || "local";
  } catch {
    return "local";
  }
}

/**
 * Returns the current user if they hold `permission`.
 * @throws AppError "forbidden" when they do not.
 */
export async function requireUser(permission: Permission): Promise<User> {
  const name = localUserName();
  const user: User = { id: `local:${name}`, displayName: name, email: null, permissions: PERMISSIONS };
  if (!user.permissions.includes(permission)) {
    throw new AppError("forbidden", `You do not have permission to ${permission}. Ask the workspace owner for access.`);
  }
  return user;
}

/**
 * Returns the current user if they are the installation owner (installation settings such as
 * SMTP, and the list of accounts).
 * @throws AppError "forbidden" when they are not.
 */
export async function requireInstallationOwner(): Promise<User> {
  return requireUser("manage_members");
}
