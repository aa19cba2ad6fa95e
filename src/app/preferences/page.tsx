import type { Metadata } from "next";
import { InstallationHeader } from "@/components/installation-header";
import { PreferencesForm } from "@/components/preferences/preferences-form";
import { loadPreferencesForPage } from "@/server/preferences";
import { requireUser } from "@/server/auth";
import { redirectIfSignedOut } from "@/server/page-auth";

export const metadata: Metadata = { title: "Preferences · Bright Run" };
// Reads the user's stored preferences on every request.
export const dynamic = "force-dynamic";

/**
 * `/preferences`: the signed-in user's own preferences (US14.1.1), for every workspace: the
 * conversations table (rows per page, default filters, density), toasts, theme, e-mail
 * notifications and keyboard shortcuts, saved to their profile; Reset to defaults.
 */
export default async function PreferencesPage() {
  let user;
  try {
    user = await requireUser("read");
  } catch (error) {
    redirectIfSignedOut(error, "/preferences");
    throw error;
  }
  const preferences = await loadPreferencesForPage();
  return (
    <>
      <InstallationHeader viewer={user} />
      <main id="main-content" tabIndex={-1} className="mx-auto w-full max-w-3xl space-y-6 p-6 outline-none">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Preferences</h1>
          <p className="mt-1 text-sm text-muted-foreground">How Bright Run looks and behaves for you, in every workspace and on every device you sign in from.</p>
        </div>
        <PreferencesForm initial={preferences} />
      </main>
    </>
  );
}
