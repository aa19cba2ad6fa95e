import { isAppError } from "@/core/errors";
import { ModelSettingsForm } from "@/components/settings/model-settings-form";
import { requireUser } from "@/server/auth";
import { getDatabase } from "@/server/db/instance";
import { loadModelSettingsView, type ModelSettingsView } from "@/server/settings/model-settings";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "Settings · Bright Run" };

/** /settings — the model to generate with: provider, base URL, API key, model (with Load models), concurrency, rate limits (for all models and per model), retries, prices, and Test connection (issue 9, item 4). */
export default async function SettingsPage() {
  let view: ModelSettingsView | null = null;
  let problem: string | null = null;
  try {
    await requireUser("generate");
    const { db } = await getDatabase();
    view = await loadModelSettingsView(db);
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-3xl space-y-6 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Settings</h1>
        <p className="text-muted-foreground">The model your conversations are generated with. Environment variables, when set, win over what is saved here.</p>
      </header>
      {problem ? (
        <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
          {problem}
        </div>
      ) : (
        view && <ModelSettingsForm initial={view} />
      )}
    </div>
  );
}
