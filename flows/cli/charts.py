"""Trend output for people: a text table with sparklines, and charts (PNG via matplotlib, self-contained HTML/SVG)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

SPARKS = "▁▂▃▄▅▆▇█"
# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
CHART_SUFFIXES = (".png", ".html")


@dataclass(frozen=True, slots=True)
class Series:
    entity: str
    periods: list[date]
    shares: list[float | None]  # None: no articles at all in the period
    articles: list[int]
    mentions: list[int] | None  # None for a search query's series (articles only)


def series_of(trend: pl.DataFrame, order: list[str] | None = None) -> list[Series]:
    """One Series per entity of a trend() result, in the given entity_id order (else by name)."""
    ids = order or sorted(set(trend["entity_id"].to_list()))
    out = []
    for entity_id in ids:
        rows = trend.filter(pl.col("entity_id") == entity_id).sort("period")
        if rows.height:
            mentions = rows["mentions"]
            out.append(Series(rows["entity"][0], rows["period"].to_list(), rows["share"].to_list(),
                              rows["articles"].to_list(), None if mentions.is_null().all() else mentions.to_list()))
    return out


def sparkline(values: list[float | None], top: float) -> str:
    """One block per value scaled to top (a shared scale keeps rows comparable); a gap for None."""
    if top <= 0:
        return "".join(" " if v is None else SPARKS[0] for v in values)
    return "".join(" " if v is None else SPARKS[min(len(SPARKS) - 1, int(v / top * (len(SPARKS) - 1) + 0.5))]
                   for v in values)


def title_of(names: list[str], grain: str, start: date, end: date, source: str | None) -> str:
    where = f", source {source}" if source else ""
    return f"Share of articles mentioning {', '.join(names)}, per {grain}, {start} to {end}{where}"


def format_trends(series: list[Series], totals: list[int], title: str) -> str:
    """The summary table `newswire trends` prints: one row per entity with its sparkline."""
    top = max((s for one in series for s in one.shares if s is not None), default=0.0)
    width = max([len("entity"), *(len(s.entity) for s in series)])
    lines = [title, f"{sum(totals)} articles in {len(totals)} periods; sparklines share one scale "
                    f"(█ = {top:.1%} of a period's articles)", ""]
    lines.append(f"{'entity':<{width}}  {'articles':>8}  {'mentions':>8}  {'share':>6}  trend")
    for s in series:
        articles = sum(s.articles)
        share = articles / sum(totals) if sum(totals) else 0.0
        peak = max(((v, p) for v, p in zip(s.shares, s.periods) if v is not None), default=None)
        peak_text = f"  peak {peak[0]:.0%} ({peak[1]})" if peak and peak[0] > 0 else ""
        mentions = "-" if s.mentions is None else sum(s.mentions)
        lines.append(f"{s.entity:<{width}}  {articles:>8}  {mentions:>8}  {share:>6.1%}  "
                     f"{sparkline(s.shares, top)}{peak_text}")
    return "\n".join(lines)


def write_chart(series: list[Series], path: str | Path, title: str, grain: str) -> Path:
    """A line chart, one line per entity, share of articles on the y axis; .png or .html."""
    path = Path(path)
    if path.suffix.lower() not in CHART_SUFFIXES:
        raise ValueError(f"chart file {path}: the name must end in .png or .html")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".png":
        _write_png(series, path, title, grain)
    else:
        path.write_text(chart_html(series, title, grain), "utf-8")
    return path


def _write_png(series: list[Series], path: Path, title: str, grain: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import PercentFormatter

    fig, ax = plt.subplots(figsize=(10, 5), dpi=120)
    try:
        for i, s in enumerate(series):
            ys = [float("nan") if v is None else v for v in s.shares]
            ax.plot(s.periods, ys, marker="o", markersize=3, linewidth=2,
                    color=PALETTE[i % len(PALETTE)], label=s.entity)
        ax.set_title(title, fontsize=11)
        ax.set_xlabel(f"{grain} (period start)")
        ax.set_ylabel("share of articles mentioning")
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        fig.autofmt_xdate()
        fig.tight_layout()
        fig.savefig(path, format="png")
    finally:
        plt.close(fig)


def chart_html(series: list[Series], title: str, grain: str) -> str:
    """A self-contained page: inline SVG (no script, no external file), one <g class="series">
    per entity, a hover title on every point, and the numbers in a table below."""
    w, h, left, right, top, bottom = 900, 420, 70, 170, 50, 70
    periods = series[0].periods if series else []
    ymax = _nice_max(max((v for s in series for v in s.shares if v is not None), default=0.0))
    n = max(len(periods) - 1, 1)

    def x(i: int) -> float:
        return left + (w - left - right) * i / n

    def y(v: float) -> float:
        return h - bottom - (h - top - bottom) * (v / ymax)

    esc = html.escape
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" '
             f'aria-label="{esc(title)}" font-family="sans-serif" font-size="12">',
             f'<text x="{w / 2}" y="24" text-anchor="middle" font-size="15">{esc(title)}</text>']
    for k in range(5):
        v = ymax * k / 4
        parts.append(f'<line x1="{left}" x2="{w - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 8}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.0%}</text>')
    step = max(1, len(periods) // 10)
    for i, p in enumerate(periods):
        if i % step == 0:
            parts.append(f'<text x="{x(i):.1f}" y="{h - bottom + 18}" text-anchor="middle">{p}</text>')
    parts.append(f'<text x="{(left + w - right) / 2}" y="{h - 20}" text-anchor="middle">'
                 f'{esc(grain)} (period start)</text>'
                 f'<text transform="translate(18 {(top + h - bottom) / 2}) rotate(-90)" '
                 f'text-anchor="middle">share of articles mentioning</text>')
    for k, s in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        points = [(x(i), y(v), p, v, a) for i, (p, v, a) in enumerate(zip(s.periods, s.shares, s.articles))
                  if v is not None]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py, *_ in points)
        dots = "".join(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3"><title>{esc(s.entity)}, {p}: '
                       f'{v:.1%} ({a} articles)</title></circle>' for px, py, p, v, a in points)
        parts.append(f'<g class="series" data-entity="{esc(s.entity)}" fill="{colour}" stroke="{colour}">'
                     f'<polyline points="{path}" fill="none" stroke-width="2"/>{dots}'
                     f'<text x="{w - right + 12}" y="{top + 18 * k + 10}" stroke="none">'
                     f'&#9632; {esc(s.entity)}</text></g>')
    parts.append("</svg>")
    head = "".join(f"<th>{esc(s.entity)}</th>" for s in series)
    rows = "".join(
        f"<tr><td>{p}</td>" + "".join(
            f"<td>{'' if s.shares[i] is None else f'{s.shares[i]:.1%} ({s.articles[i]})'}</td>" for s in series
        ) + "</tr>" for i, p in enumerate(periods))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(title)}</title><style>body{{font-family:sans-serif;margin:2em}}"
            "table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right}</style></head>"
            f"<body>{''.join(parts)}<table><tr><th>{esc(grain)}</th>{head}</tr>{rows}</table></body></html>\n")


def _nice_max(v: float) -> float:
    """The y axis top: the data maximum rounded up to a round share (never 0)."""
    for top in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.8, 1.0):
        if v <= top:
            return top
    return v
