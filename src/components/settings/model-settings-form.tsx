"use client";

import { useId, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { CheckCircle2, Loader2, PlugZap, XCircle } from "lucide-react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { DEFAULT_MODELS } from "@/core/cost/prices";
import type { ProviderName } from "@/lib/constants";
import { formatDateTime } from "@/lib/format";
import { MAX_RUN_CONCURRENCY } from "@/lib/run-states";
import { saveModelSettingsAction, testConnectionAction } from "@/server/actions/settings";
import type { ConnectionTestResult, ModelSettingsInput, ModelSettingsView } from "@/server/settings/model-settings";
import { useWorkspace } from "@/components/workspaces/workspace-provider";

const PROVIDER_CHOICES: Array<{ value: ProviderName; label: string; hint: string }> = [
  { value: "anthropic", label: "Anthropic (Claude)", hint: "Needs an API key from console.anthropic.com. A base URL only for a gateway in front of Anthropic." },
  {
    value: "openai",
    label: "OpenAI, or an OpenAI-compatible server",
    hint: "OpenAI needs an API key. Your own server (vLLM, Ollama, llama.cpp, LM Studio) needs its base URL, e.g. http://localhost:11434/v1; a key only if it asks for one.",
  },
  { value: "simulated", label: "Simulated (not a language model)", hint: "Composes conversations from your documents and taxonomy, to try the pipeline without a model. Free, and not training data." },
];

/** A form field's label, its control, and either its hint or "set by the environment (VAR)". */
function Field({ id, label, hint, envVar, children }: { id: string; label: string; hint?: string; envVar?: string; children: React.ReactNode }) {
  return (
    <div className="space-y-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {envVar ? (
        <p className="text-xs text-amber-800 dark:text-amber-300">Set by the environment ({envVar}): that value is used, and what is saved here waits until it is unset.</p>
      ) : (
        hint && <p className="text-xs text-muted-foreground">{hint}</p>
      )}
    </div>
  );
}

/**
 * The Settings page's model form: provider, base URL, API key (write-only: a saved key shows as
 * "sk-…abcd", with Replace and Remove), model, default concurrency and rate limits. Save validates on
 * the server; Test connection saves unsaved changes first, then sends one small request and shows
 * the answer, its latency and rate-limit headers, or the error in plain English.
 */
