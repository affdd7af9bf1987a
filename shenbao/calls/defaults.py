"""Values a call file may leave out, equal to what the first call file (2022) meant before the fields existed.

One place for them: the schema fills them in, the model fields default to them (rows from before the
migration), and `shenbao.acceptance.bands` uses them when a caller passes no thresholds.
"""

from decimal import Decimal

# 评估验收等次 (DOMAIN.md §7): ≥90 优秀, ≥80 良好, ≥60 合格; a main item below 60% of its points fails.
ACCEPTANCE_EXCELLENT = Decimal("90")
ACCEPTANCE_GOOD = Decimal("80")
ACCEPTANCE_QUALIFIED = Decimal("60")
ACCEPTANCE_MAIN_ITEM_MIN_RATIO = Decimal("0.6")

# 年度建设进展报告次年1月底前报送: month and day of the following year (the day is clipped to the month's end).
PROGRESS_REPORT_DUE_MONTH = 1
PROGRESS_REPORT_DUE_DAY = 31

# Plaque number prefixes of call files written before `plaque_number_prefix` existed (the first city's initials);
# any other project type without one uses its code.
LEGACY_PLAQUE_PREFIXES = {"workstation": "JCJS", "training_base": "JCJD"}


def default_plaque_prefix(code):
    return LEGACY_PLAQUE_PREFIXES.get(code, code.upper().replace("_", "")[:8])


# 去掉一个最高分和一个最低分 needs at least this many submitted score sheets (common practice on Chinese panels);
# with fewer, the plain mean is taken. A call file may set another minimum (`trim_minimum_scores`, at least 3).
TRIM_MINIMUM_SCORES = 5
