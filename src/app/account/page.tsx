import type { Metadata } from "next";
import Link from "next/link";
import { AppHeader } from "@/components/app-header";
import { ChangePasswordForm, SignOutButtons, TokensPanel } from "@/components/accounts/account-panels";
import { listPersonalAccessTokens } from "@/server/accounts/accounts";
import { MIN_PASSWORD_LENGTH } from "@/server/accounts/better-auth";
import { requireUser } from "@/server/auth";
import { getDatabase } from "@/server/db/instance";
import { redirectIfSignedOut } from "@/server/page-auth";
import { listWorkspaceChoices } from "@/server/workspaces";

export const metadata: Metadata = { title: "Account · Bright Run" };
export const dynamic = "force-dynamic";

/** `/account`: who you are, your password, signing out (here or everywhere), and tokens for the CLI. */
export default async function AccountPage() {
  let user;
  try {
    user = await requireUser("read");
  } catch (error) {
    redirectIfSignedOut(error, "/account");
    throw error;
  }
  const { db } = await getDatabase();
  const [tokens, workspaces] = await Promise.all([listPersonalAccessTokens(db, user.id), listWorkspaceChoices(db, user)]);
  return (
    <>
      <AppHeader workspaces={workspaces} />
      <main id="main-content" tabIndex={-1} className="mx-auto max-w-3xl space-y-8 p-6 outline-none">
        <header className="space-y-1">
          <h1 className="text-2xl font-bold">Account</h1>
          <p className="text-muted-foreground">
            {user.displayName}
            {user.email && <> · {user.email}</>}
            {user.isInstallationOwner && " · installation owner (an owner of every workspace)"}
          </p>
        </header>
        <section aria-labelledby="password" className="space-y-3">
          <h2 id="password" className="text-lg font-semibold">
            Password
          </h2>
          <ChangePasswordForm minPasswordLength={MIN_PASSWORD_LENGTH} />
        </section>
        <section aria-labelledby="sessions" className="space-y-3">
          <h2 id="sessions" className="text-lg font-semibold">
            Sessions
          </h2>
          <p className="text-sm text-muted-foreground">Signing out everywhere ends every session of your account, on every browser, this one included.</p>
          <SignOutButtons />
        </section>
        <section aria-labelledby="tokens" className="space-y-3">
          <h2 id="tokens" className="text-lg font-semibold">
            Personal access tokens
          </h2>
          <p className="text-sm text-muted-foreground">
            The command line uses a token when it works on a shared PostgreSQL database: set <code>BRIGHTRUN_TOKEN</code> and it acts as you, with your roles. See{" "}
            <Link href="/guide" className="underline underline-offset-2">
              the guide
            </Link>
            .
          </p>
          <TokensPanel tokens={tokens} />
        </section>
        <p className="text-sm">
          <Link href="/preferences" className="underline underline-offset-2">
            Preferences
          </Link>{" "}
          (rows per page, density, notifications, keyboard shortcuts).
        </p>
      </main>
    </>
  );
}
