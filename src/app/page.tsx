import { CONVERSATION_STATUSES, STATUS_LABELS, TIER_LABELS, TIERS } from "@/lib/constants";
import { isAppError } from "@/core/errors";
import { loadDatasetOverview, type DatasetOverview } from "@/server/overview";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <div className="text-sm text-slate-500 dark:text-slate-400">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums">{value}</div>
    </div>
  );
}

function usd(value: number): string {
  return value < 1 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}

function Overview({ overview }: { overview: DatasetOverview }) {
  const { totals } = overview;
  return (
    <>
      {!overview.provider.isLanguageModel && (
        <div role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          <strong>Simulated provider — not a language model.</strong> Conversations are composed from your documents and taxonomy so you can
          try the whole pipeline. Set <code>ANTHROPIC_API_KEY</code> or <code>OPENAI_API_KEY</code> to generate with a real model.
        </div>
      )}
      {totals.total === 0 ? (
        <section className="rounded-lg border border-dashed border-slate-300 p-8 text-center dark:border-slate-700">
          <h2 className="text-lg font-semibold">No conversations yet</h2>
          <p className="mt-2 text-slate-600 dark:text-slate-400">
            Load the sample workspace and plan a dataset from a terminal: <code>npx brightrun init --sample financial-planning</code> then{" "}
            <code>npx brightrun plan</code>, or run the whole pipeline with <code>npm run demo</code>.
          </p>
        </section>
      ) : (
        <>
          <section aria-labelledby="totals" className="space-y-3">
            <h2 id="totals" className="text-lg font-semibold">
              Dataset
            </h2>
            <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
              <Stat label="Conversations" value={`${totals.total} (${totals.seeds} seeds)`} />
              <Stat label="Average quality" value={totals.averageQuality ?? "n/a"} />
              <Stat label="Tokens in / out" value={`${totals.inputTokens.toLocaleString("en-US")} / ${totals.outputTokens.toLocaleString("en-US")}`} />
              <Stat label="Cost" value={usd(totals.costUsd)} />
            </div>
          </section>
          <section aria-labelledby="by-status" className="space-y-3">
            <h2 id="by-status" className="text-lg font-semibold">
              By status
            </h2>
            <div className="grid grid-cols-2 gap-3 md:grid-cols-6">
              {CONVERSATION_STATUSES.map((status) => (
                <Stat key={status} label={STATUS_LABELS[status]} value={totals.byStatus[status]} />
              ))}
            </div>
          </section>
          <section aria-labelledby="by-tier" className="space-y-3">
            <h2 id="by-tier" className="text-lg font-semibold">
              By tier
            </h2>
            <div className="grid grid-cols-3 gap-3">
              {TIERS.map((tier) => (
                <Stat key={tier} label={TIER_LABELS[tier]} value={totals.byTier[tier]} />
              ))}
            </div>
          </section>
        </>
      )}
      <section aria-labelledby="exports" className="space-y-3">
        <h2 id="exports" className="text-lg font-semibold">
          Recent exports
        </h2>
        {overview.exports.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">
            None yet. Approve conversations, then <code>npx brightrun export --format openai</code>.
          </p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-100 dark:bg-slate-900">
                <tr>
                  <th className="p-2 font-medium">Exported</th>
                  <th className="p-2 font-medium">Format</th>
                  <th className="p-2 font-medium">Conversations</th>
                  <th className="p-2 font-medium">By</th>
                  <th className="p-2 font-medium">File</th>
                </tr>
              </thead>
              <tbody>
                {overview.exports.map((e) => (
                  <tr key={e.exportId} className="border-t border-slate-200 dark:border-slate-800">
                    <td className="p-2 tabular-nums">{new Date(e.exportedAt).toLocaleString("en-US")}</td>
                    <td className="p-2">{e.format}</td>
                    <td className="p-2 tabular-nums">{e.conversationCount}</td>
                    <td className="p-2">{e.userId}</td>
                    <td className="p-2 font-mono text-xs break-all">{e.filePath}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export default async function OverviewPage() {
  let overview: DatasetOverview | null = null;
  let problem: string | null = null;
  try {
    overview = await loadDatasetOverview();
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <main className="mx-auto max-w-6xl space-y-6 p-6">
      <header>
        <h1 className="text-2xl font-bold">Bright Run{overview?.businessName ? ` · ${overview.businessName}` : ""}</h1>
        <p className="text-slate-600 dark:text-slate-400">Dataset overview. The conversation table, generation and review come to this page next; today they run from the CLI.</p>
      </header>
      {problem ? (
        <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
          {problem}
        </div>
      ) : (
        overview && <Overview overview={overview} />
      )}
    </main>
  );
}
