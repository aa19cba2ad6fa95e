"use client";

import { PrinterIcon } from "lucide-react";
import { Button } from "@/components/ui/button";

/** "Print or save as PDF" on the one-page guide: opens the browser's print dialog (where "Save as PDF" is a destination). */
export function PrintGuideButton() {
  return (
    <Button variant="outline" size="sm" onClick={() => window.print()} className="print:hidden">
      <PrinterIcon aria-hidden="true" />
      Print or save as PDF
    </Button>
  );
}
