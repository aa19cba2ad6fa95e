/**
 * Types the conversations components share, derived from the server loader's return type (type
 * imports only: nothing from the server reaches the browser bundle).
 */
import type { loadConversationsDashboard } from "@/server/dashboard";

/** Everything the conversations page renders, as loaded on the server for one table state. */
export type ConversationsDashboardData = Awaited<ReturnType<typeof loadConversationsDashboard>>;
/** One row of the conversations table. */
export type ConversationRow = ConversationsDashboardData["page"]["rows"][number];
