"use client";

import { useId, useState, useTransition } from "react";
import { Loader2 } from "lucide-react";

import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { PLAIN_ERRORS } from "@/core/import/json-problems";
import { TAXONOMY_ENTRY_SCHEMAS, type TaxonomyFileEntry } from "@/core/taxonomy/taxonomy-entry-schemas";
import { keyFromName, TAXONOMY_KIND_INFO, type TaxonomyKind } from "@/lib/taxonomy-kinds";

/** One field of a kind's form: `lines` fields are lists edited one item per line. */
interface FieldSpec {
  name: string;
  label: string;
  kind: "text" | "long" | "lines";
  hint?: string;
  optional?: boolean;
}

/** The fields beyond key, name and description, per kind (the taxonomy file's fields). */
const EXTRA_FIELDS: Record<TaxonomyKind, FieldSpec[]> = {
  personas: [
    { name: "traits", label: "Traits", kind: "lines", hint: "One per line, e.g. “worried about losing money”.", optional: true },
    { name: "communication_style", label: "Communication style", kind: "long", hint: "How they write: short and direct, apologetic, full of detail…", optional: true },
    { name: "goals", label: "Goals", kind: "lines", hint: "One per line.", optional: true },
  ],
  emotional_arcs: [
    { name: "starting_emotion", label: "Starting emotion", kind: "text", hint: "How the customer feels in the first turn." },
    { name: "ending_emotion", label: "Ending emotion", kind: "text", hint: "How they feel at the end." },
    { name: "turn_structure", label: "Turn-by-turn emotional progression", kind: "long", hint: "How the feelings move over the turns, and what the assistant does at each stage." },
  ],
  topics: [{ name: "key_terms", label: "Key terms", kind: "lines", hint: "One per line: the words a good answer on this topic uses.", optional: true }],
  intents: [],
  tones: [],
  edge_case_categories: [{ name: "test_condition", label: "Test condition", kind: "long", hint: "What the conversation must test, and what a good answer does." }],
  outcomes: [],
};

type FormValues = Record<string, string>;

/** Form values (lists as one item per line) from an entry, or empty ones. */
function toForm(kind: TaxonomyKind, entry: TaxonomyFileEntry | null): FormValues {
  const values: FormValues = { key: "", name: "", description: "" };
  for (const field of EXTRA_FIELDS[kind]) values[field.name] = "";
  if (!entry) return values;
  for (const [name, value] of Object.entries(entry)) values[name] = Array.isArray(value) ? value.join("\n") : String(value);
  return values;
}

/** The entry the form describes, as the schema reads it (lists split on lines, blank lines dropped). */
function fromForm(kind: TaxonomyKind, values: FormValues, original: TaxonomyFileEntry | null): Record<string, unknown> {
  const entry: Record<string, unknown> = { key: values.key.trim(), name: values.name, description: values.description };
  for (const field of EXTRA_FIELDS[kind]) {
    entry[field.name] = field.kind === "lines" ? values[field.name].split("\n").map((l) => l.trim()).filter(Boolean) : values[field.name];
  }
  if (kind === "emotional_arcs") entry.enabled = (original as TaxonomyFileEntry<"emotional_arcs"> | null)?.enabled ?? true;
  return entry;
}

const LABELS: Record<string, string> = { key: "Key", name: "Name", description: "Description" };

/**
 * The create / edit dialog of one entry. The form validates with the importer's schema (the same
 * rule `brightrun import` applies) and shows each problem under its field; the key is made from the
 * name until edited, and cannot change once the entry exists.
 * @param mode "create" (key editable), "edit" (key fixed) or "accept" (a suggestion, key editable)
 * @param onSubmit saves the entry; returns an error message to show, or null when saved
 */
