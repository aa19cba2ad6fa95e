"use client";

import { useId, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { CheckCircle2, ListRestart, Loader2, Plus, PlugZap, Trash2, XCircle } from "lucide-react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { DEFAULT_MODELS, priceFor } from "@/core/cost/prices";
import { BACKOFF_STRATEGIES, DEFAULT_RETRY_POLICY, RETRYABLE_ERROR_KINDS, type BackoffStrategy, type RetryPolicyOverrides } from "@/core/generation/retry-policy";
import type { ProviderModel } from "@/core/llm/types";
import type { ProviderName } from "@/lib/constants";
import { formatDateTime } from "@/lib/format";
import { MAX_RUN_CONCURRENCY } from "@/lib/run-states";
import { listModelsAction, saveModelSettingsAction, testConnectionAction } from "@/server/actions/settings";
import type { ConnectionTestResult, ModelSettingsInput, ModelSettingsView } from "@/server/settings/model-settings";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { HelpTip } from "@/components/help-tip";
import type { HelpTopicId } from "@/lib/help-topics";

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
function Field({ id, label, hint, envVar, help, children }: { id: string; label: string; hint?: string; envVar?: string; help?: HelpTopicId; children: React.ReactNode }) {
  return (
    <div className="space-y-1.5">
      <div className="flex items-center gap-1">
        <Label htmlFor={id}>{label}</Label>
        {help && <HelpTip topic={help} />}
      </div>
      {children}
      {envVar ? (
        <p className="text-xs text-amber-800 dark:text-amber-300">Set by the environment ({envVar}): that value is used, and what is saved here waits until it is unset.</p>
      ) : (
        hint && <p className="text-xs text-muted-foreground">{hint}</p>
      )}
    </div>
  );
}

/** A retry setting as the form holds it: text fields ("" = the default), delays in seconds. */
interface RetryRow {
  maxAttempts: string;
  strategy: BackoffStrategy | "";
  baseDelaySeconds: string;
  maxDelaySeconds: string;
}
type ErrorKindRow = RetryRow & { code: string };
interface RetryState extends RetryRow {
  byErrorCode: ErrorKindRow[];
}
type PriceRow = { model: string; input: string; output: string };
type LimitRow = { model: string; limits: string };

const STRATEGY_LABELS: Record<BackoffStrategy, string> = { exponential: "Exponential (1, 2, 4, 8… × first wait)", linear: "Linear (1, 2, 3… × first wait)", fixed: "Fixed (the first wait every time)" };
const seconds = (ms: number | undefined) => (ms === undefined ? "" : String(ms / 1000));

function retryRowOf(s: Partial<{ maxAttempts: number; strategy: BackoffStrategy; baseDelayMs: number; maxDelayMs: number }>): RetryRow {
  return { maxAttempts: s.maxAttempts === undefined ? "" : String(s.maxAttempts), strategy: s.strategy ?? "", baseDelaySeconds: seconds(s.baseDelayMs), maxDelaySeconds: seconds(s.maxDelayMs) };
}

function retryStateOf(policy: RetryPolicyOverrides | null): RetryState {
  return {
    ...retryRowOf(policy ?? {}),
    byErrorCode: Object.entries(policy?.byErrorCode ?? {}).map(([code, own]) => ({ code, ...retryRowOf(own ?? {}) })),
  };
}

/** The form's lists as the page loaded them, to tell a change from none. */
function savedLists(view: ModelSettingsView) {
  return {
    retry: retryStateOf(view.retryPolicy),
    prices: view.priceOverrides.map((p) => ({ model: p.model, input: String(p.input), output: String(p.output) })),
    limits: view.rateLimitsByModel.map((r) => ({ ...r })),
  };
}

/** The price table's price of a model, USD per million input/output tokens; null when the table has none. */
function listPriceOf(model: string): { input: number; output: number } | null {
  const id = model.trim();
  if (!id) return null;
  const price = priceFor(id);
  return price.known ? { input: price.input, output: price.output } : null;
}

/** A row's remove button, with a label naming what it removes. */
function RemoveRow({ label, onClick, disabled }: { label: string; onClick: () => void; disabled: boolean }) {
  return (
    <Button type="button" variant="ghost" size="icon" onClick={onClick} disabled={disabled} aria-label={label} title={label}>
      <Trash2 aria-hidden className="size-4" />
    </Button>
  );
}

/** A section of the form with a heading and a one-line description. */
function FormSection({ id, title, description, children }: { id?: string; title: string; description: string; children: React.ReactNode }) {
  return (
    <section id={id} aria-label={title} className="scroll-mt-6 space-y-4 rounded-lg border p-4">
      <header className="space-y-1">
        <h3 className="text-base font-semibold">{title}</h3>
        <p className="text-sm text-muted-foreground">{description}</p>
      </header>
      {children}
    </section>
  );
}

/** Attempts, strategy, first and longest wait: the four retry settings, for the policy or one error kind. */
function RetryFields({ idPrefix, row, onChange, disabled, placeholders, labelSuffix = "" }: { idPrefix: string; row: RetryRow; onChange: (row: RetryRow) => void; disabled: boolean; placeholders: RetryRow; labelSuffix?: string }) {
  return (
    <>
      <div className="space-y-1.5">
        <Label htmlFor={`${idPrefix}-attempts`}>
          Attempts<span className="sr-only">{labelSuffix}</span>
        </Label>
        <Input id={`${idPrefix}-attempts`} type="number" min={1} max={20} value={row.maxAttempts} placeholder={placeholders.maxAttempts} onChange={(e) => onChange({ ...row, maxAttempts: e.target.value })} disabled={disabled} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor={`${idPrefix}-strategy`}>
          Wait between attempts<span className="sr-only">{labelSuffix}</span>
        </Label>
        <Select value={row.strategy || "default"} onValueChange={(v) => onChange({ ...row, strategy: v === "default" ? "" : (v as BackoffStrategy) })} disabled={disabled}>
          <SelectTrigger id={`${idPrefix}-strategy`} className="w-full" aria-label={`Wait between attempts${labelSuffix}`}>
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="default">{placeholders.strategy ? `As above (${placeholders.strategy})` : `Default (${DEFAULT_RETRY_POLICY.strategy ?? "exponential"})`}</SelectItem>
            {BACKOFF_STRATEGIES.map((s) => (
              <SelectItem key={s} value={s}>
                {STRATEGY_LABELS[s]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor={`${idPrefix}-base`}>
          First wait, s<span className="sr-only">{labelSuffix}</span>
        </Label>
        <Input id={`${idPrefix}-base`} type="number" min={0} max={600} step="any" value={row.baseDelaySeconds} placeholder={placeholders.baseDelaySeconds} onChange={(e) => onChange({ ...row, baseDelaySeconds: e.target.value })} disabled={disabled} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor={`${idPrefix}-max`}>
          Longest wait, s<span className="sr-only">{labelSuffix}</span>
        </Label>
        <Input id={`${idPrefix}-max`} type="number" min={0} max={3600} step="any" value={row.maxDelaySeconds} placeholder={placeholders.maxDelaySeconds} onChange={(e) => onChange({ ...row, maxDelaySeconds: e.target.value })} disabled={disabled} />
      </div>
    </>
  );
}

/**
 * The Settings page's model form: provider, base URL, API key (write-only: a saved key shows as
 * "sk-…abcd", with Replace and Remove), model (typed, or picked from the list Load models fetches
 * from the provider's models endpoint), default concurrency, rate limits for all models and per
 * model, the retry policy (and per error kind) and price overrides. Save validates on the server;
 * Test connection saves unsaved changes first, then sends one small request and shows the answer,
 * its latency and rate-limit headers, or the error in plain English.
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
  const [limitRows, setLimitRows] = useState<LimitRow[]>(() => savedLists(initial).limits);
  const [retry, setRetry] = useState<RetryState>(() => savedLists(initial).retry);
  const [priceRows, setPriceRows] = useState<PriceRow[]>(() => savedLists(initial).prices);
  const [models, setModels] = useState<{ provider: ProviderName; list: ProviderModel[] } | null>(null);
  const [modelsProblem, setModelsProblem] = useState<string | null>(null);
  const [loadingModels, startLoadingModels] = useTransition();
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
    rateLimits !== (view.rateLimits ?? "") ||
    JSON.stringify({ retry, prices: priceRows, limits: limitRows }) !== JSON.stringify(savedLists(view));

  function input(): ModelSettingsInput {
    return {
      provider,
      baseUrl,
      apiKey: apiKey.trim() ? { action: "replace", value: apiKey } : removeKey ? { action: "remove" } : { action: "keep" },
      model,
      concurrency,
      rateLimits,
      // Rows left wholly blank are dropped; a half-filled row is sent, so the server names what is missing.
      rateLimitsByModel: limitRows.filter((r) => r.model.trim() || r.limits.trim()),
      retryPolicy: retry,
      priceOverrides: priceRows.filter((r) => r.model.trim() || r.input.trim() || r.output.trim()),
    };
  }

  function onLoadModels() {
    setModelsProblem(null);
    startLoadingModels(async () => {
      const result = await listModelsAction(workspaceSlug, { provider, baseUrl, apiKey: apiKey.trim() || null });
      if (!result.ok) return setModelsProblem(result.error.message);
      if (!result.data.ok) return setModelsProblem(result.data.message);
      setModels({ provider, list: result.data.models });
    });
  }

  async function save(): Promise<boolean> {
    setProblem(null);
    const result = await saveModelSettingsAction(workspaceSlug, input());
    if (!result.ok) {
      setProblem(result.error.message);
      return false;
    }
    setView(result.data);
    const lists = savedLists(result.data);
    setRetry(lists.retry);
    setPriceRows(lists.prices);
    setLimitRows(lists.limits);
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
  const shownModels = models && models.provider === provider ? models.list : null;
  const modelsListId = `${id}-models`;
  const policyPlaceholders = retryRowOf(DEFAULT_RETRY_POLICY);
  const usedAbove: RetryRow = {
    maxAttempts: retry.maxAttempts || policyPlaceholders.maxAttempts,
    strategy: retry.strategy || (DEFAULT_RETRY_POLICY.strategy ?? "exponential"),
    baseDelaySeconds: retry.baseDelaySeconds || policyPlaceholders.baseDelaySeconds,
    maxDelaySeconds: retry.maxDelaySeconds || policyPlaceholders.maxDelaySeconds,
  };
  const unusedKinds = RETRYABLE_ERROR_KINDS.filter((k) => !retry.byErrorCode.some((r) => r.code === k.code));
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

      <FormSection title="Provider and model" description="Which provider and model your conversations are generated with.">
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

            <Field
              id={`${id}-model`}
              label="Model"
              hint={`Type a model's id or pick one after Load models (the provider's own list). Empty for the default, ${DEFAULT_MODELS[provider]}. For your own server, the name it serves the model under.`}
              envVar={env.model}
            >
              <div className="flex gap-2">
                <Input
                  id={`${id}-model`}
                  value={model}
                  onChange={(e) => setModel(e.target.value)}
                  placeholder={DEFAULT_MODELS[provider]}
                  disabled={busy}
                  autoComplete="off"
                  list={shownModels ? modelsListId : undefined}
                />
                <Button type="button" variant="outline" onClick={onLoadModels} disabled={busy || loadingModels}>
                  {loadingModels ? <Loader2 aria-hidden className="size-4 animate-spin" /> : <ListRestart aria-hidden className="size-4" />}
                  Load models
                </Button>
              </div>
              {shownModels && (
                <datalist id={modelsListId}>
                  {shownModels.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.displayName ?? m.id}
                    </option>
                  ))}
                </datalist>
              )}
              {modelsProblem ? (
                <p role="alert" className="text-sm text-red-700 dark:text-red-300">
                  Could not load the models: {modelsProblem}
                </p>
              ) : (
                shownModels && (
                  <p role="status" className="text-xs text-muted-foreground">
                    {shownModels.length === 0
                      ? "The provider listed no models: type the model's name."
                      : `${shownModels.length} ${shownModels.length === 1 ? "model" : "models"} from the provider: pick one in the Model field, or type any id.`}
                  </p>
                )
              )}
            </Field>
          </>
        )}
      </FormSection>

      <FormSection title="Speed" description="How many requests a new run sends at once, and the most it may send per minute.">
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
          <Field id={`${id}-rate-limits`} label="Rate limits (per minute)" help="rateLimits" hint="For every model without its own below. e.g. rpm=240, otpm=80000. Empty: learned from the provider's replies, or none." envVar={env.rateLimits}>
            <Input id={`${id}-rate-limits`} value={rateLimits} onChange={(e) => setRateLimits(e.target.value)} placeholder="rpm=240, itpm=400000, otpm=80000" disabled={busy} autoComplete="off" />
          </Field>
        </div>
        <div className="space-y-2">
          <h4 className="text-sm font-medium">Rate limits per model</h4>
          <p className="text-xs text-muted-foreground">
            A run of a model listed here uses its limits instead of the ones above: rpm (requests), itpm (input tokens), otpm (output tokens), tpm (input + output tokens), per minute.
          </p>
          {env.rateLimits && <p className="text-xs text-amber-800 dark:text-amber-300">Set by the environment ({env.rateLimits}): its limits apply to every model while it is set.</p>}
          {limitRows.length > 0 && (
            <div className="space-y-2">
              {limitRows.map((row, index) => (
                <div key={index} className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] items-center gap-2">
                  <Input
                    aria-label={`Model of rate-limit row ${index + 1}`}
                    value={row.model}
                    onChange={(e) => setLimitRows((rows) => rows.map((r, i) => (i === index ? { ...r, model: e.target.value } : r)))}
                    placeholder={model.trim() || DEFAULT_MODELS[provider]}
                    list={shownModels ? modelsListId : undefined}
                    disabled={busy}
                    autoComplete="off"
                  />
                  <Input
                    aria-label={`Rate limits of ${row.model.trim() || `row ${index + 1}`}`}
                    value={row.limits}
                    onChange={(e) => setLimitRows((rows) => rows.map((r, i) => (i === index ? { ...r, limits: e.target.value } : r)))}
                    placeholder="rpm=60, otpm=20000"
                    disabled={busy}
                    autoComplete="off"
                  />
                  <RemoveRow label={`Remove the rate limits of ${row.model.trim() || `row ${index + 1}`}`} onClick={() => setLimitRows((rows) => rows.filter((_, i) => i !== index))} disabled={busy} />
                </div>
              ))}
            </div>
          )}
          <Button type="button" variant="outline" size="sm" onClick={() => setLimitRows((rows) => [...rows, { model: "", limits: "" }])} disabled={busy}>
            <Plus aria-hidden className="size-4" />
            Add a model&apos;s rate limits
          </Button>
        </div>
      </FormSection>

      <FormSection
        title="Retries"
        description="When a call fails with an error that may pass (rate limit, overload, server error, timeout, lost connection, a reply that is not the conversation JSON or was cut off), it is tried again after a wait. A key refused or a bad request is never retried. A provider's retry-after wins when it asks for longer."
      >
        {env.retryPolicy && <p className="text-xs text-amber-800 dark:text-amber-300">Set by the environment ({env.retryPolicy}): that policy is used, and what is saved here waits until it is unset.</p>}
        <div className="grid gap-4 sm:grid-cols-2">
          <RetryFields idPrefix={`${id}-retry`} row={retry} onChange={(row) => setRetry((r) => ({ ...r, ...row }))} disabled={busy} placeholders={{ ...policyPlaceholders, strategy: "" }} />
        </div>
        <p className="text-xs text-muted-foreground">
          Attempts count the first try (1 = never retry). Empty fields use the default: {DEFAULT_RETRY_POLICY.maxAttempts} attempts, exponential waits from {DEFAULT_RETRY_POLICY.baseDelayMs / 1000} s up to{" "}
          {DEFAULT_RETRY_POLICY.maxDelayMs / 1000} s, each ±{Math.round(DEFAULT_RETRY_POLICY.jitter * 100)} % at random.
        </p>
        <div className="space-y-3">
          <h4 className="text-sm font-medium">Per error kind</h4>
          {retry.byErrorCode.map((row, index) => {
            const kind = RETRYABLE_ERROR_KINDS.find((k) => k.code === row.code);
            const update = (next: Partial<ErrorKindRow>) => setRetry((r) => ({ ...r, byErrorCode: r.byErrorCode.map((x, i) => (i === index ? { ...x, ...next } : x)) }));
            return (
              <div key={row.code} className="space-y-2 rounded-md border p-3">
                <div className="flex items-center justify-between gap-2">
                  <p className="text-sm font-medium">{kind?.label ?? row.code}</p>
                  <RemoveRow label={`Remove the retry settings for ${kind?.label ?? row.code}`} onClick={() => setRetry((r) => ({ ...r, byErrorCode: r.byErrorCode.filter((_, i) => i !== index) }))} disabled={busy} />
                </div>
                <div className="grid gap-4 sm:grid-cols-2">
                  <RetryFields idPrefix={`${id}-retry-${row.code}`} row={row} onChange={(next) => update(next)} disabled={busy} placeholders={usedAbove} labelSuffix={` (${kind?.label ?? row.code})`} />
                </div>
              </div>
            );
          })}
          {unusedKinds.length > 0 && (
            <div className="flex flex-wrap items-center gap-2">
              <Select
                value=""
                onValueChange={(code) => setRetry((r) => ({ ...r, byErrorCode: [...r.byErrorCode, { code, maxAttempts: "", strategy: "", baseDelaySeconds: "", maxDelaySeconds: "" }] }))}
                disabled={busy}
              >
                <SelectTrigger className="w-72" aria-label="Add retry settings for an error kind">
                  <SelectValue placeholder="Add settings for an error kind…" />
                </SelectTrigger>
                <SelectContent>
                  {unusedKinds.map((k) => (
                    <SelectItem key={k.code} value={k.code}>
                      {k.label}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              <span className="text-xs text-muted-foreground">Empty fields there use the settings above.</span>
            </div>
          )}
        </div>
      </FormSection>

      <FormSection
        id="prices"
        title="Prices"
        description="US dollars per million tokens, for estimates, costs and spending limits. Set one for a model the price table does not know (a model on your own server, often $0), or when a list price changes."
      >
        {env.prices && (
          <p className="text-xs text-amber-800 dark:text-amber-300">
            Set by the environment ({env.prices}) for {view.pricesFromEnvironment.length ? view.pricesFromEnvironment.join(", ") : "no model"}: those prices are used, and a price saved here for the same model waits until it is unset.
          </p>
        )}
        {priceRows.length > 0 && (
          <div className="space-y-2">
            <div className="grid grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto] gap-2 text-xs font-medium text-muted-foreground" aria-hidden>
              <span>Model</span>
              <span>Input, $ per million</span>
              <span>Output, $ per million</span>
              <span className="w-9" />
            </div>
            {priceRows.map((row, index) => {
              const name = row.model.trim() || `row ${index + 1}`;
              const listPrice = listPriceOf(row.model);
              const update = (next: Partial<PriceRow>) => setPriceRows((rows) => rows.map((r, i) => (i === index ? { ...r, ...next } : r)));
              return (
                <div key={index} className="space-y-1">
                  <div className="grid grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto] items-center gap-2">
                    <Input aria-label={`Model of price row ${index + 1}`} value={row.model} onChange={(e) => update({ model: e.target.value })} placeholder={model.trim() || "local-model"} list={shownModels ? modelsListId : undefined} disabled={busy} autoComplete="off" />
                    <Input aria-label={`Input price of ${name}, USD per million tokens`} type="number" min={0} step="any" value={row.input} onChange={(e) => update({ input: e.target.value })} placeholder={listPrice ? String(listPrice.input) : "0"} disabled={busy} />
                    <Input aria-label={`Output price of ${name}, USD per million tokens`} type="number" min={0} step="any" value={row.output} onChange={(e) => update({ output: e.target.value })} placeholder={listPrice ? String(listPrice.output) : "0"} disabled={busy} />
                    <RemoveRow label={`Remove the price of ${name}`} onClick={() => setPriceRows((rows) => rows.filter((_, i) => i !== index))} disabled={busy} />
                  </div>
                  <p className="text-xs text-muted-foreground">
                    {listPrice
                      ? `List price $${listPrice.input} in / $${listPrice.output} out per million tokens.`
                      : row.model.trim()
                        ? "Not in the price table: without a price here it is estimated at $0 (no price set)."
                        : ""}
                  </p>
                </div>
              );
            })}
          </div>
        )}
        <Button type="button" variant="outline" size="sm" onClick={() => setPriceRows((rows) => [...rows, { model: rows.length === 0 ? model.trim() : "", input: "", output: "" }])} disabled={busy}>
          <Plus aria-hidden className="size-4" />
          Add a model&apos;s price
        </Button>
      </FormSection>

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
