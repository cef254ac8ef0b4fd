"""The product's few specific errors. Each message says what was expected and what was given;
`chinese()` is the one place where they become the clerk-facing Chinese message."""

from __future__ import annotations


class RagError(Exception):
    """Base of every error the CLI and the app translate for the user (exit code 2)."""

    zh: str = "处理失败"

    def chinese(self) -> str:
        """The clear Chinese message shown in the UI and on stderr."""
        detail = str(self)
        return f"{self.zh}：{detail}" if detail else self.zh


class BadInput(RagError):
    """Input that cannot be used at all: empty, binary, unreadable, wrong type, too large."""

    zh = "输入无法使用"


class BadRequestText(BadInput):
    """A request text that is empty, binary, noise, or in a file that cannot be read."""

    zh = "申请内容无法识别"


class BadQuestion(BadInput):
    """A question that is empty, binary junk, or otherwise unusable."""

    zh = "问题无法识别"


class UnknownOutcome(BadInput):
    """An outcome key that is not one of the 21 table-三 rows (or 补正)."""

    zh = "未知的办理结果"

    def __init__(self, given: str) -> None:
        super().__init__(f"应为“组/项”形式的年报表三行名（如 不予公开/属于四类过程性信息），收到：{given!r}")


class IndexNotBuilt(RagError):
    """The knowledge base has not been indexed yet."""

    zh = "知识库索引尚未建立"


class CorpusFileError(RagError):
    """A corpus file that cannot be read or split (it is named and skipped)."""

    zh = "语料文件无法读取"


class TemplateFieldMissing(RagError):
    """A letter or prompt template referenced a field that was not supplied."""

    zh = "文书模板缺少字段"


class ReportUnusable(BadInput):
    """A document that is not an annual report, or has no table that can be read."""

    zh = "年度报告无法解析"


class ConfigError(RagError):
    """A setting that points at something missing or unusable (model dir, agency profile, URL)."""

    zh = "配置错误"


class HolidayDataMissing(RagError):
    """Raised only when a caller demands official holiday data for an uncovered year."""

    zh = "缺少节假日数据"
