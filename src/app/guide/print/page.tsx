import type { Metadata } from "next";
import { GuideFrame } from "@/components/guide/guide-frame";
import { GuideMarkdown } from "@/components/guide/guide-markdown";
import { PrintGuideButton } from "@/components/guide/print-guide-button";
import { screenshotsIn } from "@/lib/guide";
import { availableGuideScreenshots, loadGuide } from "@/server/guide";

export const metadata: Metadata = { title: "User guide (all sections) · Bright Run" };
// Reads docs/guide/ and the workspaces on every request.
export const dynamic = "force-dynamic";

/** `/guide/print`: every section on one page, for the browser's print dialog ("Save as PDF"); each section starts a new printed page. */
export default async function GuidePrintPage() {
  const sections = await loadGuide();
  const screenshots = [...(await availableGuideScreenshots(sections.flatMap((s) => screenshotsIn(s.markdown))))];
  return (
    <GuideFrame sections={sections} current={null}>
      <div className="flex items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Bright Run user guide</h1>
        <PrintGuideButton />
      </div>
      {sections.map((s) => (
        <article key={s.slug} aria-labelledby={`print-${s.slug}`} className="break-before-page first-of-type:break-before-auto">
          <h2 id={`print-${s.slug}`} className="mt-8 text-xl font-semibold tracking-tight">
            {s.title}
          </h2>
          <GuideMarkdown markdown={s.markdown} screenshots={screenshots} />
        </article>
      ))}
    </GuideFrame>
  );
}
