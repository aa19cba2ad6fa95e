/**
 * The first-visit tour of the conversations page (issue 14 item 4; US14.2.2): its steps, and where
 * the browser remembers that it was taken or dismissed. Until preferences are stored per user
 * (issue 14 item 3) the memory is this browser's localStorage.
 */

/** localStorage key; any value means "taken or dismissed, do not start again by itself". */
export const CONVERSATIONS_TOUR_DONE_KEY = "brightrun.tour.conversations.v1";

/** One step: the element it points at (`[data-tour="…"]`) and what it says. */
export interface TourStep {
  target: string;
  title: string;
  description: string;
}

export const CONVERSATIONS_TOUR_STEPS: readonly TourStep[] = [
  {
    target: "nav",
    title: "Your workspace",
    description: "Every page of this business: plan the dataset, check its coverage, describe your customers, edit templates, add documents and choose the model in Settings.",
  },
  {
    target: "generate",
    title: "Generate",
    description: "Generate All writes every planned conversation in the background, after an estimate of cost and time and an optional spending limit. Tick rows to generate just those.",
  },
  {
    target: "filters",
    title: "Find conversations",
    description: "Search and filter by persona, emotion, topic, tier, status, quality and more. Every filter is kept in the address bar, so a view can be bookmarked.",
  },
  {
    target: "table",
    title: "Review",
    description: "Click a row (or focus it and press Enter) to read the conversation. In the preview, A approves and R rejects; ← and → move to the next one.",
  },
  {
    target: "export",
    title: "Export",
    description: "Export the approved conversations in the format your fine-tuning tool loads, with checks and a manifest (Ctrl+E or ⌘E).",
  },
  {
    target: "help",
    title: "Help is here",
    description: "The book opens the user guide; ? lists every keyboard shortcut. You can take this tour again from the guide.",
  },
];

/** The selector of a step's element. */
export const tourTarget = (target: string) => `[data-tour="${target}"]`;
