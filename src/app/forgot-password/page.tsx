import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/accounts/auth-card";
import { ForgotPasswordForm } from "@/components/accounts/password-reset-forms";
import { getDatabase } from "@/server/db/instance";
import { isEmailConfigured } from "@/server/jobs/email-job";

export const metadata: Metadata = { title: "Forgot your password · Bright Run" };
export const dynamic = "force-dynamic";

/** `/forgot-password`: a reset link by e-mail when SMTP is set up; otherwise how to get one from an owner. */
export default async function ForgotPasswordPage() {
  const smtp = await isEmailConfigured((await getDatabase()).db);
  return (
    <AuthCard title="Forgot your password?">
      {smtp ? (
        <ForgotPasswordForm />
      ) : (
        <p className="text-sm">
          This installation does not send e-mail (no mail server is set up), so ask a workspace owner for a reset link: they make one on the workspace&apos;s Members page. It works for one hour.
        </p>
      )}
      <p className="mt-4 text-center text-sm">
        <Link href="/sign-in" className="underline underline-offset-2">
          Back to sign in
        </Link>
      </p>
    </AuthCard>
  );
}
