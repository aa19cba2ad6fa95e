import "server-only";
/**
 * Accounts, workspace members, invitations and personal access tokens (issue 14, items 1–2;
 * docs/accounts.md). The web (server actions), the CLI (`brightrun users …`) and the tests call
 * these; the guard (src/server/auth.ts) reads memberships through `workspaceRole`.
 */
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { isWorkspaceRole, type WorkspaceRole } from "../../lib/roles";
import type { DatabaseHandle, DbOrTx } from "../db/client";
import {
  claimInstallationOwner,
  countOtherOwners,
  deleteMember,
  deleteUser,
  getInstallationOwnerId,
  getInvitationByTokenHash,
  getMemberRole,
  getUserByEmail,
  getUserById,
  insertInvitation,
  insertPersonalAccessToken,
  listActiveTokens,
  listInvitationRows,
  listMemberWorkspaceIds,
  listNamesOf,
  listUserNames,
  listWorkspaceMembers,
  markInvitationAccepted,
  markInvitationRevoked,
  markTokenRevoked,
  upsertMember,
  findTokenUserMarkingUse,
} from "../db/queries/accounts";
import type { PersonalAccessTokenRow, UserRow, WorkspaceInvitationRow } from "../db/schema";
import { AppError } from "../errors";
import { getAuth, MIN_PASSWORD_LENGTH } from "./better-auth";

/** How long an invitation link stays valid, ms (7 days; our choice, shown on the link). */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The account form's fields, validated (plain-English errors). */
export const accountInputSchema = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(120, "A name can be at most 120 characters."),
  email: z.string().trim().toLowerCase().email("Enter a valid e-mail address, like owner@example.com."),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `A password needs at least ${MIN_PASSWORD_LENGTH} characters.`)
    .max(128, "A password can be at most 128 characters."),
});
export type AccountInput = z.infer<typeof accountInputSchema>;

/**
 * Parses the account form.
 * @throws AppError "account_invalid" naming the first problem
 */
export function parseAccountInput(input: unknown): AccountInput {
  const parsed = accountInputSchema.safeParse(input);
  if (!parsed.success) throw new AppError("account_invalid", parsed.error.issues[0]?.message ?? "Check the form.");
  return parsed.data;
}

/** The installation owner's user id, or null before set-up. */
export async function installationOwnerId(db: DbOrTx): Promise<string | null> {
  return getInstallationOwnerId({ db });
}

/** Whether this installation still needs its owner's account (the set-up page). */
export async function needsSetup(db: DbOrTx): Promise<boolean> {
  return (await installationOwnerId(db)) === null;
}

/**
 * Makes an account with an e-mail + password credential (better-auth's hash, scrypt).
 * @throws AppError "account_invalid" (bad form), "account_exists" (the e-mail has an account)
 */
export async function createAccount(handle: DatabaseHandle, input: unknown): Promise<UserRow> {
  const { name, email, password } = parseAccountInput(input);
  if (await getUserByEmail({ db: handle.db, email })) throw new AppError("account_exists", `${email} already has an account. Sign in instead, or reset its password.`);
  const ctx = await getAuth(handle).$context;
  const hash = await ctx.password.hash(password);
  const user = await ctx.internalAdapter.createUser({ name, email, emailVerified: false }, { method: "email-password" });
  await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: hash });
  return (await getUserById({ db: handle.db, id: user.id }))!;
}

/**
 * The set-up: makes the installation owner's account (the set-up page; `brightrun users
 * create-owner`). Only while there is no owner.
 * @throws AppError "setup_done" when an owner exists; createAccount's errors
 */
export async function createOwnerAccount(handle: DatabaseHandle, input: unknown): Promise<UserRow> {
  parseAccountInput(input);
  if (!(await needsSetup(handle.db))) throw new AppError("setup_done", "This installation already has an owner. Sign in, or ask the owner to invite you.");
  const user = await createAccount(handle, input);
  // Claim ownership only if nobody did meanwhile (two set-up forms sent at once).
  if (!(await claimInstallationOwner({ db: handle.db, userId: user.id }))) {
    await deleteUser({ db: handle.db, id: user.id });
    throw new AppError("setup_done", "This installation already has an owner. Sign in, or ask the owner to invite you.");
  }
  return user;
}

/** A user's role in a workspace, or null when they are not a member. */
export async function workspaceRole(db: DbOrTx, workspaceId: string, userId: string): Promise<WorkspaceRole | null> {
  return getMemberRole({ db, workspaceId, userId });
}

/** The ids of the workspaces `userId` is a member of. */
export async function memberWorkspaceIds(db: DbOrTx, userId: string): Promise<Set<string>> {
  return new Set(await listMemberWorkspaceIds({ db, userId }));
}

export interface MemberView {
  userId: string;
  name: string;
  email: string;
  role: WorkspaceRole;
  /** True for the installation owner (an owner of every workspace, not removable here). */
  installationOwner: boolean;
  joinedAt: string;
}

