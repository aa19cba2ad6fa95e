/**
 * Saves a recharts chart as a PNG in the browser (issue 13 item 1, "export each chart as an image"):
 * the chart's SVG is copied with the page's text colour and font, drawn on a canvas under the chart's
 * title and over the page's background, with its legend drawn beneath (recharts draws legends as
 * HTML, outside the SVG), and downloaded. No server round trip, no extra package.
 */

/** A legend entry drawn under the chart: a colour swatch and its label. */
export interface PngLegendItem {
  label: string;
  color: string;
}

/** Pixels per CSS pixel of the PNG (2: sharp on high-density screens and in slides). */
const SCALE = 2;
const TITLE_HEIGHT = 32;
const LEGEND_ROW_HEIGHT = 22;
const PADDING = 12;

/**
 * Draws the first `svg.recharts-surface` inside `container` into a PNG named `fileName` and starts
 * its download. Throws an Error with a plain-English message when the chart has no SVG (not drawn
 * yet) or the browser cannot render the image.
 */
export async function downloadChartPng({ container, fileName, title, legend = [] }: { container: HTMLElement; fileName: string; title: string; legend?: PngLegendItem[] }): Promise<void> {
  const svg = container.querySelector<SVGSVGElement>("svg.recharts-surface");
  if (!svg) throw new Error("The chart is not drawn yet, so there is nothing to save. Wait a moment and try again.");
  const { width, height } = svg.getBoundingClientRect();
  const style = getComputedStyle(container);
  const background = getComputedStyle(document.body).backgroundColor || "#ffffff";
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("width", String(width));
  clone.setAttribute("height", String(height));
  clone.setAttribute("style", `color: ${style.color}; font-family: ${style.fontFamily}; font-size: 12px;`);
  const svgUrl = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: "image/svg+xml;charset=utf-8" }));
  try {
    const image = await loadImage(svgUrl);
    const legendRows = legend.length ? Math.ceil(legend.length / 4) : 0;
    const canvas = document.createElement("canvas");
    const cssWidth = Math.ceil(width) + PADDING * 2;
    const cssHeight = TITLE_HEIGHT + Math.ceil(height) + legendRows * LEGEND_ROW_HEIGHT + PADDING * 2;
    canvas.width = cssWidth * SCALE;
    canvas.height = cssHeight * SCALE;
    const context = canvas.getContext("2d");
    if (!context) throw new Error("This browser cannot draw the image (no canvas). Use the CSV or the table instead.");
    context.scale(SCALE, SCALE);
    context.fillStyle = background;
    context.fillRect(0, 0, cssWidth, cssHeight);
    context.fillStyle = style.color;
    context.font = `600 15px ${style.fontFamily}`;
    context.textBaseline = "middle";
    context.fillText(title, PADDING, PADDING + TITLE_HEIGHT / 2 - 4);
    context.drawImage(image, PADDING, PADDING + TITLE_HEIGHT, width, height);
    context.font = `12px ${style.fontFamily}`;
    const columnWidth = (cssWidth - PADDING * 2) / 4;
    legend.forEach((item, index) => {
      const x = PADDING + (index % 4) * columnWidth;
      const y = PADDING + TITLE_HEIGHT + height + Math.floor(index / 4) * LEGEND_ROW_HEIGHT + LEGEND_ROW_HEIGHT / 2;
      context.fillStyle = item.color;
      context.fillRect(x, y - 6, 12, 12);
      context.fillStyle = style.color;
      context.fillText(item.label, x + 18, y, columnWidth - 24);
    });
    const png = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
    if (!png) throw new Error("The browser could not make the PNG. Use the CSV or the table instead.");
    const link = document.createElement("a");
    link.href = URL.createObjectURL(png);
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  } finally {
    URL.revokeObjectURL(svgUrl);
  }
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error("The browser could not read the chart's drawing. Use the CSV or the table instead."));
    image.src = url;
  });
}
