"""The calculators' form markup, generated from the policy's field declarations, in zh and en.

Form controls carry `name` equal to the JSON field (the widget contract); the widget script wires
them up. Without JavaScript, or where the runtime cannot load, the page shows the CLI instead.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from calculators import Policy
from calculators.messages import REPORT

__all__ = ["FORMS"]

UI: dict[str, dict[str, str]] = {
    "loading": {"zh": "正在加载计算器（首次约需数秒）…", "en": "Loading the calculator (a few seconds the first time)…"},
    "noscript": {"zh": "计算器需要 JavaScript 和 WebAssembly。也可以在命令行中使用同一计算器，见下文。",
                 "en": "The calculator needs JavaScript and WebAssembly. The same calculator runs on the command line: see below."},
    "choose": {"zh": "请选择", "en": "Choose"},
    "yes": {"zh": "是", "en": "Yes"},
    "no": {"zh": "否", "en": "No"},
    "not_answered": {"zh": "未回答", "en": "Not answered"},
    "optional_note": {"zh": "以下问题只影响相应的类目市场；不回答视为不满足。",
                      "en": "These questions matter only for the markets concerned; unanswered counts as not met."},
    "as_of": {"zh": "评估日期（可选，默认今天）", "en": "Evaluate on (optional, default today)"},
    "when": {"zh": "评估日期", "en": "Evaluation date"},
    "copy_link": {"zh": "复制链接", "en": "Copy link"},
    "print": {"zh": "打印结果", "en": "Print result"},
    "reset": {"zh": "清空", "en": "Clear"},
    "onboarded_on": {"zh": "入驻审核通过日期（可选，启用免费期）", "en": "Onboarding approval date (optional, starts the free period)"},
    "order": {"zh": "单笔订单", "en": "One order"},
    "date": {"zh": "订单日期", "en": "Order date"},
    "amount": {"zh": "订单金额（元）", "en": "Order amount (CNY)"},
    "refunded": {"zh": "退款金额（元，可选）", "en": "Refunded (CNY, optional)"},
    "csv": {"zh": "或上传订单 CSV（列：id,date,amount,refunded）", "en": "Or upload an orders CSV (columns: id,date,amount,refunded)"},
    "csv_drop": {"zh": "把 CSV 文件拖到这里，或点击选择文件", "en": "Drop a CSV file here, or click to choose one"},
    "deposit": {"zh": "计划保证金（元，可选，仅供规划）", "en": "Planned deposit (CNY, optional, planning only)"},
    "planning": {"zh": "规划", "en": "Planning"},
    "onboarding": {"zh": "入驻信息", "en": "Onboarding"},
    "submitted_on": {"zh": "提交申请日期", "en": "Submission date"},
    "calculate": {"zh": "计算", "en": "Calculate"},
    "interest": {"zh": "你关心的市场", "en": "Markets you are interested in"},
    "interest_note": {"zh": "只决定结果中先列出哪些市场，不影响判断；不勾选时先列出已开放的市场。",
                      "en": "This only decides which markets the result lists first; it changes no verdict. With none ticked, the open markets come first."},
    "rests_on": {"zh": "此项依据本站的解读或假设：", "en": "This rests on our readings or assumptions: "},
    "reading": {"zh": "解读", "en": "Reading"},
    "assumption": {"zh": "假设", "en": "Assumption"},
    "unknown": {"zh": "未知", "en": "Unknown"},
}

# Words the widget script shows; the verdicts themselves come from the calculators' answer.
SCRIPT_WORDS: dict[str, dict[str, str]] = {
    "loading_runtime": {"zh": "正在下载 Python 运行环境…", "en": "Downloading the Python runtime…"},
    "loading_wheels": {"zh": "正在安装计算器…", "en": "Installing the calculator…"},
    "ready": {"zh": "计算器已就绪：填写必填项后自动计算。", "en": "Ready: the result appears once the required fields are filled in."},
    "computing": {"zh": "正在计算…", "en": "Calculating…"},
    "done": {"zh": "已更新结果。", "en": "Result updated."},
    "unavailable": {"zh": "此浏览器无法运行计算器（需要 WebAssembly 与模块化 Web Worker）。可以在命令行中使用同一计算器：",
                    "en": "This browser cannot run the calculator (it needs WebAssembly and module Web Workers). The same calculator runs on the command line:"},
    "load_failed": {"zh": "计算器未能加载（运行环境文件下载失败）。可以在命令行中使用同一计算器：",
                    "en": "The calculator could not load (its runtime files failed to download). The same calculator runs on the command line:"},
    "internal": {"zh": "计算器出错，请报告此问题。可以改用命令行：", "en": "The calculator failed; please report it. The command line works too:"},
    "errors_title": {"zh": "请更正以下问题：", "en": "Please correct the following:"},
    "copied": {"zh": "链接已复制。", "en": "Link copied."},
    "copy_failed": {"zh": "无法自动复制，请手动复制下面的链接：", "en": "Could not copy automatically; copy this link:"},
    "result_for": {"zh": "评估日期 {as_of} · 政策版本 {version}", "en": "As of {as_of} · policy version {version}"},
    "unmet": {"zh": "未满足的条件", "en": "Conditions not met"},
    "clause": {"zh": "条款", "en": "clause"},
    "all_met": {"zh": "全部条件均已满足。", "en": "Every condition is met."},
    "download_csv": {"zh": "下载结果 CSV", "en": "Download result CSV"},
    "csv_loaded": {"zh": "已载入 {name}（{count} 笔订单）", "en": "Loaded {name} ({count} orders)"},
    "csv_remove": {"zh": "移除 CSV，改为单笔输入", "en": "Remove the CSV and enter one order"},
    "csv_not_utf8": {"zh": "CSV 文件不是 UTF-8 编码，请另存为 UTF-8 后重试。", "en": "The CSV file is not UTF-8; save it as UTF-8 and try again."},
    "partial": {"zh": "以下为其余有效行的计算结果（下载的结果 CSV 也列出未计算的行及原因）：", "en": "Results for the rows that are valid (the result CSV also lists the rows left out, and why):"},
    "csv_field": {"zh": "CSV 文件", "en": "CSV file"},
    "waived_yes": {"zh": "免", "en": "waived"},
    "deposit_label": {"zh": "保证金", "en": "Deposit"},
    "planned": {"zh": "计划金额", "en": "Planned"},
    "window": {"zh": "预计审核完毕的日期", "en": "Expected end of the review"},
    "submitted": {"zh": "提交日期", "en": "Submitted on"},
    "earliest": {"zh": "最早", "en": "Earliest"},
    "latest": {"zh": "最晚", "en": "Latest"},
    "counted": {"zh": "计入的工作日", "en": "Working days counted"},
    "skipped": {"zh": "跳过的日期", "en": "Days skipped"},
    "none_skipped": {"zh": "无", "en": "none"},
    "worker_died": {"zh": "计算器意外停止；修改任一输入会重新启动它。也可以使用命令行：", "en": "The calculator stopped unexpectedly; change any input to restart it. The command line works too:"},
    "print_answers": {"zh": "填写的内容", "en": "Your answers"},
    "print_meta": {"zh": "打印日期 {date} · 政策版本 {version} · 页面地址 {url}", "en": "Printed {date} · policy version {version} · {url}"},
    "plus_general": {"zh": "另需满足上面未满足的基本条件。", "en": "The unmet general conditions above apply here too."},
    "other_markets": {"zh": "其他市场（{count} 个）", "en": "Other markets ({count})"},
    "only_general": {"zh": "本市场自身的条件均已满足。", "en": "This market's own conditions are all met."},
    "csv_bad_rows": {"zh": "CSV 中有 {count} 行有问题，未计算：", "en": "{count} row(s) of the CSV have problems and were left out:"},
    "csv_group": {"zh": "{count} 行：{problem}（{rows}）", "en": "{count} row(s): {problem} ({rows})"},
    "rows_list": {"zh": "第 {rows} 行", "en": "rows {rows}"},
    "rows_more": {"zh": "第 {rows} 行等", "en": "rows {rows} and more"},
    "enum_sep": {"zh": "、", "en": ", "},
    "download_errors": {"zh": "下载错误报告 CSV", "en": "Download the error report CSV"},
    "read_as": {"zh": "按 {value} 计算", "en": "read as {value}"},
    "rows_check": {"zh": "正在检查订单：{done} / {total} 行", "en": "Checking orders: {done} of {total} rows"},
    "rows_compute": {"zh": "正在计算服务费：{done} / {total} 行", "en": "Computing fees: {done} of {total} rows"},
    "totals_line": {"zh": "{count} 笔订单，服务费 {fee}，免收 {waived}，计费基数 {base}", "en": "{count} orders, fee {fee}, waived {waived}, fee base {base}"},
    "page_where": {"zh": "第 {first}–{last} 笔，共 {total} 笔", "en": "Orders {first}–{last} of {total}"},
    "page_previous": {"zh": "上一页", "en": "Previous"},
    "page_next": {"zh": "下一页", "en": "Next"},
    "too_many_rows": {"zh": "此文件有 {count} 笔订单，超过页面计算上限 {maximum} 笔。命令行没有这一上限：", "en": "This file has {count} orders, more than the page computes ({maximum}). The command line has no such limit:"},
    "makeup": {"zh": "调休上班日（计为工作日）", "en": "Make-up working days (counted as working days)"},
    "colon": {"zh": "：", "en": ": "},
    "semicolon": {"zh": "；", "en": "; "},
}
REPORT_WORDS = ("provider", "open", "closed", "totals", "invoices", "fees_header", "rate_changed", "rate_span", "rate_day")


def messages(lang: str) -> str:
    """The widget script's words in `lang`, as JSON for a data attribute."""
    words = {key: value[lang] for key, value in SCRIPT_WORDS.items()}
    words.update({key: REPORT[key][lang] for key in REPORT_WORDS})
    return json.dumps(words, ensure_ascii=False)


