import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/accounts/auth-card";
import { ResetPasswordForm } from "@/components/accounts/password-reset-forms";
import { MIN_PASSWORD_LENGTH } from "@/server/accounts/better-auth";

export const metadata: Metadata = { title: "Choose a new password · Bright Run" };
export const dynamic = "force-dynamic";

/** `/reset-password?token=…`: the page a reset link opens (e-mailed, or made by an owner). */
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const token = typeof query.token === "string" ? query.token : null;
  const failed = query.error === "INVALID_TOKEN";
  return (
    <AuthCard title="Choose a new password">
      {token && !failed ? (
        <ResetPasswordForm token={token} minPasswordLength={MIN_PASSWORD_LENGTH} />
      ) : (
        <p role="alert" className="text-sm">
          This reset link is not valid (used, older than an hour, or cut short when copied).{" "}
          <Link href="/forgot-password" className="underline underline-offset-2">
            Ask for a new one
          </Link>
          .
        </p>
      )}
    </AuthCard>
  );
}
