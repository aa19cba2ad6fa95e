"use client";

import { useRouter } from "next/navigation";
import { forgetConversationsTour } from "./conversations-tour";

/** "Take the tour again": forgets that this browser took the conversations page's tour, then opens that page, where it starts. */
export function TourAgainButton({ conversationsHref }: { conversationsHref: string }) {
  const router = useRouter();
  return (
    <button
      type="button"
      className="block px-2 text-left text-sm text-primary underline-offset-4 hover:underline"
      onClick={() => {
        forgetConversationsTour();
        router.push(conversationsHref);
      }}
    >
      Take the tour again
    </button>
  );
}
