"""The calculators' own words in Chinese and English: input errors, reasons, report labels."""

from __future__ import annotations

from typing import Any

__all__ = ["LANGUAGES", "escape_invisible", "json_escape", "message", "printable", "report_text", "show_value"]

LANGUAGES = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # input errors; {field} is the field's path in the JSON input
    "not_json": {"zh": "输入不是有效的 JSON：{detail}", "en": "the input is not valid JSON: {detail}"},
    "input_too_large": {"zh": "输入过大（上限 {maximum} 个字符）", "en": "the input is too large (at most {maximum} characters)"},
    "duplicate_key": {"zh": "同一对象中键 {value} 出现了两次", "en": "the key {value} appears twice in one object"},
    "not_object": {"zh": "输入必须是一个 JSON 对象", "en": "the input must be a JSON object"},
    "unknown_field": {"zh": "未知字段 {value}（本计算器不接受该字段）", "en": "unknown field {value} (this calculator does not accept it)"},
    "missing": {"zh": "这一项必须填写", "en": "this must be answered"},
    "bool": {"zh": "请选择“是”或“否”，收到 {value}", "en": "choose Yes or No, got {value}"},
    "integer": {"zh": "应为整数，收到 {value}", "en": "must be a whole number, got {value}"},
    "number": {"zh": "应为数字，收到 {value}", "en": "must be a number, got {value}"},
    "range": {"zh": "应在 {minimum} 到 {maximum} 之间，收到 {value}", "en": "must be between {minimum} and {maximum}, got {value}"},
    "at_least": {"zh": "应不小于 {minimum}，收到 {value}", "en": "must be {minimum} or more, got {value}"},
    "date": {"zh": "应为日期，例如 2026-11-26，收到 {value}", "en": "must be a date such as 2026-11-26, got {value}"},
    "no_such_date": {"zh": "该日期不存在：{value}", "en": "there is no such date: {value}"},
    "date_range": {"zh": "日期应在 {minimum} 到 {maximum} 之间，收到 {value}", "en": "must be a date from {minimum} to {maximum}, got {value}"},
    "after_as_of": {"zh": "不能晚于评估日期 {as_of}，收到 {value}", "en": "cannot be after the evaluation date {as_of}, got {value}"},
    "money": {"zh": "应为不小于 0、最多两位小数的金额（字符串或数字），收到 {value}", "en": "must be an amount of 0 or more with at most two decimals (a string or a number), got {value}"},
    "money_too_large": {"zh": "金额过大（上限 {maximum}），收到 {value}", "en": "amount is too large (at most {maximum}), got {value}"},
    "number_shape": {"zh": "数字超出可处理范围（最多 {digits} 位有效数字，数量级在 1e-{exponent} 到 1e{exponent} 之间），收到 {value}", "en": "the number is out of the supported range (at most {digits} significant digits, between 1e-{exponent} and 1e{exponent}), got {value}"},
    "text_too_long": {"zh": "文本过长（上限 {maximum} 个字符，收到 {length} 个）", "en": "the text is too long (at most {maximum} characters, got {length})"},
    "text_surrogate": {"zh": "文本含有无效字符（孤立的代理码位），收到 {value}", "en": "the text holds an invalid character (a lone surrogate), got {value}"},
    "string": {"zh": "应为非空文本，收到 {value}", "en": "must be non-empty text, got {value}"},
    "list": {"zh": "应为订单列表", "en": "must be a list of orders"},
    "order_object": {"zh": "每笔订单应为 JSON 对象", "en": "each order must be a JSON object"},
    "refund_exceeds": {"zh": "退款金额 {refunded} 不能大于订单金额 {amount}", "en": "refunded {refunded} cannot exceed the amount {amount}"},
    "duplicate_id": {"zh": "订单编号重复：{value}", "en": "duplicate order id {value}"},
    "before_onboarding": {"zh": "订单日期 {value} 早于入驻审核通过日期 {onboarded_on}", "en": "order date {value} is before the onboarding approval date {onboarded_on}"},
    "too_many_orders": {"zh": "订单过多（上限 {maximum} 笔）", "en": "too many orders (at most {maximum})"},
    "csv_header": {"zh": "CSV 表头应包含 {expected}，收到 {value}", "en": "the CSV header must hold {expected}, got {value}"},
    "csv_columns": {"zh": "列数与表头不一致", "en": "the number of columns differs from the header"},
    "csv_cell": {"zh": "单元格超过 {maximum} 个字符，或此处开始的引号没有闭合", "en": "a cell is longer than {maximum} characters, or a quote opened here is never closed"},
    "out_path": {"zh": "无法写入结果文件 {value}：{reason}", "en": "cannot write the result file {value}: {reason}"},
    "encoding": {"zh": "文件不是 UTF-8 编码（第 {line} 行）", "en": "the file is not UTF-8 (line {line})"},
    "file": {"zh": "无法读取文件：{value}", "en": "cannot read the file: {value}"},
    "rows_left_out": {"zh": "{count} 行有问题，未计算，详见 {file}", "en": "{count} row(s) had problems and were left out; see {file}"},
    "left_out": {"zh": "未计算（CSV 第 {row} 行）：{problem}", "en": "left out (CSV row {row}): {problem}"},
    # reasons
    "not_answered": {"zh": "未回答", "en": "not answered"},
    "attested": {"zh": "已确认", "en": "confirmed"},
    "not_attested": {"zh": "未确认", "en": "not confirmed"},
    "any_of_met": {"zh": "已满足：{which}", "en": "met: {which}"},
    "any_of_unmet": {"zh": "以下均未确认：{which}", "en": "none of these is confirmed: {which}"},
    "count_met": {"zh": "{value} 人，要求 {threshold} 人{word}：满足", "en": "{value} people; {threshold} {word} required: met"},
    "count_unmet": {"zh": "{value} 人，要求 {threshold} 人{word}：不满足", "en": "{value} people; {threshold} {word} required: not met"},
    "years_met": {"zh": "自 {start} 起算，{threshold} 年期满，自 {met_from} 起满足：已满足", "en": "counted from {start}, the {threshold}-year period is complete from {met_from}: met"},
    "years_unmet": {"zh": "自 {start} 起算，{threshold} 年期满，要到 {met_from} 才满足", "en": "counted from {start}, the {threshold}-year period is complete only from {met_from}"},
    "years_never": {"zh": "自 {start} 起算，{threshold} 年期间超出日历范围", "en": "counted from {start}, the {threshold}-year period runs past the calendar"},
    "coverage_met": {"zh": "每周 {days} 天、每天 {hours} 小时，要求{word} {need_days} 天 × {need_hours} 小时：满足", "en": "{days} days a week, {hours} hours a day; {word} {need_days} days × {need_hours} hours required: met"},
    "coverage_unmet": {"zh": "每周 {days} 天、每天 {hours} 小时，要求{word} {need_days} 天 × {need_hours} 小时：不满足", "en": "{days} days a week, {hours} hours a day; {word} {need_days} days × {need_hours} hours required: not met"},
    "rule_ended": {"zh": "该条件自 {day} 起不再适用", "en": "this condition no longer applies from {day}"},
    # review
    "calendar_incomplete": {"zh": "{years} 年的节假日安排尚未公布（或未收录）：按周一至周五估算，并除去《全国年节及纪念日放假办法》规定的法定节假日；调休上班日尚不可知", "en": "no holiday schedule is published (or included) for {years}: Monday to Friday are counted, less the public holidays fixed by the national regulation; make-up working days are not known yet"},
    "makeup_day": {"zh": "调休上班", "en": "make-up working day"},
    "weekend": {"zh": "周末", "en": "weekend"},
    "holiday": {"zh": "法定节假日", "en": "public holiday"},
    # fees
    "deposit_planned": {"zh": "计划金额仅供规划，非平台公布的数额", "en": "a planning figure of yours, not a published amount"},
}