def t(key: str, lang: str) -> str:
    return escape(UI[key][lang])


def reading_note(policy: Policy, calculator: str, name: str, lang: str) -> str:
    """Under a field: links to each reading or assumption that changes the answer through it."""
    links = []
    for assumption in policy.data["assumptions"]:
        if name in assumption.get("affects", {}).get(calculator, []):
            title = f'{UI[assumption["kind"]][lang]}{"：" if lang == "zh" else ": "}{assumption["title"][lang]}'
            links.append(f'<a href="../assumptions/#{escape(assumption["id"])}">{escape(title)}</a>')
    if not links:
        return ""
    return (f'<p class="calc-hint calc-reading">{t("rests_on", lang)}'
            + ("、" if lang == "zh" else "; ").join(links) + "</p>")


def _control(calculator: str, name: str, kind: str, label: str, lang: str, required: bool, note: str = "") -> str:
    ident = f"{calculator}-{name}"
    attrs = f'id="{ident}" name="{name}" data-type="{kind}" aria-describedby="{ident}-error"'
    if required:
        attrs += ' aria-required="true"'
    if kind == "bool":
        blank = t("choose", lang) if required else t("not_answered", lang)
        control = (f'<select {attrs}><option value="">{blank}</option>'
                   f'<option value="true">{t("yes", lang)}</option><option value="false">{t("no", lang)}</option></select>')
    elif kind == "date":
        control = f'<input type="date" {attrs} min="1900-01-01" max="2999-12-31">'
    elif kind in ("integer", "number"):
        # text, not type=number: whatever is typed stays visible and reaches the calculator's check
        mode = "numeric" if kind == "integer" else "decimal"
        control = f'<input type="text" inputmode="{mode}" autocomplete="off" {attrs}>'
    elif kind == "money":
        control = f'<input type="text" inputmode="decimal" autocomplete="off" {attrs}>'
    else:
        control = f'<input type="text" autocomplete="off" {attrs}>'
    return (f'<div class="calc-field"><label for="{ident}">{escape(label)}</label>{control}'
            f'<p class="calc-field-error" id="{ident}-error" hidden></p>{note}</div>')


