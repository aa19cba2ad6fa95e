"use server";
/**
 * Server actions for accounts (issue 14, items 1–2; docs/accounts.md): the set-up of the owner,
 * accepting an invitation, members and invitations of a workspace, personal access tokens, sign
 * out everywhere, and an owner's password-reset link for a member.
 */
import { randomBytes } from "node:crypto";
import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionResult } from "@/lib/dashboard-contract";
import {
  acceptInvitation,
  createAccount,
  createInvitation,
  createOwnerAccount,
  createPersonalAccessToken,
  findInvitation,
  removeMember,
  revokeInvitation,
  revokePersonalAccessToken,
  setMemberRole,
  workspaceRole,
  type InvitationView,
  type TokenView,
} from "@/server/accounts/accounts";
import { getAuth } from "@/server/accounts/better-auth";
import { requireUser } from "@/server/auth";
import { getDatabase } from "@/server/db/instance";
import { AppError } from "@/server/errors";
import { openWorkspace } from "@/server/workspace-context";
import { publicBaseUrl } from "@/server/email/public-url";
import { isEmailConfigured, queueEmail } from "@/server/jobs/email-job";
import { runAction } from "./action-result";

const slugInput = z.string().trim().min(1).max(100);
const credentials = z.object({ name: z.string(), email: z.string(), password: z.string() });

/** Signs the new account in (better-auth sets the session cookie through its nextCookies plugin). */
async function signIn(email: string, password: string): Promise<void> {
  const handle = await getDatabase();
  await getAuth(handle).api.signInEmail({ body: { email, password }, headers: await headers() });
}

/**
 * The set-up page: makes the installation owner's account and signs them in. Fails with
 * "setup_done" once an owner exists, "account_invalid" for a bad form.
 */
export async function setupOwnerAction(input: { name: string; email: string; password: string }): Promise<ActionResult<{ next: string }>> {
  return runAction("setupOwnerAction", async () => {
    const handle = await getDatabase();
    const form = credentials.parse(input);
    const user = await createOwnerAccount(handle, form);
    await signIn(user.email, form.password);
    revalidatePath("/", "layout");
    return { next: "/" };
  });
}

/**
 * Accepts an invitation link. Signed in: joins with the current account. Signed out: makes an
 * account from the form (`account` required), signs in, and joins. Returns the workspace to open.
 */
export async function acceptInvitationAction(token: string, account?: { name: string; email: string; password: string }): Promise<ActionResult<{ next: string }>> {
  return runAction("acceptInvitationAction", async () => {
    const handle = await getDatabase();
    const invitation = await findInvitation(handle.db, z.string().min(1).parse(token));
    let userId: string;
    try {
      userId = (await requireUser("read")).id;
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "unauthenticated") throw error;
      if (!account) throw new AppError("account_invalid", "Make your account below, or sign in first if you already have one.");
      const form = credentials.parse(account);
      const user = await createAccount(handle, form);
      await signIn(user.email, form.password);
      userId = user.id;
    }
    if (userId.startsWith("local:")) throw new AppError("account_invalid", "The local CLI user cannot accept invitations; sign in with an account.");
    await acceptInvitation(handle.db, token, userId);
    revalidatePath("/", "layout");
    return { next: `/w/${invitation.workspaceSlug}` };
  });
}

/** Owners: an invitation link with `role` (and an optional e-mail noted on it). The token is returned once. */
export async function createInvitationAction(
  workspace: string,
  input: { role: string; email?: string },
): Promise<ActionResult<{ token: string; invitation: InvitationView; emailed: boolean }>> {
  return runAction("createInvitationAction", async () => {
    const { db, workspace: ws, user } = await openWorkspace(slugInput.parse(workspace), "manage_members", { changesData: false });
    const result = await createInvitation(db, { workspaceId: ws.id, role: z.string().parse(input.role), email: input.email ?? null, createdBy: user.id });
    // With an address and a mail server, the link is e-mailed too (it is still shown once to the owner).
    let emailed = false;
    const base = publicBaseUrl() ?? (await headers()).get("origin");
    if (result.invitation.email && base && (await isEmailConfigured(db))) {
      await queueEmail(db, {
        kind: "invitation",
        to: result.invitation.email,
        workspaceId: ws.id,
        subject: `${user.displayName} invited you to ${ws.name} on Bright Run`,
        text: `Hello,\n\n${user.displayName} invited you to the workspace "${ws.name}" on Bright Run as ${result.invitation.role}.\n\nOpen this link to make your account and join (it works once, for 7 days):\n\n${base}/invite/${result.token}\n`,
      });
      emailed = true;
    }
    revalidatePath(`/w/${ws.slug}/members`);
    return { ...result, emailed };
  });
}

