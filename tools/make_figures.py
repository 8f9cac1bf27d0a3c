"""The figures of source/c-111-3, drawn from the figures of its own tables (run from the repository's root).

    python tools/make_figures.py

``budget-by-item.svg``: the Administrative Part of the Budget, 2020 and 2021, by item (table 1), a
bar chart written as SVG by hand: no text but the years, so one file serves every edition (each
edition's title says what it shows). ``posts-by-grade.png``: the posts by grade (table 3) as a PNG drawn
with Pillow (which WeasyPrint brings), each bar under its number of posts and over its grade's code
("D-2", "P-5": the same in every language), in Liberation Serif (``./setup.sh`` installs it). Both are
deterministic: the same script and font give the same bytes.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FOLDER = Path(__file__).resolve().parent.parent / "source" / "c-111-3"
BUDGET = {  # table 1, in thousands of Swiss francs: item → (2020, 2021)
    "staff": (18734.6, 19102.3), "office": (6120.4, 6288.0), "travel": (845.2, 812.9), "support": (2310.0, 2390.5)}
FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
POSTS = [("D-2", 2), ("D-1", 9), ("P-5", 31), ("P-4", 58), ("P-3", 64), ("P-2", 40), ("G-7", 12), ("G-6", 55)]


def budget_svg() -> str:
    width, height, left, bottom, top = 560, 260, 40, 220, 20
    scale = (bottom - top) / 20000
    group = (width - left - 20) / len(BUDGET)
    shapes = [f'<line x1="{left}" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="#000" stroke-width="1"/>']
    for tick in range(0, 20001, 5000):
        y = bottom - tick * scale
        shapes.append(f'<line x1="{left - 4}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#ccc" '
                      'stroke-width="0.5"/>')
    for index, (y2020, y2021) in enumerate(BUDGET.values()):
        x = left + index * group + group * 0.15
        for offset, value, fill in ((0, y2020, "#9bb7d4"), (group * 0.35, y2021, "#1f4e79")):
            h = value * scale
            shapes.append(f'<rect x="{x + offset:.1f}" y="{bottom - h:.1f}" width="{group * 0.33:.1f}" '
                          f'height="{h:.1f}" fill="{fill}"/>')
    legend = ('<rect x="420" y="24" width="12" height="12" fill="#9bb7d4"/>'
              '<text x="438" y="35" font-family="Liberation Serif, serif" font-size="13">2020</text>'
              '<rect x="480" y="24" width="12" height="12" fill="#1f4e79"/>'
              '<text x="498" y="35" font-family="Liberation Serif, serif" font-size="13">2021</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">\n' + "\n".join(shapes) + "\n" + legend + "\n</svg>\n")


def posts_png() -> bytes:
    width, height, left, bottom = 640, 310, 30, 270
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 16)
    draw.line([(left, bottom), (width - 10, bottom)], fill="black", width=1)
    step = (width - left - 20) / len(POSTS)
    for index, (grade, posts) in enumerate(POSTS):
        x = left + index * step + step * 0.2
        top = bottom - posts * 3.6
        draw.rectangle([(x, top), (x + step * 0.6, bottom - 1)], fill=(31, 78, 121))
        middle = x + step * 0.3
        draw.text((middle, top - 4), str(posts), fill="black", font=font, anchor="md")
        draw.text((middle, bottom + 6), grade, fill="black", font=font, anchor="mt")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def main() -> None:
    (FOLDER / "budget-by-item.svg").write_text(budget_svg(), encoding="utf-8")
    (FOLDER / "posts-by-grade.png").write_bytes(posts_png())


if __name__ == "__main__":
    main()
