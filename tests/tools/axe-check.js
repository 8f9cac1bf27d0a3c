// Run axe-core in headless Chromium (puppeteer-core driving the system's browser) on HTML files.
// Usage: node axe-check.js CHROMIUM FILE...   Prints one JSON object: {file: [violation, ...]}.
// Rules: the WCAG 2.0 A and AA, WCAG 2.1 AA and best-practice tags, at a desktop and a phone width,
// and that no page is wider than the window at either width.
"use strict";
const path = require("path");
const fs = require("fs");
const puppeteer = require("puppeteer-core");

const TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"];
const WIDTHS = [1000, 390];

async function main() {
  const [chromium, ...files] = process.argv.slice(2);
  const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const results = {};
  try {
    const page = await browser.newPage();
    for (const file of files) {
      results[file] = [];
      for (const width of WIDTHS) {
        await page.setViewport({ width, height: 900 });
        await page.goto("file://" + path.resolve(file), { waitUntil: "load" });
        await page.evaluate(axeSource);
        const found = await page.evaluate(
          (tags) => axe.run(document, { runOnly: { type: "tag", values: tags } }),
          TAGS,
        );
        // Usable at that width: nothing wider than the window (no sideways scrolling, no overlap).
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        if (scrollWidth > width) {
          results[file].push({ width, id: "page-wider-than-window", impact: "serious",
                               help: `the page is ${scrollWidth}px wide in a ${width}px window`, nodes: [] });
        }
        for (const v of found.violations) {
          results[file].push({
            width,
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
          });
        }
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(results, null, 1) + "\n");
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\n");
  process.exit(2);
});
