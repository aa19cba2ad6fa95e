import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/accounts/auth-card";
import { InvitationForm } from "@/components/accounts/invitation-form";
import { isAppError } from "@/core/errors";
import { ROLE_DESCRIPTIONS } from "@/lib/roles";
import { findInvitation, type OpenInvitation } from "@/server/accounts/accounts";
import { MIN_PASSWORD_LENGTH } from "@/server/accounts/better-auth";
import { currentPrincipal } from "@/server/auth";
import { getDatabase } from "@/server/db/instance";

export const metadata: Metadata = { title: "Invitation · Bright Run" };
export const dynamic = "force-dynamic";

/** `/invite/<token>`: joins a workspace with the invitation's role, making an account if needed. */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let invitation: OpenInvitation | null = null;
  let problem: string | null = null;
  try {
    invitation = await findInvitation((await getDatabase()).db, token);
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  if (!invitation) {
    return (
      <AuthCard title="This invitation cannot be used">
        <p role="alert" className="text-sm">
          {problem}
        </p>
        <p className="mt-4 text-sm">
          <Link href="/sign-in" className="underline underline-offset-2">
            Sign in
          </Link>
        </p>
      </AuthCard>
    );
  }
  const principal = await currentPrincipal();
  return (
    <AuthCard
      title={`Join ${invitation.workspaceName}`}
      description={
        <>
          You are invited as <strong>{invitation.role}</strong>: {ROLE_DESCRIPTIONS[invitation.role].toLowerCase()}.
        </>
      }
    >
      <InvitationForm token={token} signedInAs={principal ? `${principal.displayName}${principal.email ? ` (${principal.email})` : ""}` : null} email={invitation.email} minPasswordLength={MIN_PASSWORD_LENGTH} />
    </AuthCard>
  );
}