/** The members of a workspace, the installation owner first, then by name. */
export async function listMembers(db: DbOrTx, workspaceId: string): Promise<MemberView[]> {
  const ownerId = await installationOwnerId(db);
  const rows = await listWorkspaceMembers({ db, workspaceId });
  const members: MemberView[] = rows.map((r) => ({ ...r, installationOwner: r.userId === ownerId, joinedAt: r.joinedAt.toISOString() }));
  if (ownerId && !members.some((m) => m.userId === ownerId)) {
    const owner = await getUserById({ db, id: ownerId });
    if (owner) members.unshift({ userId: owner.id, name: owner.name, email: owner.email, role: "owner", installationOwner: true, joinedAt: owner.createdAt.toISOString() });
  }
  return members.sort((a, b) => Number(b.installationOwner) - Number(a.installationOwner));
}

/**
 * Adds `userId` to a workspace with `role`, or changes their role.
 * @throws AppError "role_invalid"
 */
export async function setMemberRole(db: DbOrTx, input: { workspaceId: string; userId: string; role: string; addedBy: string | null }): Promise<void> {
  if (!isWorkspaceRole(input.role)) throw new AppError("role_invalid", `"${input.role}" is not a role. Choose owner, admin, reviewer or viewer.`);
  if (input.userId === (await installationOwnerId(db))) {
    throw new AppError("member_protected", "The installation owner is an owner of every workspace; their role cannot be changed.");
  }
  if (input.role !== "owner") await assertAnotherOwner(db, input.workspaceId, input.userId);
  await upsertMember({ db, workspaceId: input.workspaceId, userId: input.userId, role: input.role, addedBy: input.addedBy });
}

/**
 * Removes a member from a workspace (their account stays; their past reviews keep their name).
 * @throws AppError "member_protected" for the installation owner; "last_owner" when it would leave no owner
 */
export async function removeMember(db: DbOrTx, workspaceId: string, userId: string): Promise<void> {
  if (userId === (await installationOwnerId(db))) {
    throw new AppError("member_protected", "The installation owner is an owner of every workspace and cannot be removed.");
  }
  await assertAnotherOwner(db, workspaceId, userId);
  await deleteMember({ db, workspaceId, userId });
}

/** A workspace keeps an owner: the installation owner always is one, so this only guards installations without one. */
async function assertAnotherOwner(db: DbOrTx, workspaceId: string, leavingUserId: string): Promise<void> {
  if (await installationOwnerId(db)) return;
  if ((await countOtherOwners({ db, workspaceId, exceptUserId: leavingUserId })) === 0) throw new AppError("last_owner", "A workspace needs at least one owner. Make someone else owner first.");
}

export interface InvitationView {
  id: string;
  email: string | null;
  role: WorkspaceRole;
  createdAt: string;
  expiresAt: string;
  status: "pending" | "accepted" | "revoked" | "expired";
}

/**
 * Creates an invitation link to `workspaceId` with `role`. The token is returned once (only its
 * SHA-256 is stored).
 * @returns `{ token, invitation }`; the link is `/invite/<token>`
 * @throws AppError "role_invalid", "invitation_invalid" (bad e-mail)
 */
export async function createInvitation(
  db: DbOrTx,
  input: { workspaceId: string; role: string; email?: string | null; createdBy: string },
  now = new Date(),
): Promise<{ token: string; invitation: InvitationView }> {
  if (!isWorkspaceRole(input.role)) throw new AppError("role_invalid", `"${input.role}" is not a role. Choose owner, admin, reviewer or viewer.`);
  const email = input.email?.trim().toLowerCase() || null;
  if (email && !z.string().email().safeParse(email).success) throw new AppError("invitation_invalid", `"${email}" is not an e-mail address. Leave it empty to make a link to share.`);
  const token = `inv_${randomBytes(24).toString("base64url")}`;
  const row = await insertInvitation({
    db,
    values: { workspaceId: input.workspaceId, role: input.role, email, tokenHash: sha256(token), createdBy: input.createdBy, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) },
  });
  return { token, invitation: invitationView(row, now) };
}

function invitationView(row: WorkspaceInvitationRow, now = new Date()): InvitationView {
  const status = row.acceptedAt ? "accepted" : row.revokedAt ? "revoked" : row.expiresAt <= now ? "expired" : "pending";
  return { id: row.id, email: row.email, role: row.role, createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString(), status };
}

/** A workspace's invitations, newest first. */
export async function listInvitations(db: DbOrTx, workspaceId: string): Promise<InvitationView[]> {
  return (await listInvitationRows({ db, workspaceId })).map((r) => invitationView(r));
}

/** Revokes a pending invitation of `workspaceId`. @throws AppError "invitation_not_found" */
export async function revokeInvitation(db: DbOrTx, workspaceId: string, invitationId: string): Promise<void> {
  if (!(await markInvitationRevoked({ db, workspaceId, id: invitationId }))) throw new AppError("invitation_not_found", "That invitation does not exist or was already used.");
}

