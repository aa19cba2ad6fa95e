import "server-only";
/**
 * The one permission guard (ARCHITECTURE.md, "Every permission check goes through one guard";
 * issue 14 item 2; docs/accounts.md). Every page, server action, route handler and SSE stream
 * calls `requireUser(permission, { workspaceId })` (usually through `openWorkspace`).
 *
 * Who is asking (the principal), in this order:
 * 1. a principal set with `runAsPrincipal` (the CLI sets it once it has opened the database;
 *    tests use it to act as a given user);
 * 2. a command forwarded by the CLI to the running server (src/server/local-api/): the local
 *    owner, since only a user of this machine's data directory can reach it;
 * 3. in a web request, the better-auth session cookie;
 * 4. outside any web request, the process's principal if one was set (`setProcessPrincipal`, tests).
 * No principal → AppError "unauthenticated" (pages redirect to sign-in, routes answer 401).
 *
 * What they may do: the installation owner and the local owner may do everything; anyone else
 * holds the permissions of their role in the workspace (src/lib/roles.ts). Without a workspace
 * (installation-level requests) an account that is not the owner may only read.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import os from "node:os";
import { cache } from "react";
import { AppError } from "../core/errors";
import { forbiddenReason, PERMISSIONS, ROLE_PERMISSIONS, type Permission, type WorkspaceRole } from "../lib/roles";
import { installationOwnerId, workspaceRole } from "./accounts/accounts";
import { getAuth } from "./accounts/better-auth";
import type { DbOrTx } from "./db/client";
import { getDatabase } from "./db/instance";
import { getCliSession } from "./local-api/cli-session";

export { PERMISSIONS, type Permission };

/** Who is asking, before any workspace is known. */
export interface Principal {
  /** users.id for an account; "local:<name>" for the CLI's local owner. */
  id: string;
  displayName: string;
  email: string | null;
  /** The installation owner, or the local owner: every permission in every workspace. */
  isInstallationOwner: boolean;
  kind: "account" | "local";
}

export interface User extends Principal {
  /** Stable id written to review_logs.reviewer_id, export_logs.user_id, generation_logs.user_id. */
  id: string;
  /** Their role in the workspace asked about ("owner" for the installation owner); null without a workspace. */
  role: WorkspaceRole | null;
  permissions: readonly Permission[];
}

/**
 * The local user's name: BRIGHTRUN_USER, else the operating system's user name, else "local".
 * A command forwarded to the server by the CLI carries the CLI user's name.
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

/** The local owner: the CLI on this machine's embedded database (or before any account exists). */
export function localOwner(name = localUserName()): Principal {
  return { id: `local:${name}`, displayName: name, email: null, isInstallationOwner: true, kind: "local" };
}

const ACTING_KEY = Symbol.for("brightrun.actingPrincipal");
function actingStore(): AsyncLocalStorage<Principal> {
  const holder = globalThis as unknown as Record<symbol, AsyncLocalStorage<Principal> | undefined>;
  holder[ACTING_KEY] ??= new AsyncLocalStorage<Principal>();
  return holder[ACTING_KEY];
}

const PROCESS_KEY = Symbol.for("brightrun.processPrincipal");
const processHolder = globalThis as unknown as Record<symbol, Principal | null | undefined>;

/**
 * Sets who code outside any web request of this process acts as (null = nobody). Tests call it
 * to act as a user for a whole file; the web server never sets it, so a web request is always
 * judged by its own session cookie.
 */
export function setProcessPrincipal(principal: Principal | null): void {
  processHolder[PROCESS_KEY] = principal;
}

/** Runs `fn` as `principal` (the CLI once it knows who runs it; tests acting as a user). */
export function runAsPrincipal<T>(principal: Principal, fn: () => Promise<T>): Promise<T> {
  return actingStore().run(principal, fn);
}

/** The principal behind the current web request's session cookie, once per request. */
const sessionPrincipal = cache(async (): Promise<Principal | null> => {
  let requestHeaders: Headers;
  try {
    const { headers } = await import("next/headers");
    requestHeaders = new Headers(await headers());
  } catch {
    return null; // not in a web request
  }
  const handle = await getDatabase();
  const session = await getAuth(handle).api.getSession({ headers: requestHeaders });
  if (!session) return null;
  const ownerId = await installationOwnerId(handle.db);
  return { id: session.user.id, displayName: session.user.name, email: session.user.email, isInstallationOwner: session.user.id === ownerId, kind: "account" };
});

/** Who is asking, or null when nobody is signed in. */
export async function currentPrincipal(): Promise<Principal | null> {
  const acting = actingStore().getStore();
  if (acting) return acting;
  if (getCliSession()) return localOwner();
  return (await sessionPrincipal()) ?? processHolder[PROCESS_KEY] ?? null;
}

/**
 * Returns the current user if they hold `permission` (in `options.workspaceId` when given).
 * @throws AppError "unauthenticated" when nobody is signed in ("Sign in to continue")
 * @throws AppError "forbidden" when their role does not allow it, saying which role would
 */
export async function requireUser(permission: Permission, options: { workspaceId?: string; db?: DbOrTx } = {}): Promise<User> {
  const principal = await currentPrincipal();
  if (!principal) throw new AppError("unauthenticated", "You are signed out. Sign in to continue.");
  if (principal.isInstallationOwner) return { ...principal, role: options.workspaceId ? "owner" : null, permissions: PERMISSIONS };
  if (!options.workspaceId) {
    if (permission !== "read") {
      throw new AppError("forbidden", `Only the installation owner can ${permission === "manage_members" ? "change installation settings" : "do this outside a workspace"}.`);
    }
    return { ...principal, role: null, permissions: ["read"] };
  }
  const db = options.db ?? (await getDatabase()).db;
  const role = await workspaceRole(db, options.workspaceId, principal.id);
  const permissions = role ? ROLE_PERMISSIONS[role] : [];
  if (!permissions.includes(permission)) throw new AppError("forbidden", forbiddenReason(role, permission));
  return { ...principal, role, permissions };
}

/**
 * Returns the current user if they are the installation owner (installation settings such as
 * SMTP, the list of accounts).
 * @throws AppError "unauthenticated"; "forbidden" for anyone else
 */
export async function requireInstallationOwner(): Promise<User> {
  const principal = await currentPrincipal();
  if (!principal) throw new AppError("unauthenticated", "You are signed out. Sign in to continue.");
  if (!principal.isInstallationOwner) throw new AppError("forbidden", "Only the installation owner can change installation settings such as e-mail (SMTP).");
  return { ...principal, role: null, permissions: PERMISSIONS };
}
