import "server-only";
/**
 * Accounts' SQL (issue 14; docs/accounts.md): users, the installation owner, workspace members,
 * invitations, personal access tokens, and the per-account sign-in failure counts. The rules
 * (who may, what a token looks like) are in src/server/accounts/.
 */
import { and, asc, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { WorkspaceRole } from "../../../lib/roles";
import type { DbOrTx } from "../client";
import {
  authRateLimits,
  installation,
  personalAccessTokens,
  users,
  workspaceInvitations,
  workspaceMembers,
  workspaces,
  type PersonalAccessTokenRow,
  type UserRow,
  type WorkspaceInvitationRow,
} from "../schema";

// ---- users and the installation owner ----

/** The user with `email` (lower-case), or null. */
export async function getUserByEmail({ db, email }: { db: DbOrTx; email: string }): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.email, email));
  return row ?? null;
}

/** The user with `id`, or null. */
export async function getUserById({ db, id }: { db: DbOrTx; id: string }): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

/** Deletes a user (and, by cascade, their sessions, credentials, memberships and tokens). */
export async function deleteUser({ db, id }: { db: DbOrTx; id: string }): Promise<void> {
  await db.delete(users).where(eq(users.id, id));
}

/** Every account's id and name. */
export async function listUserNames({ db }: { db: DbOrTx }): Promise<{ id: string; name: string }[]> {
  return db.select({ id: users.id, name: users.name }).from(users);
}

/** The installation owner's user id, or null before the set-up. */
export async function getInstallationOwnerId({ db }: { db: DbOrTx }): Promise<string | null> {
  const [row] = await db.select({ ownerUserId: installation.ownerUserId }).from(installation).where(eq(installation.id, 1));
  return row?.ownerUserId ?? null;
}

/**
 * Makes `userId` the installation owner if there is none yet (one statement, so two set-ups at
 * once cannot both win).
 * @returns true when this call claimed it
 */
export async function claimInstallationOwner({ db, userId }: { db: DbOrTx; userId: string }): Promise<boolean> {
  await db.insert(installation).values({ id: 1 }).onConflictDoNothing();
  const claimed = await db
    .update(installation)
    .set({ ownerUserId: userId })
    .where(and(eq(installation.id, 1), isNull(installation.ownerUserId)))
    .returning({ id: installation.id });
  return claimed.length > 0;
}

// ---- members ----

/** `userId`'s role in a workspace, or null when they are not a member. */
export async function getMemberRole({ db, workspaceId, userId }: { db: DbOrTx; workspaceId: string; userId: string }): Promise<WorkspaceRole | null> {
  const [row] = await db
    .select({ role: workspaceMembers.role })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)));
  return row?.role ?? null;
}

/** The ids of the workspaces `userId` is a member of. */
export async function listMemberWorkspaceIds({ db, userId }: { db: DbOrTx; userId: string }): Promise<string[]> {
  const rows = await db.select({ id: workspaceMembers.workspaceId }).from(workspaceMembers).where(eq(workspaceMembers.userId, userId));
  return rows.map((r) => r.id);
}

/** A workspace's members with their accounts, by name. */
export async function listWorkspaceMembers({ db, workspaceId }: { db: DbOrTx; workspaceId: string }) {
  return db
    .select({ userId: users.id, name: users.name, email: users.email, role: workspaceMembers.role, joinedAt: workspaceMembers.createdAt })
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .where(eq(workspaceMembers.workspaceId, workspaceId))
    .orderBy(asc(users.name));
}

/** Adds a member with `role`, or changes the role of one already there. */
export async function upsertMember({ db, workspaceId, userId, role, addedBy }: { db: DbOrTx; workspaceId: string; userId: string; role: WorkspaceRole; addedBy: string | null }): Promise<void> {
  await db
    .insert(workspaceMembers)
    .values({ workspaceId, userId, role, addedBy })
    .onConflictDoUpdate({ target: [workspaceMembers.workspaceId, workspaceMembers.userId], set: { role, updatedAt: new Date() } });
}

/** Removes a member from a workspace. */
export async function deleteMember({ db, workspaceId, userId }: { db: DbOrTx; workspaceId: string; userId: string }): Promise<void> {
  await db.delete(workspaceMembers).where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)));
}

/** How many owners a workspace has besides `exceptUserId`. */
export async function countOtherOwners({ db, workspaceId, exceptUserId }: { db: DbOrTx; workspaceId: string; exceptUserId: string }): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.role, "owner"), ne(workspaceMembers.userId, exceptUserId)));
  return row?.n ?? 0;
}

// ---- invitations ----

/** Stores an invitation (its token's hash only). */
export async function insertInvitation({ db, values }: { db: DbOrTx; values: typeof workspaceInvitations.$inferInsert }): Promise<WorkspaceInvitationRow> {
  const [row] = await db.insert(workspaceInvitations).values(values).returning();
  return row!;
}

/** A workspace's invitations, newest first (at most 100). */
export async function listInvitationRows({ db, workspaceId }: { db: DbOrTx; workspaceId: string }): Promise<WorkspaceInvitationRow[]> {
  return db.select().from(workspaceInvitations).where(eq(workspaceInvitations.workspaceId, workspaceId)).orderBy(desc(workspaceInvitations.createdAt)).limit(100);
}

