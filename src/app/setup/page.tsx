import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/accounts/auth-card";
import { SetupForm } from "@/components/accounts/setup-form";
import { needsSetup } from "@/server/accounts/accounts";
import { MIN_PASSWORD_LENGTH } from "@/server/accounts/better-auth";
import { getDatabase } from "@/server/db/instance";

export const metadata: Metadata = { title: "Set up · Bright Run" };
export const dynamic = "force-dynamic";

/** `/setup`: the first start of a fresh install asks for the owner's account (issue 14, item 1). Once done, it sends people to sign in. */
export default async function SetupPage() {
  if (!(await needsSetup((await getDatabase()).db))) redirect("/sign-in");
  return (
    <AuthCard
      title="Welcome to Bright Run"
      description="Create the owner's account. The owner can do everything: invite teammates, choose who may generate (it spends money), review and export. You can invite a reviewer or an admin right after."
    >
      <SetupForm minPasswordLength={MIN_PASSWORD_LENGTH} />
    </AuthCard>
  );
}
