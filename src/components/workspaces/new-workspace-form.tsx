"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Loader2 } from "lucide-react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { workspacePaths } from "@/lib/workspace-paths";
import { slugify } from "@/lib/workspace-slug";
import { createWorkspaceAction } from "@/server/actions/workspaces";

/**
 * New workspace: the business's name, what it does and its voice (the system prompt of the
 * assistant being trained). It starts empty — no sample, no plan — and opens on its Documents page.
 */
export function NewWorkspaceForm({ onCreated, autoFocus = true }: { onCreated?: () => void; autoFocus?: boolean }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [voice, setVoice] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const slug = slugify(name);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    startTransition(async () => {
      const result = await createWorkspaceAction({ name, description, trainingSystemPrompt: voice });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      toast.success(`Created "${name.trim()}". Its checklist shows what to do next.`);
      onCreated?.();
      router.push(workspacePaths(result.data.slug).getStarted);
    });
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="New workspace">
      <div className="space-y-1.5">
        <Label htmlFor="workspace-name">Business name</Label>
        <Input id="workspace-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} autoFocus={autoFocus} placeholder="e.g. Acme Bakery" />
        <p className="text-xs text-muted-foreground">Its web address will be /w/{slug || "…"} (made unique if taken).</p>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="workspace-description">What it does</Label>
        <Textarea
          id="workspace-description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          maxLength={4000}
          rows={3}
          placeholder="A family bakery selling sourdough and custom cakes; customers ask about allergens, orders and delivery."
        />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="workspace-voice">Its voice (the training system prompt)</Label>
        <Textarea
          id="workspace-voice"
          value={voice}
          onChange={(e) => setVoice(e.target.value)}
          maxLength={20000}
          rows={4}
          placeholder="You are the assistant of Acme Bakery. Answer warmly and briefly, in plain words…"
        />
        <p className="text-xs text-muted-foreground">The first message of every exported conversation. You can leave it empty and add it later.</p>
      </div>
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
      <Button type="submit" disabled={pending || name.trim() === ""}>
        {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
        Create workspace
      </Button>
    </form>
  );
}
