"use client";

import { useEffect } from "react";
import { driver } from "driver.js";
import "driver.js/dist/driver.css";
import { CONVERSATIONS_TOUR_DONE_KEY, CONVERSATIONS_TOUR_STEPS, tourTarget } from "@/lib/conversations-tour";

function tourDone(): boolean {
  try {
    return window.localStorage.getItem(CONVERSATIONS_TOUR_DONE_KEY) !== null;
  } catch {
    return true; // storage blocked: never nag on every visit
  }
}

function markTourDone(): void {
  try {
    window.localStorage.setItem(CONVERSATIONS_TOUR_DONE_KEY, new Date().toISOString());
  } catch {
    // storage blocked: nothing to remember with
  }
}

/** Forgets that the tour was taken, so the conversations page starts it again on the next visit. */
export function forgetConversationsTour(): void {
  try {
    window.localStorage.removeItem(CONVERSATIONS_TOUR_DONE_KEY);
  } catch {
    // storage blocked
  }
}

/**
 * The conversations page's first-visit tour (driver.js): six steps over the header, Generate,
 * the filters, the table, Export and the help buttons (src/lib/conversations-tour.ts). Starts once
 * the page's elements are there, unless this browser has seen it already (remembered when it
 * starts); Esc, the × and Done close it. Renders nothing itself.
 */
export function ConversationsTour() {
  useEffect(() => {
    if (tourDone()) return;
    const steps = CONVERSATIONS_TOUR_STEPS.filter((step) => document.querySelector(tourTarget(step.target)));
    if (steps.length === 0) return;
    const tour = driver({
      showProgress: true,
      progressText: "{{current}} of {{total}}",
      nextBtnText: "Next",
      prevBtnText: "Back",
      doneBtnText: "Done",
      allowClose: true,
      popoverClass: "brightrun-tour",
      steps: steps.map((step) => ({ element: tourTarget(step.target), popover: { title: step.title, description: step.description } })),
      onDestroyed: markTourDone,
    });
    // After the first paint, so the targets have their final layout. Remembered as seen as soon as
    // it starts: a first-visit tour, so a reload (or a re-render that ends it) does not start it again.
    const timer = window.setTimeout(() => {
      markTourDone();
      tour.drive();
    }, 400);
    return () => {
      window.clearTimeout(timer);
      if (tour.isActive()) tour.destroy();
    };
  }, []);
  return null;
}