def printable(text: str) -> str:
    """`text` with control and other non-printable characters escaped (\\uXXXX): user text must
    not reach a terminal or a page as control sequences."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def json_escape(char: str) -> str:
    """One character as a JSON escape (\\uXXXX, a surrogate pair above U+FFFF)."""
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def escape_invisible(text: str) -> str:
    """`text` (a JSON document or a report, many lines) with every control, format (bidi) or other
    non-printable character but the line break written as a JSON escape \\uXXXX. In a JSON
    string the escape means the same character, so the data is unchanged; a terminal shows it
    as text instead of obeying it."""
    if text.replace("\n", "").isprintable():
        return text
    return "\n".join(line if line.isprintable() else "".join(
        c if c.isprintable() or c == " " else json_escape(c) for c in line) for line in text.split("\n"))


def show_value(value: Any) -> str:
    """A short, safe rendering of a user's value for a message."""
    if value is None:
        text = "null"
    elif value is True or value is False:
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = '"' + printable(value[:60]) + '"'
    elif isinstance(value, (list, dict)):
        text = {list: "[…]", dict: "{…}"}[type(value)]
    else:
        try:
            text = str(value)
        except ValueError:  # an integer too long to print
            text = "…"
    return text if len(text) <= 40 else text[:37] + "…"


