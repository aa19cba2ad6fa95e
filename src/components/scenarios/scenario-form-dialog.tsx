"use client";
/**
 * The scenario form (US8.2.2): title, description, category and tags, problem / solution / outcome,
 * and the source chunk, in a dialog. Used for New scenario, Edit, and for saving a suggested draft
 * after the user has read (and maybe changed) it. Nothing is saved until they press Save.
 */
import { useId, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Loader2 } from "lucide-react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { createScenarioAction, editScenarioAction } from "@/server/actions/scenarios";
import type { ChunkOption } from "@/server/scenario-library";
import { ChunkPicker } from "./chunk-picker";

/** The form's values. Tags are typed comma-separated. */
export interface ScenarioFormValues {
  title: string;
  description: string;
  category: string;
  tags: string[];
  problem: string;
  solution: string;
  outcome: string;
  chunkId: string | null;
}

export const EMPTY_SCENARIO: ScenarioFormValues = { title: "", description: "", category: "", tags: [], problem: "", solution: "", outcome: "", chunkId: null };

export function ScenarioFormDialog({
  open,
  onOpenChange,
  mode,
  scenarioId,
  initial,
  chunks,
  categories,
  title,
  description,
  onSaved,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** "create" adds a scenario; "edit" changes `scenarioId`. */
  mode: "create" | "edit";
  scenarioId?: string;
  initial: ScenarioFormValues;
  chunks: ChunkOption[];
  categories: string[];
  title: string;
  description: string;
  onSaved?: (saved: { id: string; title: string }) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[92vh] overflow-y-auto sm:max-w-3xl">
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        {/* Remounted per opening so the fields start from `initial`. */}
        {open && <ScenarioForm mode={mode} scenarioId={scenarioId} initial={initial} chunks={chunks} categories={categories} onCancel={() => onOpenChange(false)} onSaved={onSaved} close={() => onOpenChange(false)} />}
      </DialogContent>
    </Dialog>
  );
}

function ScenarioForm({
  mode,
  scenarioId,
  initial,
  chunks,
  categories,
  onCancel,
  onSaved,
  close,
}: {
  mode: "create" | "edit";
  scenarioId?: string;
  initial: ScenarioFormValues;
  chunks: ChunkOption[];
  categories: string[];
  onCancel: () => void;
  onSaved?: (saved: { id: string; title: string }) => void;
  close: () => void;
}) {
  const { slug } = useWorkspace();
  const router = useRouter();
  const ids = useId();
  const [values, setValues] = useState<ScenarioFormValues>(initial);
  const [tagsText, setTagsText] = useState(initial.tags.join(", "));
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const set = (patch: Partial<ScenarioFormValues>) => setValues((v) => ({ ...v, ...patch }));
  const chunkCategory = chunks.find((c) => c.id === values.chunkId)?.category;

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const fields = { ...values, tags: tagsText.split(",").map((t) => t.trim()).filter(Boolean), category: values.category.trim() || chunkCategory || "" };
    startTransition(async () => {
      const result = mode === "create" ? await createScenarioAction(slug, fields) : await editScenarioAction(slug, { id: scenarioId as string, fields });
      if (!result.ok) {
        setProblem(result.error.message);
        return;
      }
      toast.success(mode === "create" ? `Saved “${result.data.title}” to the library` : `Saved “${result.data.title}”`);
      close();
      onSaved?.(result.data);
      router.refresh();
    });
  }

  const field = (name: string) => `${ids}-${name}`;
  return (
    <form onSubmit={submit} className="min-w-0 space-y-4" noValidate>
      <div className="space-y-1.5">
        <Label htmlFor={field("title")}>Title</Label>
        <Input id={field("title")} value={values.title} onChange={(e) => set({ title: e.target.value })} required maxLength={200} placeholder="e.g. Inheritance windfall, unsure where to start" />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor={field("description")}>Description</Label>
        <Textarea id={field("description")} value={values.description} onChange={(e) => set({ description: e.target.value })} rows={2} maxLength={2000} placeholder="What the scenario is about, in a sentence or two" />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="space-y-1.5">
          <Label htmlFor={field("category")}>Category</Label>
          <Input
            id={field("category")}
            value={values.category}
            onChange={(e) => set({ category: e.target.value })}
            list={field("categories")}
            maxLength={100}
            placeholder={chunkCategory ? `${chunkCategory} (the chunk's)` : "e.g. estate planning"}
          />
          <datalist id={field("categories")}>
            {categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </div>
        <div className="space-y-1.5">
          <Label htmlFor={field("tags")}>Category tags</Label>
          <Input id={field("tags")} value={tagsText} onChange={(e) => setTagsText(e.target.value)} placeholder="financial, career, personal (comma-separated)" />
        </div>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor={field("chunk")}>Source chunk</Label>
        <ChunkPicker id={field("chunk")} chunks={chunks} value={values.chunkId} onChange={(chunkId) => set({ chunkId })} />
      </div>
      {(["problem", "solution", "outcome"] as const).map((name) => (
        <div key={name} className="space-y-1.5">
          <Label htmlFor={field(name)}>{name === "problem" ? "Problem context" : name === "solution" ? "Solution action" : "Outcome"}</Label>
          <Textarea
            id={field(name)}
            value={values[name]}
            onChange={(e) => set({ [name]: e.target.value })}
            rows={2}
            maxLength={4000}
            placeholder={
              name === "problem" ? "The situation the customer brings" : name === "solution" ? "What the business helps them do" : "How it ends for the customer"
            }
          />
        </div>
      ))}
      {problem && (
        <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/10 p-2 text-sm text-destructive">
          {problem}
        </p>
      )}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
          {mode === "create" ? "Save scenario" : "Save changes"}
        </Button>
      </DialogFooter>
    </form>
  );
}
