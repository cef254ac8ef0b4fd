"""信息处理费 arithmetic (条例第四十二条; 政府信息公开信息处理费管理办法, 国办函〔2020〕109号).

The bands are MARGINAL, like income tax, not a flat rate picked by the total. The 办法 says
so twice: its 第三条 computes every fee "按照超额累进方式", and each band of its scales reads
"…的部分" (e.g. "累计申请11—30件（含30件）的部分：100元/件"). So 35 pages cost
5 × 10 元 (pages 31–35), never 35 × 10 元; and a 12th request in a month costs 100 元 whatever
the next request will cost. (The 办法's full text is not in corpus/; DOMAIN.md §6 states
the scales and that they are progressive.)

Two scales, one per request and never both (办法第三条):
- by count (按件, any outcome): counted per applicant per calendar month, so the fee for this
  request depends on how many the same applicant already filed that month;
- by volume (按量, paper, e-mail or copied electronic data): pages of this one request.

Pure functions of integers; amounts are whole 元.
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.core.errors import BadInput

BY_COUNT = "按件"
BY_VOLUME = "按量"
METHODS = (BY_COUNT, BY_VOLUME)

# By count: 1–10 free, 11–30 at 100 元 each; from the 31st on, every band of 10 costs 100 元
# more per request than the one before (31–40: 200, 41–50: 300, …).
_COUNT_FREE = 10
_COUNT_FIRST_PAID_END = 30
_COUNT_STEP = 100
_COUNT_BAND = 10

# By volume (pages): ≤ 30 free; 31–100 at 10; 101–200 at 20; above 200 at 40 元 per page.
_VOLUME_BANDS: tuple[tuple[int, int | None, int], ...] = ((1, 30, 0), (31, 100, 10), (101, 200, 20), (201, None, 40))


@dataclass(frozen=True)
class FeeBand:
    """The part of the units that falls into one band: units first..last at `rate` 元 each."""

    first: int
    last: int
    rate: int

    @property
    def units(self) -> int:
        return self.last - self.first + 1

    @property
    def subtotal(self) -> int:
        return self.units * self.rate


@dataclass(frozen=True)
class Fee:
    """The fee of one request by one method, with the bands that make it up."""

    method: str  # 按件 or 按量
    units: int  # requests (按件) or pages (按量) of this request
    earlier: int  # 按件 only: requests the same applicant already filed this calendar month
    bands: tuple[FeeBand, ...]

    @property
    def amount(self) -> int:
        return sum(b.subtotal for b in self.bands)

    def explain(self) -> str:
        """The calculation as the notice states it: which units fall in which band."""
        unit = "件" if self.method == BY_COUNT else "页"
        if self.method == BY_COUNT:
            head = (f"本自然月内此前已申请{self.earlier}件，本次申请{self.units}件"
                    f"（为本月第{self.earlier + 1}—{self.earlier + self.units}件）")
        else:
            head = f"本次申请所需处理的政府信息共{self.units}页"
        parts = []
        for b in self.bands:
            span = f"第{b.first}{unit}" if b.first == b.last else f"第{b.first}—{b.last}{unit}"
            parts.append(f"{span}不收费" if b.rate == 0 else f"{span}每{unit}{b.rate}元，计{b.subtotal}元")
        return f"按{self.method}计收：{head}，其中" + "；".join(parts) + f"。合计{self.amount}元"


def fee_by_count(units: int, earlier_this_month: int = 0) -> Fee:
    """按件: the fee of a request of `units` items after `earlier_this_month` earlier ones."""
    _check_count(units, "本次申请件数", minimum=1)
    _check_count(earlier_this_month, "本月此前已申请件数", minimum=0)
    first, last = earlier_this_month + 1, earlier_this_month + units
    bands: list[FeeBand] = []
    n = first
    while n <= last:
        band_last = min(last, _count_band_end(n))
        bands.append(FeeBand(n, band_last, _count_rate(n)))
        n = band_last + 1
    return Fee(BY_COUNT, units, earlier_this_month, tuple(bands))


def fee_by_volume(pages: int) -> Fee:
    """按量: the fee of one request of `pages` pages."""
    _check_count(pages, "页数", minimum=1)
    bands = tuple(FeeBand(lo, min(pages, hi if hi is not None else pages), rate)
                  for lo, hi, rate in _VOLUME_BANDS if lo <= pages)
    return Fee(BY_VOLUME, pages, 0, bands)


def fee(method: str, units: int, earlier_this_month: int = 0) -> Fee:
    """The fee by the one method the agency chose for this request (办法第三条: never both)."""
    m = method.strip().removeprefix("按")
    if m in ("件", "count"):
        return fee_by_count(units, earlier_this_month)
    if m in ("量", "页", "volume"):
        if earlier_this_month:
            raise BadInput("按量计收只按本次申请的页数计算，不累计本月此前的申请件数")
        return fee_by_volume(units)
    raise BadInput(f"计费方式应为“按件”或“按量”（每件申请只能选择一种），收到：{method!r}")


def _count_rate(n: int) -> int:
    """The price of the n-th request of the month."""
    if n <= _COUNT_FREE:
        return 0
    if n <= _COUNT_FIRST_PAID_END:
        return _COUNT_STEP
    return _COUNT_STEP * (2 + (n - _COUNT_FIRST_PAID_END - 1) // _COUNT_BAND)


def _count_band_end(n: int) -> int:
    if n <= _COUNT_FREE:
        return _COUNT_FREE
    if n <= _COUNT_FIRST_PAID_END:
        return _COUNT_FIRST_PAID_END
    return _COUNT_FIRST_PAID_END + ((n - _COUNT_FIRST_PAID_END - 1) // _COUNT_BAND + 1) * _COUNT_BAND


def _check_count(value: int, what: str, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise BadInput(f"{what}应为不小于{minimum}的整数，收到：{value!r}")