def message(code: str, lang: str, **params: Any) -> str:
    """The message `code` in `lang`, with its parameters filled in."""
    return MESSAGES[code][lang].format(**params)

REPORT: dict[str, dict[str, str]] = {
    "eligibility_title": {"zh": "资格自测（评估日期 {as_of}，政策版本 {version}）", "en": "Eligibility self-check (as of {as_of}, policy version {version})"},
    "provider": {"zh": "成为服务商", "en": "Becoming a provider"},
    "can_apply": {"zh": "可以申请", "en": "can apply"},
    "eligible_not_open": {"zh": "符合条件，但该市场尚未开放", "en": "meets the conditions, but the market is not open yet"},
    "eligible": {"zh": "符合条件", "en": "meets the conditions"},
    "not_yet": {"zh": "暂不符合，自 {day} 起符合", "en": "not yet; eligible from {day}"},
    "not_yet_closed": {"zh": "暂不符合，自 {day} 起符合（市场尚未开放）", "en": "not yet; eligible from {day} (market not open yet)"},
    "not_eligible": {"zh": "不符合", "en": "not eligible"},
    "open": {"zh": "已开放", "en": "open"},
    "closed": {"zh": "未开放", "en": "not open yet"},
    "fees_title": {"zh": "费用计算（政策版本 {version}，平台服务费率 {rate}）", "en": "Fees (policy version {version}, platform service fee rate {rate})"},
    "fees_header": {"zh": "订单编号 | 日期 | 金额 | 退款 | 计费基数 | 费率 | 服务费 | 免收 | 扣除服务费后", "en": "id | date | amount | refunded | fee base | rate | fee | waived | net of fee"},
    "fees_title_changed": {"zh": "费用计算（政策版本 {version}，期间平台服务费率有调整）", "en": "Fees (policy version {version}; the platform service fee rate changed)"},
    "rate_changed": {"zh": "本批订单跨越费率调整：{spans}", "en": "The rate changed within these orders: {spans}"},
    "rate_span": {"zh": "{first} 至 {last} 的订单按 {rate}", "en": "{rate} for orders from {first} to {last}"},
    "rate_day": {"zh": "{first} 的订单按 {rate}", "en": "{rate} for orders of {first}"},
    "list_separator": {"zh": "；", "en": "; "},
    "totals": {"zh": "合计", "en": "Totals"},
    "waived_mark": {"zh": "免", "en": "waived"},
    "invoices": {"zh": "发票：平台向服务商开具 {platform}；服务商向用户开具 {user}", "en": "Invoices: the platform invoices the provider {platform}; the provider invoices users {user}"},
    "deposit": {"zh": "保证金：{text}", "en": "Deposit: {text}"},
    "planned": {"zh": "计划金额 {amount}（{note}）", "en": "planned {amount} ({note})"},
    "review_title": {"zh": "审核时间估算（提交日期 {submitted_on}）", "en": "Review time estimate (submitted on {submitted_on})"},
    "review_window": {"zh": "预计在 {earliest} 至 {latest} 之间审核完毕（审核通过会以邮件形式通知）", "en": "Expect the review to be done between {earliest} and {latest} (approval is notified by email)"},
    "review_days": {"zh": "计入的工作日：{days}", "en": "Working days counted: {days}"},
    "review_skipped": {"zh": "跳过的日期：{days}", "en": "Days skipped: {days}"},
    "review_makeup": {"zh": "调休上班日（计为工作日）：{days}", "en": "Make-up working days (counted as working days): {days}"},
    "warning": {"zh": "注意：{text}", "en": "Note: {text}"},
}


def report_text(code: str, lang: str, **params: Any) -> str:
    """A label of the readable report in `lang`."""
    return REPORT[code][lang].format(**params)
