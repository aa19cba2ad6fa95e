import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors";
import { parseFrontMatter } from "../../src/core/import/front-matter";
import { documentFrontMatterSchema } from "../../src/core/import/schemas";

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("parseFrontMatter", () => {
  it("returns {} and the whole text when there is no front matter", () => {
    const text = "# Title\n\nBody text.\n";
    expect(parseFrontMatter(text, "notes/x.md")).toEqual({ data: {}, body: text, bodyStartLine: 1 });
  });

  it("parses a YAML block and reports where the body starts", () => {
    const text = "---\nkey: roth-guide\ntitle: Roth Guide\ncategory: Proprietary Strategies\n---\n# Roth Guide\n\nBody.\n";
    const result = parseFrontMatter(text, "notes/roth.md");
    expect(result.data).toEqual({ key: "roth-guide", title: "Roth Guide", category: "Proprietary Strategies" });
    expect(result.body).toBe("# Roth Guide\n\nBody.\n");
    expect(result.bodyStartLine).toBe(6);
    expect(documentFrontMatterSchema.parse(result.data)).toEqual(result.data);
  });

  it("accepts an empty block, a byte-order mark, Windows line endings and a '...' closing fence", () => {
    expect(parseFrontMatter("---\n---\nBody", "a.md")).toEqual({ data: {}, body: "Body", bodyStartLine: 3 });
    expect(parseFrontMatter("\uFEFF---\r\ntitle: Hello\r\n...\r\nBody\r\n", "b.md")).toEqual({
      data: { title: "Hello" },
      body: "Body\n",
      bodyStartLine: 4,
    });
  });

  it("does not treat a later horizontal rule as front matter", () => {
    const text = "Intro\n---\nmore\n---\n";
    expect(parseFrontMatter(text, "c.md")).toEqual({ data: {}, body: text, bodyStartLine: 1 });
  });

  it("reports invalid YAML as import_invalid naming the file and line", () => {
    const error = thrown(() => parseFrontMatter("---\ntitle: A\ntitle: B\n---\nBody\n", "notes/x.md"));
    expect(error.code).toBe("import_invalid");
    expect(error.message).toMatch(/^notes\/x\.md line 3: front matter is not valid YAML: Map keys must be unique/);
    expect(error.detail).toMatchObject({ file: "notes/x.md", line: 3 });

    const flow = thrown(() => parseFrontMatter("---\nkey: guide\ntitle: Guide\ncategory: [a, b\n---\nBody\n", "notes/y.md"));
    expect(flow.code).toBe("import_invalid");
    expect(flow.message).toMatch(/^notes\/y\.md line [45]: front matter is not valid YAML: /);
    expect(flow.message).not.toContain("\n");
  });

  it("reports a missing closing fence", () => {
    const error = thrown(() => parseFrontMatter("---\ntitle: A\n\n# Heading\nBody\n", "notes/z.md"));
    expect(error.code).toBe("import_invalid");
    expect(error.message).toMatch(/^notes\/z\.md line 1: .*no closing "---" line/);
  });
});