/** Marks a pending invitation of `workspaceId` revoked. @returns false when there was none */
export async function markInvitationRevoked({ db, workspaceId, id }: { db: DbOrTx; workspaceId: string; id: string }): Promise<boolean> {
  const done = await db
    .update(workspaceInvitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(workspaceInvitations.id, id), eq(workspaceInvitations.workspaceId, workspaceId), isNull(workspaceInvitations.acceptedAt)))
    .returning({ id: workspaceInvitations.id });
  return done.length > 0;
}

/** The invitation with `tokenHash` and its workspace's name and slug, or null. */
export async function getInvitationByTokenHash({ db, tokenHash }: { db: DbOrTx; tokenHash: string }) {
  const [row] = await db
    .select({ invitation: workspaceInvitations, workspaceName: workspaces.name, workspaceSlug: workspaces.slug })
    .from(workspaceInvitations)
    .innerJoin(workspaces, eq(workspaces.id, workspaceInvitations.workspaceId))
    .where(eq(workspaceInvitations.tokenHash, tokenHash));
  return row ?? null;
}

/** Marks an invitation accepted by `userId` unless it was already. @returns false when it was */
export async function markInvitationAccepted({ db, id, userId }: { db: DbOrTx; id: string; userId: string }): Promise<boolean> {
  const used = await db
    .update(workspaceInvitations)
    .set({ acceptedAt: new Date(), acceptedBy: userId })
    .where(and(eq(workspaceInvitations.id, id), isNull(workspaceInvitations.acceptedAt)))
    .returning({ id: workspaceInvitations.id });
  return used.length > 0;
}

// ---- personal access tokens ----

/** Stores a token (its hash only). */
export async function insertPersonalAccessToken({ db, values }: { db: DbOrTx; values: typeof personalAccessTokens.$inferInsert }): Promise<PersonalAccessTokenRow> {
  const [row] = await db.insert(personalAccessTokens).values(values).returning();
  return row!;
}

/** A user's tokens that are not revoked, newest first. */
export async function listActiveTokens({ db, userId }: { db: DbOrTx; userId: string }): Promise<PersonalAccessTokenRow[]> {
  return db
    .select()
    .from(personalAccessTokens)
    .where(and(eq(personalAccessTokens.userId, userId), isNull(personalAccessTokens.revokedAt)))
    .orderBy(desc(personalAccessTokens.createdAt));
}

/** Revokes one of `userId`'s tokens. @returns false when there was no such active token */
export async function markTokenRevoked({ db, userId, id }: { db: DbOrTx; userId: string; id: string }): Promise<boolean> {
  const done = await db
    .update(personalAccessTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(personalAccessTokens.id, id), eq(personalAccessTokens.userId, userId), isNull(personalAccessTokens.revokedAt)))
    .returning({ id: personalAccessTokens.id });
  return done.length > 0;
}

/** The active token with `tokenHash` and its user, marking it used; null when unknown or revoked. */
export async function findTokenUserMarkingUse({ db, tokenHash }: { db: DbOrTx; tokenHash: string }): Promise<UserRow | null> {
  const [row] = await db
    .select({ user: users, tokenId: personalAccessTokens.id })
    .from(personalAccessTokens)
    .innerJoin(users, eq(users.id, personalAccessTokens.userId))
    .where(and(eq(personalAccessTokens.tokenHash, tokenHash), isNull(personalAccessTokens.revokedAt)));
  if (!row) return null;
  await db.update(personalAccessTokens).set({ lastUsedAt: new Date() }).where(eq(personalAccessTokens.id, row.tokenId));
  return row.user;
}

/** Names of the accounts among `ids`. */
export async function listNamesOf({ db, ids }: { db: DbOrTx; ids: string[] }): Promise<{ id: string; name: string }[]> {
  if (ids.length === 0) return [];
  return db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids));
}

// ---- sign-in failures (better-auth's rate-limit table, key "lockout:<email>") ----

/** The failure count row under `key`, or null. */
export async function getCounter({ db, key }: { db: DbOrTx; key: string }): Promise<{ count: number; lastRequest: number } | null> {
  const [row] = await db.select({ count: authRateLimits.count, lastRequest: authRateLimits.lastRequest }).from(authRateLimits).where(eq(authRateLimits.key, key));
  return row ?? null;
}

/** Sets the counter under `key` (made if missing). */
export async function setCounter({ db, key, count, lastRequest }: { db: DbOrTx; key: string; count: number; lastRequest: number }): Promise<void> {
  await db
    .insert(authRateLimits)
    .values({ id: crypto.randomUUID(), key, count, lastRequest })
    .onConflictDoUpdate({ target: authRateLimits.key, set: { count, lastRequest } });
}

/** Deletes the counter under `key`. */
export async function deleteCounter({ db, key }: { db: DbOrTx; key: string }): Promise<void> {
  await db.delete(authRateLimits).where(eq(authRateLimits.key, key));
}
