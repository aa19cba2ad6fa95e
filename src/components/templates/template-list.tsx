"use client";
/**
 * The Templates page's table (issue 11 item 1; US7.1.1): name, tier, version ("v3 · v4 draft" when a
 * newer version waits), status, default marker, last updated, usage, average quality and approval
 * rate ("—" when there is nothing to average); sort by a column header and filter by tier and
 * status; the workspace option "require a successful test before activation". A row opens the editor.
 */
import { useMemo, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ArrowDown, ArrowUp, ArrowUpDown, BarChart3, Plus, Star } from "lucide-react";
import { toast } from "sonner";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { versionLabel } from "@/core/templates/template-lifecycle";
import { formatDateTime } from "@/lib/format";
import { TEMPLATE_STATUSES, TEMPLATE_STATUS_LABELS, TIERS, TIER_LABELS, type TemplateStatus, type Tier } from "@/lib/constants";
import { setRequireTemplateTestAction } from "@/server/actions/templates";
import type { TemplateListItem } from "@/server/templates";

type SortKey = "name" | "tier" | "updated" | "quality" | "approval";

const STATUS_VARIANT: Record<TemplateStatus, "success" | "secondary" | "outline"> = { active: "success", draft: "secondary", inactive: "outline" };

/** The status badge of a template, shared with the editor. */
export function TemplateStatusBadge({ status }: { status: TemplateStatus }) {
  return <Badge variant={STATUS_VARIANT[status]}>{TEMPLATE_STATUS_LABELS[status]}</Badge>;
}

function compare(a: TemplateListItem, b: TemplateListItem, key: SortKey): number {
  const nullsLast = (x: number | null, y: number | null) => (x === null && y === null ? 0 : x === null ? 1 : y === null ? -1 : x - y);
  switch (key) {
    case "name":
      return a.name.localeCompare(b.name);
    case "tier":
      return TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier) || a.name.localeCompare(b.name);
    case "updated":
      return a.updatedAt.localeCompare(b.updatedAt);
    case "quality":
      return nullsLast(a.averageQuality, b.averageQuality);
    case "approval":
      return nullsLast(a.approvalRate, b.approvalRate);
  }
}