export function TaxonomyEntryDialog({
  kind,
  mode,
  initial,
  open,
  onOpenChange,
  onSubmit,
}: {
  kind: TaxonomyKind;
  mode: "create" | "edit" | "accept";
  initial: TaxonomyFileEntry | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSubmit: (entry: Record<string, unknown>) => Promise<string | null>;
}) {
  const info = TAXONOMY_KIND_INFO[kind];
  const title = mode === "edit" ? `Edit ${info.singular}` : mode === "accept" ? `Accept suggested ${info.singular}` : `New ${info.singular}`;
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{info.blurb}</DialogDescription>
        </DialogHeader>
        {/* Remounted per opening, so the form starts from `initial` each time. */}
        {open && <EntryForm kind={kind} mode={mode} initial={initial} onCancel={() => onOpenChange(false)} onSubmit={onSubmit} />}
      </DialogContent>
    </Dialog>
  );
}

function EntryForm({
  kind,
  mode,
  initial,
  onCancel,
  onSubmit,
}: {
  kind: TaxonomyKind;
  mode: "create" | "edit" | "accept";
  initial: TaxonomyFileEntry | null;
  onCancel: () => void;
  onSubmit: (entry: Record<string, unknown>) => Promise<string | null>;
}) {
  const id = useId();
  const [values, setValues] = useState<FormValues>(() => toForm(kind, initial));
  const [keyEdited, setKeyEdited] = useState(mode !== "create");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const fields: FieldSpec[] = [{ name: "name", label: "Name", kind: "text" }, { name: "key", label: "Key", kind: "text" }, { name: "description", label: "Description", kind: "long" }, ...EXTRA_FIELDS[kind]];

  function set(name: string, value: string) {
    setValues((v) => ({ ...v, [name]: value, ...(name === "name" && !keyEdited ? { key: keyFromName(value) } : {}) }));
    if (name === "key") setKeyEdited(true);
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const entry = fromForm(kind, values, initial);
    const parsed = TAXONOMY_ENTRY_SCHEMAS[kind].safeParse(entry, PLAIN_ERRORS);
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? "");
        const label = fields.find((f) => f.name === field)?.label ?? LABELS[field] ?? field;
        next[field] ??= `${label} ${issue.message}.`;
      }
      setErrors(next);
      setFormError(null);
      return;
    }
    setErrors({});
    startTransition(async () => {
      const problem = await onSubmit(parsed.data as Record<string, unknown>);
      setFormError(problem);
    });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {fields.map((field) => {
        const fieldId = `${id}-${field.name}`;
        const error = errors[field.name];
        const describedBy = [field.hint || field.name === "key" ? `${fieldId}-hint` : null, error ? `${fieldId}-error` : null].filter(Boolean).join(" ") || undefined;
        const common = {
          id: fieldId,
          name: field.name,
          value: values[field.name] ?? "",
          "aria-invalid": error ? true : undefined,
          "aria-describedby": describedBy,
          onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(field.name, e.target.value),
        };
        const hint =
          field.name === "key"
            ? mode === "edit"
              ? "Fixed: conversations refer to it. Duplicate the entry to get a new key."
              : "Made from the name; lower-case letters, digits, “-” or “_”. It cannot change later."
            : field.hint;
        return (
          <div key={field.name} className="space-y-1.5">
            <Label htmlFor={fieldId}>
              {field.label}
              {field.optional && <span className="font-normal text-muted-foreground"> (optional)</span>}
            </Label>
            {field.kind === "text" ? (
              <Input {...common} disabled={field.name === "key" && mode === "edit"} className={field.name === "key" ? "font-mono text-sm" : undefined} />
            ) : (
              <Textarea {...common} rows={field.kind === "lines" ? 3 : field.name === "turn_structure" ? 5 : 3} />
            )}
            {hint && (
              <p id={`${fieldId}-hint`} className="text-xs text-muted-foreground">
                {hint}
              </p>
            )}
            {error && (
              <p id={`${fieldId}-error`} className="text-sm text-destructive">
                {error}
              </p>
            )}
          </div>
        );
      })}
      {formError && (
        <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/10 p-3 text-sm text-destructive">
          {formError}
        </p>
      )}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
          {mode === "edit" ? "Save changes" : mode === "accept" ? "Accept" : "Create"}
        </Button>
      </DialogFooter>
    </form>
  );
}
