import type { Metadata } from "next";
import { NuqsAdapter } from "nuqs/adapters/next/app";

import { ViewerProvider } from "@/components/accounts/viewer-context";
import { ThemeProvider } from "@/components/theme-provider";
import { currentViewer } from "@/server/viewer";
import { Toaster } from "@/components/ui/sonner";
import { TooltipProvider } from "@/components/ui/tooltip";
import "./globals.css";

export const metadata: Metadata = {
  title: "Bright Run",
  description: "Turn your knowledge into reviewed LoRA fine-tuning conversations.",
};

/**
 * The shell of every page: who is signed in (ViewerProvider; a workspace's layout adds their role there), theme (light / dark / system, class on <html>), URL state (nuqs),
 * tooltips (300 ms delay), and the toast region (bottom right, 5 s, stacked, with a close button).
 * The header and <main id="main-content"> come from the page's own layout (a workspace's, or the
 * start page's). Fonts are the system stack (no download).
 */
export default async function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  const viewer = await currentViewer();
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen bg-background font-sans text-foreground antialiased">
        <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange>
          <NuqsAdapter>
            <TooltipProvider delayDuration={300}>
              <ViewerProvider viewer={viewer}>{children}</ViewerProvider>
              {/* Bottom left: the preview is a panel on the right whose Approve / Reject sit at its
                  bottom, and toasts stay clickable over it (globals.css), so they must not stack there. */}
              <Toaster position="bottom-left" richColors closeButton duration={5000} />
            </TooltipProvider>
          </NuqsAdapter>
        </ThemeProvider>
      </body>
    </html>
  );
}