def _shell(calculator: str, lang: str, body: str, assets: dict[str, Any]) -> str:
    wheels = " ".join(wheel["url"] for wheel in assets["wheels"]
                      if wheel.get("needed_by") is None or calculator in wheel["needed_by"])
    return f"""<div class="calculator" data-calculator="{calculator}" data-lang="{lang}" data-state="loading" data-runtime="{escape(assets["runtime"])}" data-stdlib="{escape(assets.get("stdlib", ""))}" data-wheels="{escape(wheels)}" data-policy-version="{escape(assets.get("version", ""))}" data-messages="{escape(messages(lang))}">
<div class="calc-status" role="status"><span class="calc-status-text">{t("loading", lang)}</span> <progress class="calc-progress"></progress></div>
<div class="calc-summary" tabindex="-1" role="alert" hidden></div>
<form class="calc-form" novalidate>
{body}
<div class="calc-actions"><button type="submit" class="md-button md-button--primary">{t("calculate", lang)}</button> <button type="button" class="md-button" data-action="copy-link">{t("copy_link", lang)}</button> <button type="button" class="md-button" data-action="print">{t("print", lang)}</button> <button type="reset" class="md-button">{t("reset", lang)}</button></div>
</form>
<div class="calc-result" aria-live="polite" aria-atomic="false" tabindex="-1"></div>
<noscript><p class="calc-noscript">{t("noscript", lang)}</p></noscript>
</div>
"""


