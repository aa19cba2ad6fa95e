"use client";
/**
 * Names for the user ids that logs record (review_logs.reviewer_id, export_logs.user_id,
 * generation_logs.user_id, generation_runs.created_by): an account's better-auth id shows as its
 * name, the CLI's local owner "local:<name>" as "<name> (CLI)". The workspace layout provides the
 * installation's accounts.
 */
import { createContext, useContext } from "react";

const UserNamesContext = createContext<Record<string, string>>({});

/** Provides id → name for the page's client components. */
export function UserNamesProvider({ names, children }: { names: Record<string, string>; children: React.ReactNode }) {
  return <UserNamesContext.Provider value={names}>{children}</UserNamesContext.Provider>;
}

/** The display name of a recorded user id (the id itself when unknown: a deleted account). */
export function displayUserName(id: string | null | undefined, names: Record<string, string>): string {
  if (!id) return "unknown";
  if (names[id]) return names[id];
  if (id.startsWith("local:")) return `${id.slice("local:".length)} (CLI)`;
  return id;
}

/** A hook form of displayUserName. */
export function useUserName(): (id: string | null | undefined) => string {
  const names = useContext(UserNamesContext);
  return (id) => displayUserName(id, names);
}

/** A recorded user id, shown as the person's name (with the id as its title). */
export function UserName({ id }: { id: string | null | undefined }) {
  const name = useUserName()(id);
  return <span title={id ?? undefined}>{name}</span>;
}
