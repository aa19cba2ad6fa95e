/**
 * Status presentation shared by the badge, the legend and the Status filter (US2.2.1: gray not
 * generated, blue generating, green generated / approved, red failed / rejected, each with an icon).
 * Options are plain data, as in the shadcn tasks example, so the cell and the filter agree.
 */
import { AlertTriangle, CheckCircle2, CircleCheckBig, CircleDashed, Loader2, XCircle, type LucideIcon } from "lucide-react";
import { CONVERSATION_STATUSES, STATUS_LABELS, type ConversationStatus } from "@/lib/constants";

export interface StatusOption {
  value: ConversationStatus;
  label: string;
  icon: LucideIcon;
  /** Badge colours (light and dark). */
  className: string;
  /** One line for the legend. */
  meaning: string;
}

const STYLE: Record<ConversationStatus, Omit<StatusOption, "value" | "label">> = {
  not_generated: {
    icon: CircleDashed,
    className: "border-zinc-300 bg-zinc-100 text-zinc-700 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
    meaning: "Planned, not generated yet",
  },
  generating: {
    icon: Loader2,
    className: "border-blue-300 bg-blue-50 text-blue-800 dark:border-blue-800 dark:bg-blue-950 dark:text-blue-200",
    meaning: "The model is writing it now",
  },
  generated: {
    icon: CheckCircle2,
    className: "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
    meaning: "Ready for review",
  },
  approved: {
    icon: CircleCheckBig,
    className: "border-emerald-600 bg-emerald-600 text-white dark:border-emerald-500 dark:bg-emerald-600 dark:text-white",
    meaning: "Reviewed and kept for training",
  },
  rejected: {
    icon: XCircle,
    className: "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200",
    meaning: "Reviewed and left out of exports",
  },
  failed: {
    icon: AlertTriangle,
    className: "border-red-600 bg-red-600 text-white dark:border-red-500 dark:bg-red-700 dark:text-white",
    meaning: "Generation failed; click the badge for the cause",
  },
};

export const STATUS_OPTIONS: StatusOption[] = CONVERSATION_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value], ...STYLE[value] }));

export function statusOption(status: ConversationStatus): StatusOption {
  return { value: status, label: STATUS_LABELS[status], ...STYLE[status] };
}