export function TemplateList({ templates, requireTemplateTest, readOnly }: { templates: TemplateListItem[]; requireTemplateTest: boolean; readOnly: boolean }) {
  const { slug, paths } = useWorkspace();
  const router = useRouter();
  const [tier, setTier] = useState<Tier | "all">("all");
  const [status, setStatus] = useState<TemplateStatus | "all">("all");
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: "tier", desc: false });
  const [requireTest, setRequireTest] = useState(requireTemplateTest);
  const [pending, startTransition] = useTransition();

  const rows = useMemo(() => {
    const filtered = templates.filter((t) => (tier === "all" || t.tier === tier) && (status === "all" || t.status === status));
    const sorted = [...filtered].sort((a, b) => compare(a, b, sort.key));
    if (!sort.desc) return sorted;
    // Descending, but templates without a figure stay last.
    const missing = (t: TemplateListItem) => (sort.key === "quality" ? t.averageQuality === null : sort.key === "approval" ? t.approvalRate === null : false);
    return [...sorted.filter((t) => !missing(t)).reverse(), ...sorted.filter(missing)];
  }, [templates, tier, status, sort]);

  const toggleRequireTest = (value: boolean) => {
    setRequireTest(value);
    startTransition(async () => {
      const result = await setRequireTemplateTestAction(slug, { requireTemplateTest: value });
      if (!result.ok) {
        setRequireTest(!value);
        toast.error(result.error.message);
        return;
      }
      toast.success(value ? "A version must now pass a test before it is activated." : "Versions can be activated without a test.");
      router.refresh();
    });
  };

  const header = (key: SortKey, label: string, className?: string) => {
    const active = sort.key === key;
    const Icon = !active ? ArrowUpDown : sort.desc ? ArrowDown : ArrowUp;
    return (
      <TableHead className={className} aria-sort={active ? (sort.desc ? "descending" : "ascending") : "none"}>
        <button
          type="button"
          className="inline-flex items-center gap-1 hover:text-foreground"
          onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key === "quality" || key === "approval" || key === "updated" }))}
        >
          {label}
          <Icon className="size-3.5" aria-hidden />
          <span className="sr-only">sort</span>
        </button>
      </TableHead>
    );
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <div className="flex items-center gap-2">
          <Label htmlFor="template-tier-filter" className="text-sm text-muted-foreground">
            Tier
          </Label>
          <Select value={tier} onValueChange={(v) => setTier(v as Tier | "all")}>
            <SelectTrigger id="template-tier-filter" className="w-36" aria-label="Filter by tier">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">All tiers</SelectItem>
              {TIERS.map((t) => (
                <SelectItem key={t} value={t}>
                  {TIER_LABELS[t]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <div className="flex items-center gap-2">
          <Label htmlFor="template-status-filter" className="text-sm text-muted-foreground">
            Status
          </Label>
          <Select value={status} onValueChange={(v) => setStatus(v as TemplateStatus | "all")}>
            <SelectTrigger id="template-status-filter" className="w-36" aria-label="Filter by status">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">All statuses</SelectItem>
              {TEMPLATE_STATUSES.map((s) => (
                <SelectItem key={s} value={s}>
                  {TEMPLATE_STATUS_LABELS[s]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <div className="flex items-center gap-2 rounded-md border px-3 py-1.5">
          <Switch id="require-template-test" checked={requireTest} disabled={pending || readOnly} onCheckedChange={toggleRequireTest} />
          <Label htmlFor="require-template-test" className="text-sm">
            Require a successful test before activation
          </Label>
        </div>
        <div className="ml-auto flex items-center gap-2">
          <Button asChild variant="outline">
            <Link href={paths.templateAnalytics()}>
              <BarChart3 aria-hidden /> Analytics
            </Link>
          </Button>
          {!readOnly && (
            <Button asChild>
              <Link href={paths.newTemplate(tier === "all" ? "" : `tier=${tier}`)}>
                <Plus aria-hidden /> New template
              </Link>
            </Button>
          )}
        </div>
      </div>

      {templates.length === 0 ? (
        <div className="rounded-lg border border-dashed p-10 text-center">
          <p className="font-medium">No prompt templates in this workspace yet.</p>
          <p className="mt-1 text-sm text-muted-foreground">
            Conversations are generated from a template of their tier. Write one with New template, or import a templates file (brightrun import templates.json).
          </p>
        </div>
      ) : rows.length === 0 ? (
        <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">No template matches these filters. Choose All tiers and All statuses to see every template.</p>
      ) : (
        <div className="rounded-md border">
          <Table aria-label="Prompt templates">
            <TableHeader>
              <TableRow>
                {header("name", "Name")}
                {header("tier", "Tier")}
                <TableHead>Version</TableHead>
                <TableHead>Status</TableHead>
                {header("updated", "Last updated")}
                <TableHead className="text-right">Used by</TableHead>
                {header("quality", "Avg quality", "text-right")}
                {header("approval", "Approval", "text-right")}
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((t) => (
                <TableRow key={t.id} className="cursor-pointer" onClick={() => router.push(paths.template(t.key))}>
                  <TableCell className="font-medium">
                    <Link href={paths.template(t.key)} className="hover:underline" onClick={(e) => e.stopPropagation()}>
                      {t.name}
                    </Link>
                    {t.isDefault && (
                      <span className="ml-2 inline-flex items-center gap-1 text-xs text-muted-foreground" title={`The default ${TIER_LABELS[t.tier]} template`}>
                        <Star className="size-3 fill-current" aria-hidden /> default
                      </span>
                    )}
                  </TableCell>
                  <TableCell>{TIER_LABELS[t.tier]}</TableCell>
                  <TableCell className="tabular-nums">{versionLabel({ current: t.currentVersion, latest: t.latestVersion })}</TableCell>
                  <TableCell>
                    <TemplateStatusBadge status={t.status} />
                  </TableCell>
                  <TableCell className="text-muted-foreground" title={t.updatedAt}>
                    {formatDateTime(t.updatedAt)}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{t.usageCount}</TableCell>
                  <TableCell className="text-right tabular-nums" title={t.scoredCount ? `Mean quality score of ${t.scoredCount} scored conversations` : "No scored conversations yet"}>
                    {t.averageQuality === null ? "—" : t.averageQuality.toFixed(1)}
                  </TableCell>
                  <TableCell
                    className="text-right tabular-nums"
                    title={t.approvalRate === null ? "No conversation reviewed yet" : `${t.approvedCount} approved, ${t.rejectedCount} rejected`}
                  >
                    {t.approvalRate === null ? "—" : `${Math.round(t.approvalRate * 100)} %`}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </div>
  );
}
