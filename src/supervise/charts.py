"""Charts as inline SVG, drawn in Python: they need no JavaScript library and no network, so the
HTML report works offline and the notebook shows the same pictures (IPython.display.SVG)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei','WenQuanYi Zen Hei',sans-serif"
COLORS = {"error": "#c62828", "warn": "#f9a825", "bar": "#1565c0", "grid": "#e0e0e0", "text": "#212121",
          "muted": "#757575"}


@dataclass(frozen=True)
class Segment:
    series: str  # the legend name (错误, 警告)
    value: float
    color: str


@dataclass(frozen=True)
class Bar:
    label: str
    segments: tuple[Segment, ...]
    key: str = ""  # what the HTML report filters its tables by when the bar is clicked

    @property
    def total(self) -> float:
        return sum(s.value for s in self.segments)


def _text_width(text: str, size: float) -> float:
    """Approximate rendered width: CJK characters are square, others about half as wide."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.55 for ch in text)


def _svg(width: float, height: float, name: str, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{escape(name)}" '
        f'role="img" width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'font-family="{FONT}" font-size="12">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>")


def hbar_chart(name: str, title: str, bars: Sequence[Bar], *, value_format: Callable[[float], str] = str,
               max_value: float | None = None, width: int = 760) -> str:
    """Horizontal bars, stacked by segment, one row per label, the total written at the end."""
    row_h, gap, top = 22, 6, 36
    label_w = min(320.0, max([_text_width(b.label, 12) for b in bars] + [60.0]) + 12)
    value_w = 70
    plot_w = width - label_w - value_w - 10
    top_value = max_value if max_value is not None else max([b.total for b in bars] + [1.0])
    top_value = top_value or 1.0
    series: dict[str, str] = {}
    body = [f'<text x="0" y="16" font-size="14" font-weight="bold" fill="{COLORS["text"]}">{escape(title)}</text>']
    height = top + len(bars) * (row_h + gap) + 24
    for i in range(5):
        x = label_w + plot_w * i / 4
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 24}" stroke="{COLORS["grid"]}"/>')
        body.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" fill="{COLORS["muted"]}" '
                    f'font-size="10">{escape(value_format(top_value * i / 4))}</text>')
    for i, bar in enumerate(bars):
        y = top + i * (row_h + gap)
        body.append(f'<g class="mark" data-key="{escape(bar.key or bar.label)}" tabindex="0">')
        body.append(f'<text x="{label_w - 8:.1f}" y="{y + row_h * 0.7:.1f}" text-anchor="end" '
                    f'fill="{COLORS["text"]}">{escape(bar.label)}</text>')
        x = label_w
        for seg in bar.segments:
            series.setdefault(seg.series, seg.color)
            w = plot_w * seg.value / top_value
            if w > 0:
                body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h}" fill="{seg.color}">'
                            f"<title>{escape(bar.label)} {escape(seg.series)}: {escape(value_format(seg.value))}"
                            f"</title></rect>")
            x += w
        body.append(f'<text x="{x + 6:.1f}" y="{y + row_h * 0.7:.1f}" fill="{COLORS["text"]}">'
                    f"{escape(value_format(bar.total))}</text></g>")
    lx = label_w
    for series_name, color in series.items():
        if len(series) < 2:
            break
        body.append(f'<rect x="{lx:.1f}" y="22" width="10" height="10" fill="{color}"/>')
        body.append(f'<text x="{lx + 14:.1f}" y="31" fill="{COLORS["text"]}">{escape(series_name)}</text>')
        lx += 24 + _text_width(series_name, 12)
    return _svg(width, height, name, title, body)


def _heat_color(value: float, top: float) -> str:
    """White (0) to deep red (the largest value)."""
    if value <= 0 or top <= 0:
        return "#f5f5f5"
    t = min(1.0, value / top)
    low, high = (255, 235, 238), (183, 28, 28)
    return "#" + "".join(f"{round(a + (c - a) * t):02x}" for a, c in zip(low, high, strict=True))


def heatmap(name: str, title: str, rows: Sequence[str], columns: Sequence[str],
            values: dict[tuple[str, str], float], *, width: int | None = None) -> str:
    """A grid of rows × columns; each cell coloured by its value and labelled with it (blank when
    the pair has no data)."""
    cell_w, cell_h, top = 64, 26, 48
    label_w = min(360.0, max([_text_width(r, 12) for r in rows] + [60.0]) + 12)
    width = width or int(label_w + cell_w * max(1, len(columns)) + 10)
    height = top + cell_h * len(rows) + 10
    top_value = max(list(values.values()) + [0.0])
    body = [f'<text x="0" y="16" font-size="14" font-weight="bold" fill="{COLORS["text"]}">{escape(title)}</text>']
    for j, col in enumerate(columns):
        x = label_w + j * cell_w + cell_w / 2
        body.append(f'<text x="{x:.1f}" y="{top - 8}" text-anchor="middle" fill="{COLORS["text"]}">{escape(col)}</text>')
    for i, row in enumerate(rows):
        y = top + i * cell_h
        body.append(f'<text x="{label_w - 8:.1f}" y="{y + cell_h * 0.65:.1f}" text-anchor="end" '
                    f'fill="{COLORS["text"]}">{escape(row)}</text>')
        for j, col in enumerate(columns):
            x = label_w + j * cell_w
            value = values.get((row, col))
            fill = "#ffffff" if value is None else _heat_color(value, top_value)
            text_fill = "#ffffff" if value is not None and top_value and value / top_value > 0.6 else COLORS["text"]
            label = "" if value is None else f"{value:g}"
            body.append(
                f'<g class="mark" data-key="{escape(row)}" data-column="{escape(col)}">'
                f'<rect x="{x + 1:.1f}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}" '
                f'stroke="{COLORS["grid"]}"><title>{escape(row)} {escape(col)}: {escape(label or "—")}</title></rect>'
                f'<text x="{x + cell_w / 2:.1f}" y="{y + cell_h * 0.65:.1f}" text-anchor="middle" '
                f'fill="{text_fill}">{escape(label)}</text></g>')
    return _svg(width, height, name, title, body)
