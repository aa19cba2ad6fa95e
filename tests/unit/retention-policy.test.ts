/**
 * Retention window maths and the checks on what a user enters (issue 13 item 6).
 */
import { describe, expect, it } from "vitest";
import { exportPathToRemove } from "../../src/core/retention/enforce-retention";
import { checkRetentionSettings, DEFAULT_RETENTION, MAX_RETENTION_DAYS, QUERY_TIMING_RETENTION_DAYS, retentionCutoffs } from "../../src/core/retention/retention-policy";

const DAY = 86_400_000;

describe("retentionCutoffs", () => {
  it("subtracts whole days of 24 hours from now, for each window", () => {
    const now = new Date("2026-11-29T15:00:00.000Z");
    const cutoffs = retentionCutoffs({ generationLogRetentionDays: 90, exportRetentionDays: 365, payloadRetentionDays: 7, redactPii: false }, now);
    expect(cutoffs.generationLogsBefore.toISOString()).toBe("2026-08-31T15:00:00.000Z");
    expect(cutoffs.exportsBefore.toISOString()).toBe("2025-11-29T15:00:00.000Z");
    expect(cutoffs.payloadsBefore?.toISOString()).toBe("2026-11-22T15:00:00.000Z");
    expect(cutoffs.queryTimingsBefore.getTime()).toBe(now.getTime() - QUERY_TIMING_RETENTION_DAYS * DAY);
  });

  it("is not shifted by a daylight-saving change (UTC days)", () => {
    const now = new Date("2026-03-30T12:00:00.000Z");
    expect(retentionCutoffs({ ...DEFAULT_RETENTION, generationLogRetentionDays: 2 }, now).generationLogsBefore.toISOString()).toBe("2026-03-28T12:00:00.000Z");
  });

  it("has no payload cut-off while payloads are kept with their row", () => {
    expect(retentionCutoffs(DEFAULT_RETENTION, new Date()).payloadsBefore).toBeNull();
  });
});

describe("checkRetentionSettings", () => {
  it("accepts the defaults (90 and 365 days) and a payload window shorter than the log's", () => {
    expect(DEFAULT_RETENTION).toMatchObject({ generationLogRetentionDays: 90, exportRetentionDays: 365, payloadRetentionDays: null });
    expect(checkRetentionSettings(DEFAULT_RETENTION)).toEqual(DEFAULT_RETENTION);
    expect(checkRetentionSettings({ ...DEFAULT_RETENTION, payloadRetentionDays: 30 }).payloadRetentionDays).toBe(30);
  });

  it.each([
    [{ generationLogRetentionDays: 0 }, /Keep generation logs for must be a whole number of days from 1 to 3650 \(got 0\)/],
    [{ generationLogRetentionDays: 1.5 }, /Keep generation logs for/],
    [{ exportRetentionDays: MAX_RETENTION_DAYS + 1 }, /Keep exports and export logs for .* \(got 3651\)/],
    [{ exportRetentionDays: Number.NaN }, /got nothing/],
    [{ payloadRetentionDays: -3 }, /Drop request and response payloads after/],
    [{ payloadRetentionDays: 90 }, /Enter fewer days than 90, or leave it empty/],
  ])("refuses %o with a message saying what to enter", (change, message) => {
    expect(() => checkRetentionSettings({ ...DEFAULT_RETENTION, ...change })).toThrow(message);
  });
});

describe("exportPathToRemove", () => {
  it("removes the export's own folder, or only its file when the folder is shared", () => {
    expect(exportPathToRemove({ exportId: "exp-abc", filePath: "/data/exports/dataset-openai-exp-abc/train.jsonl" })).toBe("/data/exports/dataset-openai-exp-abc");
    expect(exportPathToRemove({ exportId: "exp-abc", filePath: "/data/exports/train.jsonl" })).toBe("/data/exports/train.jsonl");
  });
});