export interface OpenInvitation {
  id: string;
  workspaceId: string;
  workspaceName: string;
  workspaceSlug: string;
  role: WorkspaceRole;
  email: string | null;
}

/**
 * The pending invitation behind a link's token.
 * @throws AppError "invitation_not_found" (unknown, used, revoked or expired, each said plainly)
 */
export async function findInvitation(db: DbOrTx, token: string, now = new Date()): Promise<OpenInvitation> {
  const row = await getInvitationByTokenHash({ db, tokenHash: sha256(token) });
  if (!row) throw new AppError("invitation_not_found", "This invitation link is not valid. Ask the workspace owner for a new one.");
  const inv = row.invitation;
  if (inv.acceptedAt) throw new AppError("invitation_not_found", "This invitation was already used. Sign in, or ask the workspace owner for a new link.");
  if (inv.revokedAt) throw new AppError("invitation_not_found", "This invitation was withdrawn. Ask the workspace owner for a new link.");
  if (inv.expiresAt <= now) throw new AppError("invitation_not_found", "This invitation has expired. Ask the workspace owner for a new link.");
  return { id: inv.id, workspaceId: inv.workspaceId, workspaceName: row.workspaceName, workspaceSlug: row.workspaceSlug, role: inv.role, email: inv.email };
}

/**
 * Accepts an invitation: the user joins the workspace with its role (a higher role they hold
 * already is kept), and the invitation is used up.
 * @throws findInvitation's errors
 */
export async function acceptInvitation(db: DbOrTx, token: string, userId: string): Promise<OpenInvitation> {
  const invitation = await findInvitation(db, token);
  if (!(await markInvitationAccepted({ db, id: invitation.id, userId }))) throw new AppError("invitation_not_found", "This invitation was already used. Sign in, or ask the workspace owner for a new link.");
  const current = await workspaceRole(db, invitation.workspaceId, userId);
  const order = ["viewer", "reviewer", "admin", "owner"];
  if (!current || order.indexOf(invitation.role) > order.indexOf(current)) {
    await upsertMember({ db, workspaceId: invitation.workspaceId, userId, role: invitation.role, addedBy: null });
  }
  return invitation;
}

export interface TokenView {
  id: string;
  name: string;
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/**
 * Creates a personal access token for the CLI (`BRIGHTRUN_TOKEN`). Returned once; only its SHA-256 is kept.
 * @throws AppError "token_invalid" for an empty or long name
 */
export async function createPersonalAccessToken(db: DbOrTx, userId: string, name: string): Promise<{ token: string; view: TokenView }> {
  const label = name.trim();
  if (!label || label.length > 80) throw new AppError("token_invalid", "Give the token a name of 1–80 characters, like “laptop CLI”.");
  const token = `brt_${randomBytes(32).toString("base64url")}`;
  const row = await insertPersonalAccessToken({ db, values: { userId, name: label, tokenHash: sha256(token), tokenHint: token.slice(-4) } });
  return { token, view: tokenView(row) };
}

function tokenView(row: PersonalAccessTokenRow): TokenView {
  return { id: row.id, name: row.name, hint: `brt_…${row.tokenHint}`, createdAt: row.createdAt.toISOString(), lastUsedAt: row.lastUsedAt?.toISOString() ?? null };
}

/** A user's tokens that are not revoked, newest first. */
export async function listPersonalAccessTokens(db: DbOrTx, userId: string): Promise<TokenView[]> {
  return (await listActiveTokens({ db, userId })).map(tokenView);
}

/** Revokes one of `userId`'s tokens. @throws AppError "token_not_found" */
export async function revokePersonalAccessToken(db: DbOrTx, userId: string, tokenId: string): Promise<void> {
  if (!(await markTokenRevoked({ db, userId, id: tokenId }))) throw new AppError("token_not_found", "That token does not exist or was already revoked.");
}

/**
 * The account behind a personal access token, marking it used.
 * @throws AppError "token_invalid" for an unknown or revoked token (what to do said)
 */
export async function userForToken(db: DbOrTx, token: string): Promise<UserRow> {
  const user = await findTokenUserMarkingUse({ db, tokenHash: sha256(token.trim()) });
  if (!user) throw new AppError("token_invalid", "BRIGHTRUN_TOKEN is not a valid token (unknown or revoked). Create a new one on your Account page in the web app.");
  return user;
}

/** Display names of user ids (for logs that store ids); ids without an account map to themselves. */
export async function userNames(db: DbOrTx, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)].filter(Boolean);
  const names = new Map(unique.map((id) => [id, id.startsWith("local:") ? id.slice(6) : id]));
  if (unique.length === 0) return names;
  for (const r of await listNamesOf({ db, ids: unique })) names.set(r.id, r.name);
  return names;
}

/** Every account's id → name (the installation's accounts are few: a team), for showing who did what. */
export async function allUserNames(db: DbOrTx): Promise<Record<string, string>> {
  return Object.fromEntries((await listUserNames({ db })).map((r) => [r.id, r.name]));
}
