/**
 * Reads a ZIP back for tests with yauzl, a different library from the one that writes Bright
 * Run's export ZIPs (fflate), so a test checks the archive as other tools see it.
 */
import yauzl from "yauzl";

/** Every entry of the ZIP file at `file`, in archive order, as name → UTF-8 text. Rejects on a damaged archive. */
export function readZipEntries(file: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error(`${file} could not be opened as a ZIP`));
      const entries = new Map<string, string>();
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error(`${entry.fileName} could not be read`));
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("end", () => {
            entries.set(entry.fileName, Buffer.concat(chunks).toString("utf8"));
            zip.readEntry();
          });
          stream.on("error", reject);
        });
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}