def _label(field: dict[str, Any], lang: str) -> str:
    """The field's question, with its range where it has one."""
    low, high = field.get("minimum"), field.get("maximum")
    if low is not None and high is not None and high <= 100:  # a scale (days, hours), not a sanity bound
        return f"{field['label'][lang]}（{low}–{high}）" if lang == "zh" else f"{field['label'][lang]} ({low}–{high})"
    return field["label"][lang]


def eligibility_form(policy: Policy, lang: str, assets: dict[str, Any]) -> str:
    groups = []
    for group in policy.data["criteria"]["groups"]:
        fields = [f for f in policy.fields if f["group"] == group["id"]]
        controls = [_control("eligibility", f["name"], f["type"], _label(f, lang), lang, f["required"],
                             reading_note(policy, "eligibility", f["name"], lang)) for f in fields]
        note = f'<p class="calc-note">{t("optional_note", lang)}</p>' if not any(f["required"] for f in fields) else ""
        groups.append(f'<fieldset id="{group["id"]}"><legend>{escape(group["label"][lang])}</legend>'
                      f'{note}{"".join(controls)}</fieldset>')
    when = _control("eligibility", "as_of", "date", UI["as_of"][lang], lang, False,
                    reading_note(policy, "eligibility", "as_of", lang))
    groups.append(f'<fieldset><legend>{t("when", lang)}</legend>{when}</fieldset>')
    # which markets to show first: a display choice kept in the page's address (markets=…), not an
    # input of the calculator (no name attribute); unticked, the markets open on the day evaluated
    boxes = "".join(f'<label class="calc-check"><input type="checkbox" data-market="{escape(m["key"])}"> '
                    f'{escape(m["name"][lang])}</label>' for m in policy.markets)
    groups.insert(0, f'<fieldset class="calc-interest"><legend>{t("interest", lang)}</legend>'
                     f'<p class="calc-note">{t("interest_note", lang)}</p><div class="calc-checks">{boxes}</div></fieldset>')
    return _shell("eligibility", lang, "\n".join(groups), assets)


def fees_form(policy: Policy, lang: str, assets: dict[str, Any]) -> str:
    def note(name: str) -> str:
        return reading_note(policy, "fees", name, lang)

    onboarding = _control("fees", "onboarded_on", "date", UI["onboarded_on"][lang], lang, False, note("onboarded_on"))
    order = "".join([
        _control("fees", "date", "date", UI["date"][lang], lang, False, note("date")),
        _control("fees", "amount", "money", UI["amount"][lang], lang, False, note("amount")),
        _control("fees", "refunded", "money", UI["refunded"][lang], lang, False, note("refunded")),
    ])
    upload = (f'<div class="calc-field calc-drop"><label for="fees-csv">{t("csv", lang)}</label>'
              f'<input type="file" id="fees-csv" name="csv" accept=".csv,text/csv" aria-describedby="fees-csv-error fees-csv-hint">'
              f'<p class="calc-hint" id="fees-csv-hint">{t("csv_drop", lang)}</p>'
              f'<p class="calc-field-error" id="fees-csv-error" hidden></p></div>')
    deposit = _control("fees", "deposit", "money", UI["deposit"][lang], lang, False, note("deposit"))
    return _shell("fees", lang, assets=assets, body="\n".join([
        f'<fieldset><legend>{t("onboarding", lang)}</legend>{onboarding}</fieldset>',
        f'<fieldset><legend>{t("order", lang)}</legend>{order}{upload}</fieldset>',
        f'<fieldset><legend>{t("planning", lang)}</legend>{deposit}</fieldset>',
    ]))


def review_form(policy: Policy, lang: str, assets: dict[str, Any]) -> str:
    control = _control("review", "submitted_on", "date", UI["submitted_on"][lang], lang, True,
                       reading_note(policy, "review", "submitted_on", lang))
    return _shell("review", lang, f'<fieldset><legend>{t("submitted_on", lang)}</legend>{control}</fieldset>', assets)


FORMS = {"form-eligibility": eligibility_form, "form-fees": fees_form, "form-review": review_form}
