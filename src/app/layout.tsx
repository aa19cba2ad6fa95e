import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: "Bright Run",
  description: "Turn your knowledge into reviewed LoRA fine-tuning conversations.",
};

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">{children}</body>
    </html>
  );
}