/** Owners: withdraws a pending invitation. */
export async function revokeInvitationAction(workspace: string, invitationId: string): Promise<ActionResult<{ revoked: true }>> {
  return runAction("revokeInvitationAction", async () => {
    const { db, workspace: ws } = await openWorkspace(slugInput.parse(workspace), "manage_members", { changesData: false });
    await revokeInvitation(db, ws.id, z.string().uuid().parse(invitationId));
    revalidatePath(`/w/${ws.slug}/members`);
    return { revoked: true as const };
  });
}

/** Owners: changes a member's role. */
export async function setMemberRoleAction(workspace: string, userId: string, role: string): Promise<ActionResult<{ role: string }>> {
  return runAction("setMemberRoleAction", async () => {
    const { db, workspace: ws, user } = await openWorkspace(slugInput.parse(workspace), "manage_members", { changesData: false });
    if (!(await workspaceRole(db, ws.id, z.string().parse(userId)))) throw new AppError("member_not_found", "That person is not a member of this workspace.");
    await setMemberRole(db, { workspaceId: ws.id, userId, role: z.string().parse(role), addedBy: user.id });
    revalidatePath(`/w/${ws.slug}/members`);
    return { role };
  });
}

/** Owners: removes a member from the workspace (their account stays). */
export async function removeMemberAction(workspace: string, userId: string): Promise<ActionResult<{ removed: true }>> {
  return runAction("removeMemberAction", async () => {
    const { db, workspace: ws } = await openWorkspace(slugInput.parse(workspace), "manage_members", { changesData: false });
    await removeMember(db, ws.id, z.string().parse(userId));
    revalidatePath(`/w/${ws.slug}/members`);
    return { removed: true as const };
  });
}

/**
 * Owners: a password-reset link for a member (for when e-mail is not set up): valid one hour,
 * shown once to the owner to pass on.
 */
export async function memberResetLinkAction(workspace: string, userId: string): Promise<ActionResult<{ path: string; expiresAt: string }>> {
  return runAction("memberResetLinkAction", async () => {
    const { db, workspace: ws } = await openWorkspace(slugInput.parse(workspace), "manage_members", { changesData: false });
    const handle = await getDatabase();
    if (!(await workspaceRole(db, ws.id, z.string().parse(userId)))) throw new AppError("member_not_found", "That person is not a member of this workspace.");
    const ctx = await getAuth(handle).$context;
    const token = randomBytes(24).toString("base64url");
    const expiresAt = new Date(Date.now() + 60 * 60 * 1000);
    await ctx.internalAdapter.createVerificationValue({ value: userId, identifier: `reset-password:${token}`, expiresAt });
    return { path: `/reset-password?token=${encodeURIComponent(token)}`, expiresAt: expiresAt.toISOString() };
  });
}

/** A personal access token for the CLI, shown once. */
export async function createTokenAction(name: string): Promise<ActionResult<{ token: string; view: TokenView }>> {
  return runAction("createTokenAction", async () => {
    const user = await requireUser("read");
    if (user.kind !== "account") throw new AppError("token_invalid", "Sign in with an account to create tokens.");
    const result = await createPersonalAccessToken((await getDatabase()).db, user.id, z.string().parse(name));
    revalidatePath("/account");
    return result;
  });
}

/** Revokes one of your tokens. */
export async function revokeTokenAction(tokenId: string): Promise<ActionResult<{ revoked: true }>> {
  return runAction("revokeTokenAction", async () => {
    const user = await requireUser("read");
    await revokePersonalAccessToken((await getDatabase()).db, user.id, z.string().uuid().parse(tokenId));
    revalidatePath("/account");
    return { revoked: true as const };
  });
}

/** Signs this account out on every device (every session ends, this one too). */
export async function signOutEverywhereAction(): Promise<ActionResult<{ next: string }>> {
  return runAction("signOutEverywhereAction", async () => {
    const user = await requireUser("read");
    const handle = await getDatabase();
    const ctx = await getAuth(handle).$context;
    await ctx.internalAdapter.deleteUserSessions(user.id);
    return { next: "/sign-in" };
  });
}
