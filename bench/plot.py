"""The scaling plot for bench/RESULTS.md; runs in the bench venv (matplotlib).

python bench/plot.py SCALING.json OUT.png
"""

from __future__ import annotations

import json
import math
import sys

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt

COLOURS = {
    "specforge generate": "#1f77b4",
    "datamodel-codegen CLI": "#ff7f0e",
    "openapi-python-client": "#2ca02c",
    "specforge generate, ruff format (what-if)": "#9467bd",
}


def main() -> None:
    data = json.load(open(sys.argv[1], encoding="utf-8"))
    points = data["points"]
    fig, (wall_ax, per_op_ax) = plt.subplots(1, 2, figsize=(12, 4.8))
    for label, colour in COLOURS.items():
        synthetic = []
        real = []
        for point in points:
            row = next((r for r in point["rows"] if r["label"] == label and r["ok"]), None)
            if row is None:
                continue
            entry = (
                point["operations"],
                row["wall"]["median"],
                row["wall"]["min"],
                row["wall"]["max"],
                point["name"],
            )
            (synthetic if point["name"].startswith("synthetic") else real).append(entry)
        for axis, per_op in ((wall_ax, False), (per_op_ax, True)):

            def y(entry, index=1, per_op=per_op):
                return entry[index] / entry[0] * 1000 if per_op else entry[index]

            if synthetic:
                xs = [e[0] for e in synthetic]
                axis.errorbar(
                    xs,
                    [y(e) for e in synthetic],
                    yerr=[[y(e) - y(e, 2) for e in synthetic], [y(e, 3) - y(e) for e in synthetic]],
                    marker="o",
                    color=colour,
                    label=f"{label} (synthetic)",
                    capsize=3,
                )
            for entry in real:
                axis.scatter(
                    [entry[0]],
                    [y(entry)],
                    marker="*",
                    s=160,
                    color=colour,
                    edgecolor="black",
                    label=f"{label} ({entry[4]})",
                    zorder=5,
                )
    plain = matplotlib.ticker.FuncFormatter(lambda value, _: f"{value:g}")

    def sparse(value: float, _: object) -> str:
        """Label the minor ticks at 2 and 5 times a power of ten only."""
        mantissa = round(value / 10 ** math.floor(math.log10(value))) if value > 0 else 0
        return f"{value:g}" if mantissa in (2, 5) else ""

    for axis in (wall_ax, per_op_ax):
        axis.set_xscale("log")
        axis.set_yscale("log")
        for ticks in (axis.xaxis, axis.yaxis):
            ticks.set_major_formatter(plain)
            ticks.set_minor_formatter(matplotlib.ticker.FuncFormatter(sparse))
        axis.set_xlabel("operations in the spec (and as many schemas)")
        axis.grid(True, which="both", alpha=0.3)
    wall_ax.set_ylabel("wall time, s (median; bars: min–max)")
    wall_ax.set_title("Generating one spec")
    per_op_ax.set_ylabel("wall time per operation, ms")
    per_op_ax.set_title("Cost per operation")
    handles, labels = wall_ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    fig.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
