import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/accounts/auth-card";
import { SignInForm } from "@/components/accounts/sign-in-form";
import { safeNext } from "@/lib/auth-paths";
import { needsSetup } from "@/server/accounts/accounts";
import { currentPrincipal } from "@/server/auth";
import { getDatabase } from "@/server/db/instance";

export const metadata: Metadata = { title: "Sign in · Bright Run" };
export const dynamic = "force-dynamic";

/** `/sign-in?next=…`: e-mail and password; a fresh install goes to the set-up first; signed in already, straight on. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const next = safeNext(typeof query.next === "string" ? query.next : null);
  if (await needsSetup((await getDatabase()).db)) redirect("/setup");
  if (await currentPrincipal()) redirect(next);
  return (
    <AuthCard title="Sign in" description="Use the e-mail and password of your Bright Run account. No account yet? Ask a workspace owner for an invitation link.">
      <SignInForm next={next} />
    </AuthCard>
  );
}
