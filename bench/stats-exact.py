#!/usr/bin/env python3
"""Exact error rates of the one-sample-per-case score methods, by enumerating every outcome
(b cases pass -> fail, c fail -> pass out of n) instead of simulating: an independent
re-implementation of Tango's (1998) statistic (scipy only), used for docs/statistics.md.

    python3 bench/stats-exact.py        # a minute or two

cc = 1 is the continuity correction llm-eval uses; cc = 0 is plain Tango, for comparison.
"""
import math
from scipy.stats import binom, norm


def tango_z(c, b, n, d, cc):
    """Score statistic of H0: p(after) - p(before) = d; positive when after looks better."""
    A = 2 * n
    B = -c - b + (2 * n - c + b) * d
    C = -b * d * (1 - d)
    p21 = max(0.0, (math.sqrt(max(0.0, B * B - 4 * A * C)) - B) / (2 * A))
    raw = c - b - n * d
    num = math.copysign(max(0.0, abs(raw) - cc), raw)
    var = n * (2 * p21 + d * (1 - d))
    if var <= 0:
        return 0.0 if num == 0 else math.copysign(math.inf, num)
    return num / math.sqrt(var)


def outcomes(n, down, up):
    """(probability, b, c) for every outcome with probability above 1e-12."""
    for m in range(n + 1):
        pm = binom.pmf(m, n, down + up)
        if pm < 1e-12:
            continue
        for b in range(m + 1):
            pb = binom.pmf(b, m, down / (down + up)) if down + up > 0 else float(b == 0)
            if pb >= 1e-12:
                yield pm * pb, b, m - b


def coverage(n, down, up, cc, conf=0.95):
    z = norm.ppf(1 - (1 - conf) / 2)
    return sum(p for p, b, c in outcomes(n, down, up) if abs(tango_z(c, b, n, up - down, cc)) <= z + 1e-12)


def false_non_inferior(n, down, up, margin, cc):
    """P(one-sided 95% lower bound > -margin); the truth is up - down = -margin."""
    z = norm.ppf(0.95)
    return sum(p for p, b, c in outcomes(n, down, up) if tango_z(c, b, n, -margin, cc) > z)


def false_margin_failure(n, down, up, margin, cc):
    """P(one-sided 97.5% upper bound < -margin); the truth is up - down = -margin."""
    z = norm.ppf(0.975)
    return sum(p for p, b, c in outcomes(n, down, up) if tango_z(c, b, n, -margin, cc) < -z)


ns = (10, 20, 50, 100, 200, 500)
for cc in (1, 0):
    print(f"\ncontinuity correction {cc}")
    print("coverage of the two-sided 95% interval, n =", ns)
    for down, up in [(0.05, 0.05), (0.1, 0.0), (0.03, 0.0), (0.2, 0.05), (0.3, 0.3)]:
        print(f"  {down:.2f} down / {up:.2f} up:", [round(float(100 * coverage(n, down, up, cc)), 1) for n in ns])
    print("false non-inferior, true change -5 points, margin 5, n = (20, 50, 100, 200, 500)")
    for down, up in [(0.05, 0.0), (0.07, 0.02), (0.1, 0.05), (0.15, 0.1), (0.25, 0.2)]:
        print(f"  {down:.2f} down / {up:.2f} up:", [round(float(100 * false_non_inferior(n, down, up, 0.05, cc)), 2) for n in (20, 50, 100, 200, 500)])
    print("gate failure with the true drop at the margin, n = (20, 50, 100, 200, 500)")
    for bg, margin in [(0.05, 0.12), (0.05, 0.05), (0.0, 0.05), (0.1, 0.1), (0.02, 0.03)]:
        print(f"  churn {bg:.2f} each way, margin {margin:.2f}:", [round(float(100 * false_margin_failure(n, bg + margin, bg, margin, cc)), 2) for n in (20, 50, 100, 200, 500)])