export function ModelSettingsForm({ initial }: { initial: ModelSettingsView }) {
  const { slug: workspaceSlug } = useWorkspace();
  const router = useRouter();
  const id = useId();
  const [view, setView] = useState(initial);
  const [provider, setProvider] = useState<ProviderName>(initial.provider ?? (initial.effective.ok ? initial.effective.provider : "simulated"));
  const [baseUrl, setBaseUrl] = useState(initial.baseUrl ?? "");
  const [apiKey, setApiKey] = useState("");
  const [replacingKey, setReplacingKey] = useState(!initial.apiKeyHint);
  const [removeKey, setRemoveKey] = useState(false);
  const [model, setModel] = useState(initial.model ?? "");
  const [concurrency, setConcurrency] = useState(initial.concurrency === null ? "" : String(initial.concurrency));
  const [rateLimits, setRateLimits] = useState(initial.rateLimits ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const [test, setTest] = useState<ConnectionTestResult | null>(null);
  const [saving, startSaving] = useTransition();
  const [testing, startTesting] = useTransition();

  const env = view.fromEnvironment;
  // Nothing saved yet: the form starts from what is in effect, and that is not a change.
  const savedProvider = view.provider ?? (view.effective.ok ? view.effective.provider : "simulated");
  const choice = PROVIDER_CHOICES.find((c) => c.value === provider);
  const dirty =
    provider !== savedProvider ||
    baseUrl !== (view.baseUrl ?? "") ||
    apiKey.trim() !== "" ||
    removeKey ||
    model !== (view.model ?? "") ||
    concurrency !== (view.concurrency === null ? "" : String(view.concurrency)) ||
    rateLimits !== (view.rateLimits ?? "");

  function input(): ModelSettingsInput {
    return {
      provider,
      baseUrl,
      apiKey: apiKey.trim() ? { action: "replace", value: apiKey } : removeKey ? { action: "remove" } : { action: "keep" },
      model,
      concurrency,
      rateLimits,
    };
  }

  async function save(): Promise<boolean> {
    setProblem(null);
    const result = await saveModelSettingsAction(workspaceSlug, input());
    if (!result.ok) {
      setProblem(result.error.message);
      return false;
    }
    setView(result.data);
    setApiKey("");
    setRemoveKey(false);
    setReplacingKey(!result.data.apiKeyHint);
    router.refresh();
    return true;
  }

  function onSave(event: React.FormEvent) {
    event.preventDefault();
    startSaving(async () => {
      if (await save()) toast.success("Settings saved");
    });
  }

  function onTest() {
    setTest(null);
    startTesting(async () => {
      if (dirty && !(await save())) return;
      const result = await testConnectionAction(workspaceSlug);
      if (!result.ok) {
        setTest({ ok: false, code: result.error.code, message: result.error.message, status: null });
        return;
      }
      setTest(result.data);
    });
  }

  const busy = saving || testing;
  const headers = test?.ok ? Object.entries(test.rateLimitHeaders) : [];

  return (
    <form onSubmit={onSave} className="space-y-6" aria-label="Model settings">
      <section className="rounded-lg border bg-muted/30 p-4 text-sm" aria-label="In use now">
        {view.effective.ok ? (
          <p>
            Generation uses <strong>{view.effective.provider}</strong>
            {view.effective.provider !== "simulated" && (
              <>
                {" "}
                · <strong>{view.effective.model}</strong>
              </>
            )}{" "}
            <span className="text-muted-foreground">({view.effective.reason})</span>
          </p>
        ) : (
          <p role="alert" className="text-red-700 dark:text-red-300">
            {view.effective.message}
          </p>
        )}
        {view.updatedAt && (
          <p className="mt-1 text-xs text-muted-foreground">
            Saved {formatDateTime(view.updatedAt)}
            {view.updatedBy ? ` by ${view.updatedBy.replace(/^local:/, "")}` : ""}.
          </p>
        )}
      </section>

      <Field id={`${id}-provider`} label="Provider" hint={choice?.hint} envVar={env.provider}>
        <Select value={provider} onValueChange={(v) => setProvider(v as ProviderName)} disabled={busy}>
          <SelectTrigger id={`${id}-provider`} className="w-full" aria-label="Provider">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {PROVIDER_CHOICES.map((c) => (
              <SelectItem key={c.value} value={c.value}>
                {c.label}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </Field>

      {provider !== "simulated" && (
        <>
          <Field
            id={`${id}-base-url`}
            label="Base URL"
            hint={provider === "openai" ? "Empty for OpenAI itself. For your own server, its OpenAI-compatible address, usually ending in /v1." : "Empty for Anthropic itself."}
            envVar={env.baseUrl}
          >
            <Input
              id={`${id}-base-url`}
              value={baseUrl}
              onChange={(e) => setBaseUrl(e.target.value)}
              placeholder={provider === "openai" ? "http://localhost:11434/v1" : "https://api.anthropic.com"}
              disabled={busy}
              inputMode="url"
              autoComplete="off"
            />
          </Field>

          <Field
            id={`${id}-api-key`}
            label="API key"
            hint="Stored encrypted on this server; never shown again, never logged, never exported."
            envVar={env.apiKey}
          >
            {view.apiKeyHint && !replacingKey ? (
              <div className="flex flex-wrap items-center gap-2">
                <code className="rounded bg-muted px-2 py-1 text-sm" aria-label="Saved API key">
                  {removeKey ? "will be removed on Save" : view.apiKeyHint}
                </code>
                <Button type="button" variant="outline" size="sm" onClick={() => setReplacingKey(true)} disabled={busy}>
                  Replace
                </Button>
                <Button type="button" variant="ghost" size="sm" onClick={() => setRemoveKey((r) => !r)} disabled={busy}>
                  {removeKey ? "Keep it" : "Remove"}
                </Button>
              </div>
            ) : (
              <Input
                id={`${id}-api-key`}
                type="password"
                value={apiKey}
                onChange={(e) => setApiKey(e.target.value)}
                placeholder={provider === "anthropic" ? "sk-ant-…" : "sk-… (not needed for most local servers)"}
                disabled={busy}
                autoComplete="off"
              />
            )}
          </Field>

          <Field id={`${id}-model`} label="Model" hint={`Empty for the default, ${DEFAULT_MODELS[provider]}. For your own server, the name it serves the model under.`} envVar={env.model}>
            <Input id={`${id}-model`} value={model} onChange={(e) => setModel(e.target.value)} placeholder={DEFAULT_MODELS[provider]} disabled={busy} autoComplete="off" />
          </Field>
        </>
      )}

      <div className="grid gap-6 sm:grid-cols-2">
        <Field id={`${id}-concurrency`} label="Requests at the same time (default)" hint={`1 to ${MAX_RUN_CONCURRENCY}; empty for 3. The Generate dialog starts from it.`} envVar={env.concurrency}>
          <Input
            id={`${id}-concurrency`}
            type="number"
            min={1}
            max={MAX_RUN_CONCURRENCY}
            value={concurrency}
            onChange={(e) => setConcurrency(e.target.value)}
            placeholder="3"
            disabled={busy}
          />
        </Field>
        <Field id={`${id}-rate-limits`} label="Rate limits (per minute)" hint="e.g. rpm=240, otpm=80000. Empty: learned from the provider's replies, or none." envVar={env.rateLimits}>
          <Input id={`${id}-rate-limits`} value={rateLimits} onChange={(e) => setRateLimits(e.target.value)} placeholder="rpm=240, itpm=400000, otpm=80000" disabled={busy} autoComplete="off" />
        </Field>
      </div>

      {problem && (
        <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
          {problem}
        </div>
      )}

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={busy || !dirty}>
          {saving && <Loader2 aria-hidden className="size-4 animate-spin" />}
          Save
        </Button>
        <Button type="button" variant="outline" onClick={onTest} disabled={busy}>
          {testing ? <Loader2 aria-hidden className="size-4 animate-spin" /> : <PlugZap aria-hidden className="size-4" />}
          {dirty ? "Save and test connection" : "Test connection"}
        </Button>
      </div>

      {test && (
        <section aria-label="Connection test" role="status" className={test.ok ? "rounded-lg border border-emerald-300 p-4 text-sm dark:border-emerald-800" : "rounded-lg border border-red-300 p-4 text-sm dark:border-red-800"}>
          {test.ok ? (
            <div className="space-y-2">
              <p className="flex items-center gap-2 font-medium text-emerald-800 dark:text-emerald-300">
                <CheckCircle2 aria-hidden className="size-4" />
                Connected: {test.provider} · {test.model} answered in {test.latencyMs.toLocaleString("en-US")} ms
              </p>
              <p>
                <span className="text-muted-foreground">Answer:</span> “{test.reply}” <span className="text-muted-foreground">({test.inputTokens} tokens in, {test.outputTokens} out)</span>
              </p>
              {headers.length ? (
                <details>
                  <summary className="cursor-pointer text-muted-foreground">Rate-limit headers ({headers.length})</summary>
                  <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 font-mono text-xs">
                    {headers.map(([name, value]) => (
                      <div key={name} className="contents">
                        <dt className="text-muted-foreground">{name}</dt>
                        <dd>{value}</dd>
                      </div>
                    ))}
                  </dl>
                </details>
              ) : (
                <p className="text-muted-foreground">The server sent no rate-limit headers: runs are paced by your concurrency and by any limits you set.</p>
              )}
            </div>
          ) : (
            <p className="flex items-start gap-2 text-red-800 dark:text-red-300">
              <XCircle aria-hidden className="mt-0.5 size-4 shrink-0" />
              <span>{test.message}</span>
            </p>
          )}
        </section>
      )}

      <p className="text-xs text-muted-foreground">Saved API keys are encrypted with the key from {view.secretKeyFrom}.</p>
    </form>
  );
}
