import type { Metadata } from "next";
import Link from "next/link";
import { GuideFrame } from "@/components/guide/guide-frame";
import { loadGuide } from "@/server/guide";

export const metadata: Metadata = { title: "User guide · Bright Run" };
// Reads docs/guide/ and the workspaces on every request.
export const dynamic = "force-dynamic";

/** `/guide`: the user guide's contents: every section with its parts, and the search box. */
export default async function GuidePage() {
  const sections = await loadGuide();
  return (
    <GuideFrame sections={sections} current={null}>
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">User guide</h1>
        <p className="mt-1 text-sm text-muted-foreground">How to plan, generate, review and export training conversations with Bright Run. Press ? anywhere for the keyboard shortcuts.</p>
      </div>
      <ol className="grid gap-3 sm:grid-cols-2">
        {sections.map((s) => (
          <li key={s.slug} className="rounded-lg border bg-card p-4">
            <Link href={`/guide/${s.slug}`} className="font-medium text-primary underline-offset-4 hover:underline">
              {s.title}
            </Link>
            <ul className="mt-2 space-y-0.5 text-sm text-muted-foreground">
              {s.headings.map((h) => (
                <li key={h.anchor}>
                  <Link href={`/guide/${s.slug}#${h.anchor}`} className="hover:text-foreground hover:underline">
                    {h.text}
                  </Link>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </GuideFrame>
  );
}
