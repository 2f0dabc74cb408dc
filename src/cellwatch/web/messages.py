"""The words of every page, in English and Simplified Chinese: ``key → (en, zh)``.

Keys are grouped by page (``check.…``, ``recall.…``) or by what they name (``field.…``
for form fields, ``verdict.…``, ``cert_state.…``). Placeholders are ``str.format`` fields
and appear in both languages. ``tests/web/test_i18n.py`` checks that every key has both
texts, that every Chinese text has Chinese characters, and that every key a template
uses exists. A page family added later adds its keys here, in a section of its own.
"""

from __future__ import annotations

from cellwatch.check.words import (
    ADVISORY_WORDS,
    CERTIFICATE_WORDS,
    RECALL_WORDS,
    VERDICT_WORDS,
)
from cellwatch.screen.words import STAGE_WORDS

MESSAGES: dict[str, tuple[str, str]] = {
    # -- layout --------------------------------------------------------------------------
    "nav.skip": ("Skip to the content", "跳到正文"),
    "nav.label": ("Main", "主导航"),
    "nav.check": ("Check a power bank", "查询充电宝"),
    "nav.recalls": ("Recalls", "召回"),
    "nav.companies": ("Companies", "企业"),
    "nav.models": ("Models", "型号"),
    "nav.certificates": ("Certificates", "3C证书"),
    "nav.impact": ("Impact", "影响分析"),
    "nav.dashboard": ("Dashboard", "数据看板"),
    "footer.about": (
        "cellwatch: an open registry of power-bank recalls, 3C certificates and carriage "
        "rules. Every record cites its public source. Always follow the instructions of "
        "airport, railway and courier staff.",
        "cellwatch：充电宝召回、3C证书和携带规定的开放登记库，每条记录均注明公开来源。"
        "请始终以机场、铁路和快递工作人员的要求为准。",
    ),
    "footer.version": ("Registry version {version}", "登记库版本 {version}"),
    "footer.updated": ("updated {when}", "更新于 {when}"),
    "footer.api": ("API", "API 接口"),
    # -- errors --------------------------------------------------------------------------
    "error.not_found": ("Not found", "未找到"),
    "error.invalid": ("Invalid value", "数值无效"),
    "error.too_large": ("Too large", "内容过大"),
    "error.unavailable": (
        "The registry is not available right now", "登记库暂时无法访问"
    ),
    "error.server": (
        "Something went wrong on our side; it has been logged", "服务器出错，已记录"
    ),
    "error.not_found_detail": ("Not in the registry: {detail}", "登记库中没有该记录：{detail}"),
    "error.unavailable_detail": (
        "The database cannot be reached. Try again in a minute.",
        "无法连接数据库，请稍后再试。",
    ),
    "error.detail": ("{detail}", "出错：{detail}"),
    "error.back": ("Back to the check page", "返回查询页"),
    # -- forms ---------------------------------------------------------------------------
    "form.problems": (
        "Please correct {count} value(s) and try again:", "请更正以下 {count} 项后重试："
    ),
    "form.error.required": ("{field}: please fill this in.", "{field}：请填写。"),
    "form.error.too_long": (
        "{field}: too long, at most {max_length} characters.",
        "{field}：过长，最多 {max_length} 个字符。",
    ),
    "form.error.format": ("{field}: write it as {form}.", "{field}：请按 {form} 格式填写。"),
    "form.error.whole_number": ("{field}: must be a whole number.", "{field}：必须是整数。"),
    "form.error.number": ("{field}: must be a number.", "{field}：必须是数字。"),
    "form.error.gt": ("{field}: must be more than {limit}.", "{field}：必须大于 {limit}。"),
    "form.error.ge": ("{field}: must be at least {limit}.", "{field}：不能小于 {limit}。"),
    "form.error.lt": ("{field}: must be less than {limit}.", "{field}：必须小于 {limit}。"),
    "form.error.le": ("{field}: must be at most {limit}.", "{field}：不能大于 {limit}。"),
    "form.error.choice": (
        "{field}: must be one of {expected}.", "{field}：必须是以下之一：{expected}。"
    ),
    "form.error.invalid": ("{field}: {detail}.", "{field}：数值无效（{detail}）。"),
    "form.format.produced": (
        "YYYY-MM or YYYY-MM-DD, e.g. 2024-01 or 2024-01-31, not in the future",
        "年-月 或 年-月-日，例如 2024-01 或 2024-01-31，且不晚于今天",
    ),
    "form.format.date": ("a date, YYYY-MM-DD", "日期 年-月-日（YYYY-MM-DD）"),
    "form.format.announced_from": ("a date, YYYY-MM-DD", "日期 年-月-日（YYYY-MM-DD）"),
    "form.format.announced_to": ("a date, YYYY-MM-DD", "日期 年-月-日（YYYY-MM-DD）"),
    "form.format.what_if_suspended_from": (
        "a date, YYYY-MM-DD", "日期 年-月-日（YYYY-MM-DD）"
    ),
    # -- field labels --------------------------------------------------------------------
    "field.brand": ("Brand", "品牌"),
    "field.model": ("Model", "型号"),
    "field.serial": ("Serial number (SN)", "序列号（SN）"),
    "field.batch": ("Batch code", "批次号"),
    "field.produced": ("Production date", "生产日期"),
    "field.capacity_mah": ("Capacity (mAh)", "容量（毫安时 mAh）"),
    "field.voltage": ("Cell voltage (V)", "电芯电压（V）"),
    "field.energy_wh": ("Rated energy (Wh)", "额定能量（Wh）"),
    "field.ccc_mark": ("Does the unit show the 3C mark?", "充电宝上有3C标志吗？"),
    "field.ccc_certificate": ("3C certificate number", "3C证书编号"),
    "field.rules": ("Trip", "行程"),
    "field.date": ("Date", "日期"),
    "field.baggage": ("How it is carried", "携带方式"),
    "field.count": ("How many power banks", "携带充电宝数量"),
    "field.search": ("Search", "搜索"),
    "field.holder": ("Holder", "持证企业"),
    "field.status": ("Status", "状态"),
    "field.role": ("Role", "角色"),
    "field.country": ("Country", "国家/地区"),
    "field.kind": ("Kind", "类别"),
    "field.page": ("Page", "页码"),
    "field.market": ("Market", "市场"),
    "field.authority": ("Authority", "主管机构"),
    "field.announced_from": ("Announced from", "发布日期起"),
    "field.announced_to": ("Announced until", "发布日期止"),
    "field.company": ("Company", "企业"),
    "field.cell_lot": ("Cell lot", "电芯批次"),
    "field.what_if_suspended_from": ("What if suspended from", "假设自该日起暂停"),
    "hint.produced": (
        "As printed (生产日期), YYYY-MM-DD or YYYY-MM.", "按标签所印填写，年-月-日 或 年-月。"
    ),
    "hint.voltage": (
        "The cell's nominal voltage (usually 3.6–3.85 V), not the 5 V USB output.",
        "电芯标称电压（通常为 3.6–3.85 V），不是 5 V 的 USB 输出电压。",
    ),
    "hint.energy_wh": ("Printed as Wh on most labels.", "多数标签上以 Wh 标注。"),
    "hint.ccc_certificate": (
        "16 digits, if printed next to the mark.", "如标志旁印有编号，为16位数字。"
    ),
    "hint.ccc_mark": (
        "The China Compulsory Certification mark looks like this: the letters CCC inside "
        "an oval. It is printed or moulded on the label or the case.",
        "中国强制性产品认证（3C）标志如图：椭圆内有 CCC 字样，印在标签或外壳上。",
    ),
    "mark.present": ("Yes, the mark is there", "有，清晰可见"),
    "mark.absent": ("No mark", "没有标志"),
    "mark.illegible": ("Cannot read it clearly", "标志模糊不清"),
    "mark.unknown": ("I have not looked", "未查看"),
    "baggage.carry_on": ("Carry-on (with me)", "随身携带"),
    "baggage.checked": ("Checked baggage", "托运行李"),
    # -- check ---------------------------------------------------------------------------
    "check.title": ("Check a power bank", "查询充电宝"),
    "check.heading": (
        "Is my power bank recalled, and may it travel?", "我的充电宝是否被召回，能否携带？"
    ),
    "check.lead": (
        "Type what the label says — every field is optional, but the more you give, the "
        "surer the answer.",
        "按标签内容填写。每项都可以不填，但填得越多，结果越准确。",
    ),
    "check.unit": ("The power bank", "充电宝信息"),
    "check.trip": ("The trip", "行程"),
    "check.submit": ("Check", "查询"),
    "check.ccc_picture": ("The 3C (CCC) mark", "3C（CCC）认证标志"),
    "check.result": ("Check result", "查询结果"),
    "check.unknown_trip": ("Trip: {detail}", "行程：未知的规则（{detail}）"),
    "trip.group.china": ("Flights within mainland China", "中国境内航班"),
    "trip.group.international": ("International flights", "国际航班"),
    "trip.group.airline": ("A named airline", "指定航空公司"),
    "trip.group.region": ("Other aviation authorities", "其他民航主管部门"),
    "trip.group.rail": ("Train", "火车"),
    "trip.group.courier": ("Courier", "快递"),
    "photo.heading": ("Read the label from a photo", "拍照识别标签"),
    "photo.lead": (
        "Take or choose a photo of the label; the fields below are filled in for you to "
        "check before you press Check. The photo is not kept.",
        "拍摄或选择标签照片，系统会自动填写下方各项，请核对后再查询。照片不会被保存。",
    ),
    "photo.button": ("Take or choose a photo", "拍照或选择照片"),
    "photo.reading": ("Reading the label…", "正在识别标签……"),
    "photo.read": (
        "Read {count} value(s) from the photo. Check each marked field before you press "
        "Check.",
        "已从照片识别 {count} 项，请逐项核对标注的内容后再查询。",
    ),
    "photo.nothing": (
        "Nothing could be read from this photo. Try again closer, in good light, or type "
        "the values.",
        "无法从照片中识别内容。请靠近、在光线充足处重拍，或手动填写。",
    ),
    "photo.unavailable": (
        "Reading labels from photos is not available on this server. Please type the "
        "values.",
        "本服务器未开通拍照识别功能，请手动填写。",
    ),
    "photo.too_large": (
        "The photo is too large. Choose a smaller one, or type the values.",
        "照片过大。请选择较小的照片，或手动填写。",
    ),
    "photo.unreadable": (
        "The photo could not be read: {message}", "无法读取该照片：{message}"
    ),
    "photo.failed": (
        "The photo could not be sent. Check the connection, or type the values.",
        "照片上传失败。请检查网络，或手动填写。",
    ),
    "photo.not_image": ("Choose an image file.", "请选择图片文件。"),
    "photo.read_as": ("Read from the photo: “{text}”", "照片识别结果：“{text}”"),
    "photo.confidence": ("confidence {percent} %", "可信度 {percent}%"),
    "photo.check_it": ("check it", "请核对"),
    # -- result --------------------------------------------------------------------------
    "result.verdict": ("Verdict", "结论"),
    "result.trip": ("Trip", "行程"),
    "result.edit": ("Change the facts", "修改信息"),
    "result.share": ("Link to this result", "本结果链接"),
    "result.actions": ("What to do now", "现在该怎么做"),
    "result.why": ("Why", "原因"),
    "result.evidence": ("Facts used", "依据"),
    "result.source": ("source", "来源"),
    "result.no_rule": (
        "No rule of this trip stops the unit.", "本行程的规定中没有禁止该充电宝的条款。"
    ),
    "result.conditions": ("Conditions that come with it", "携带须遵守的条件"),
    "result.recall": ("Recall", "召回"),
    "result.scope_rule": ("Units of {model} recalled:", "{model} 的召回范围："),
    "result.matched_on": ("Matched on", "匹配依据"),
    "result.folded": (
        "The serial matched only after treating O as 0, I and L as 1, Z as 2: compare it "
        "with the label character by character.",
        "序列号在将 O 视为 0、I 和 L 视为 1、Z 视为 2 之后才匹配：请逐字核对标签。",
    ),
    "result.possible": (
        "The unit may fall under these recalls; it depends on what is on the label:",
        "该充电宝可能属于以下召回范围，取决于标签上的信息：",
    ),
    "result.read_off": ("Read this off the unit", "请从充电宝上查看"),
    "result.add_and_check": ("Add it and check again", "补充后再次查询"),
    "result.certificate": ("3C certificate", "3C证书"),
    "result.energy": ("Energy", "能量"),
    "result.energy_unknown": ("not known", "未知"),
    "result.advisories": ("Also note", "其他提示"),
    "result.fineprint": (
        "Judged on registry version {version}. The registry restates public notices; when "
        "in doubt, ask the brand or the carrier.",
        "依据登记库第 {version} 版判定。登记库转述公开公告；如有疑问，请咨询品牌方或承运方。",
    ),
    **{f"verdict.{k.value}": v for k, v in VERDICT_WORDS.items()},
    **{f"recall_status.{k.value}": v for k, v in RECALL_WORDS.items()},
    **{f"cert_state.{k.value}": v for k, v in CERTIFICATE_WORDS.items()},
    **{f"advisory.{code}": v for code, v in ADVISORY_WORDS.items()},
    # -- lists ---------------------------------------------------------------------------
    "list.search": ("Search", "搜索"),
    "list.any": ("Any", "全部"),
    "list.apply": ("Show", "显示"),
    "list.clear": ("Clear", "清除"),
    "list.pages": ("Pages", "分页"),
    "list.showing": ("{first}–{last} of {total}", "第 {first}–{last} 条，共 {total} 条"),
    "list.none": ("Nothing matches.", "没有符合条件的记录。"),
    "list.previous": ("Previous", "上一页"),
    "list.next": ("Next", "下一页"),
    "list.page": ("page {page} of {pages}", "第 {page} / {pages} 页"),
    "common.sources": ("Sources", "来源"),
    "common.colon": (": ", "："),
    "common.today": ("today", "今天"),
    "common.note": ("Note", "备注"),
    "common.date": ("Date", "日期"),
    "common.none_recorded": ("None recorded.", "暂无记录。"),
    "common.not_recorded": ("not recorded", "未记录"),
    "common.unknown": ("unknown", "未知"),
    "common.on_date": ("on {date}", "（截至 {date}）"),
    # -- recalls -------------------------------------------------------------------------
    "recalls.title": ("Recalls", "召回"),
    "recalls.heading": ("Recalls and warnings", "召回与警示"),
    "recall.title": ("Title", "标题"),
    "recall.announced": ("Announced", "发布日期"),
    "recall.issuer": ("Issued by", "发布企业"),
    "recall.market": ("Market", "市场"),
    "recall.authority": ("Authority", "主管机构"),
    "recall.units": ("Units", "数量"),
    "recall.units_n": ("{units} units", "{units} 件"),
    "recall.warning": ("warning", "警示"),
    "recall.kind": ("Kind", "类型"),
    "recall.kind.recall": ("recall", "召回"),
    "recall.kind.warning": ("authority's warning", "主管机构警示"),
    "recall.approximate": ("approximate", "约数"),
    "recall.incidents": ("Incidents reported", "已报告事故"),
    "recall.injuries": ("Injuries reported", "已报告受伤"),
    "recall.sold": ("Sold", "销售时间"),
    "recall.hazard": ("Hazard", "危险"),
    "recall.cause": ("Cause", "原因"),
    "recall.remedies": ("Remedy", "补救措施"),
    "recall.no_remedy": ("Not recorded; see the notice.", "未记录，详见公告。"),
    "recall.scope": ("Which units", "召回范围"),
    "recall.which_units": ("Recalled units", "召回的产品"),
    "recall.every_one": (
        "Recalled when every one of these holds:", "同时满足以下各项即在召回范围内："
    ),
    "recall.check_unit": ("Check a unit", "查询某件产品"),
    "recall.revisions": ("Revisions", "修订"),
    "recall.brand_incidents": ("Incidents with this brand", "该品牌相关事故"),
    "recall.versions": ("Stored versions", "历史版本"),
    "recall.no_versions": ("No version history stored.", "未存储历史版本。"),
    # -- companies -----------------------------------------------------------------------
    "companies.title": ("Companies", "企业"),
    "companies.heading": ("Companies", "企业"),
    "company.name": ("Name", "名称"),
    "company.names": ("Names", "名称"),
    "company.aliases": ("Also known as", "别名"),
    "company.former": ("Former names", "曾用名"),
    "company.role": ("Role", "角色"),
    "company.country": ("Country", "国家/地区"),
    "company.links": ("Links to other companies", "关联企业"),
    "company.since": ("since {date}", "自 {date}"),
    "company.certificates": ("Certificates", "证书"),
    "company.models": ("Models", "型号"),
    "company.recalls": ("Recalls", "召回"),
    "company.see_impact": ("See the impact of this company", "查看该企业的影响范围"),
    "company.asked_as": (
        "You asked for “{name}”: that name leads to this company.",
        "您查询的是“{name}”，该名称指向本企业。",
    ),
    "role.brand": ("brand", "品牌"),
    "role.pack_maker": ("power-bank maker", "充电宝制造商"),
    "role.cell_maker": ("cell maker", "电芯制造商"),
    "role.cell_factory": ("cell factory", "电芯工厂"),
    "role.retailer": ("retailer", "零售商"),
    "role.distributor": ("distributor", "经销商"),
    "role.holding": ("holding company", "控股公司"),
    "link.renamed_to": ("Renamed to", "更名为"),
    "link.subsidiary_of": ("Subsidiary of", "隶属于"),
    "link.contract_manufacturer_for": ("Contract manufacturer for", "代工对象"),
    "link.renamed_to.inverse": ("was renamed to this company", "已更名为本企业"),
    "link.subsidiary_of.inverse": ("is a subsidiary", "为本企业的子公司"),
    "link.contract_manufacturer_for.inverse": (
        "makes for this company under contract", "为本企业代工"
    ),
    # -- models --------------------------------------------------------------------------
    "models.title": ("Models", "型号"),
    "models.heading": ("Power-bank and cell models", "充电宝和电芯型号"),
    "model.kind": ("Kind", "类别"),
    "model.output": ("Maximum output", "最大输出功率"),
    "model.check": ("Check a unit of this model", "查询该型号的某件产品"),
    "model.recalls": ("Recalls of this model", "该型号的召回"),
    "model.no_recall": ("No recall of this model is recorded.", "未记录该型号的召回。"),
    "model.batches": ("Batches", "批次"),
    "model.produced": ("Made", "生产时间"),
    # -- certificates --------------------------------------------------------------------
    "certificates.title": ("Certificates", "3C证书"),
    "certificates.heading": ("3C certificates and their status", "3C证书及其状态"),
    "certificate.heading": ("Certificate {number}", "证书 {number}"),
    "certificate.number": ("Number", "编号"),
    "certificate.holder": ("Holder", "持证企业"),
    "certificate.status": ("Status", "状态"),
    "certificate.status_on": ("Status on", "状态日期"),
    "certificate.status_at": ("Status on {date}", "{date} 的状态"),
    "certificate.scheme": ("Scheme", "认证类型"),
    "certificate.models": ("Models covered", "覆盖型号"),
    "certificate.standards": ("Standards", "标准"),
    "certificate.issued": ("Issued", "发证日期"),
    "certificate.expires": ("Expires", "有效期至"),
    "certificate.history": ("Status history", "状态变更记录"),
    "certificate.reason": ("Reason", "原因"),
    "certificate.no_changes": ("No status change recorded.", "无状态变更记录。"),
    "certificate.timeline": ("Status over time", "状态时间线"),
    "certificate.timeline_desc": (
        "Each bar is a certificate; its colour and pattern show the status over time, a "
        "tick marks each recorded change.",
        "每条横条代表一张证书，颜色和纹理表示各时期的状态，竖线标记每次记录的变更。",
    ),
    "certificate.not_yet": ("not yet issued", "尚未颁发"),
    "certificate.valid_since_unknown": (
        "valid (issue date not recorded)", "有效（发证日期未记录）"
    ),
    "certificate.unpublished": ("number not published", "编号未公布"),
    "certificate.unpublished_short": ("not published", "未公布"),
    "certificate.unpublished_note": (
        "The real number of this certificate was not published; this record stands for it "
        "under a name of the registry's own.",
        "该证书的真实编号未公布，本记录以登记库自拟的名称代表它。",
    ),
    "certificate.kind.power_bank": ("power bank", "移动电源"),
    "certificate.kind.cell": ("cell", "电芯"),
    # -- impact --------------------------------------------------------------------------
    "impact.title": ("Impact", "影响分析"),
    "impact.heading": ("Impact over the supply chain", "供应链影响分析"),
    "impact.lead": (
        "Pick a cell maker, a factory or a cell lot and a date: see which batches, models "
        "and brands it reaches, and which units are not yet recalled.",
        "选择电芯制造商、工厂或电芯批次以及日期，查看其影响的批次、型号和品牌，以及尚未召回的产品。",
    ),
    "impact.company": ("Company (any name)", "企业（任一名称）"),
    "impact.company_hint": (
        "A cell maker or factory, by any name, alias or former name.",
        "电芯制造商或工厂，可填任一名称、别名或曾用名。",
    ),
    "impact.cell_lot": ("or a cell lot", "或电芯批次"),
    "impact.no_lot": ("— none —", "— 不选 —"),
    "impact.what_if_hint": (
        "Optional: treat the company's certificates as suspended from this date.",
        "可选：假设该企业的证书自此日起被暂停。",
    ),
    "impact.submit": ("Show the impact", "查看影响"),
    "impact.one_start": (
        "Give a company or a cell lot, not both ({detail})",
        "请填写企业或电芯批次，只能选其一（{detail}）",
    ),
    "impact.not_found": ("Not in the registry: {detail}", "登记库中没有：{detail}"),
    "impact.exposed": ("Reached", "受影响"),
    "impact.batch_one": ("{count} batch", "{count} 个批次"),
    "impact.batch_many": ("{count} batches", "{count} 个批次"),
    "impact.graph.no_factory": ("factory not recorded", "工厂未记录"),
    "impact.graph.no_lot": ("cell lot not recorded", "电芯批次未记录"),
    "impact.unknown_units": (
        "size of {count} not published", "其中 {count} 个批次数量未公布"
    ),
    "impact.graph": ("Supply graph", "供应链图"),
    "impact.graph.desc": (
        "From the cell maker on the left through factories and cell lots to batches, "
        "models and brands on the right; the table below lists the same figures.",
        "从左侧的电芯制造商，经工厂和电芯批次，到右侧的批次、型号和品牌；下表列出相同的数据。",
    ),
    "impact.graph.legend": (
        "Batches: plain green = already recalled; dotted amber = partly recalled or "
        "undecided; hatched red = not yet recalled. Select a box to open its page.",
        "批次：纯绿色 = 已召回；黄色圆点 = 部分召回或无法判定；红色斜线 = 尚未召回。"
        "点击方框可打开对应页面。",
    ),
    "impact.layer.maker": ("Cell maker", "电芯制造商"),
    "impact.layer.factory": ("Factories", "工厂"),
    "impact.layer.lot": ("Cell lots", "电芯批次"),
    "impact.layer.batch": ("Batches", "产品批次"),
    "impact.layer.model": ("Models", "型号"),
    "impact.layer.brand": ("Brands", "品牌"),
    "impact.layer.none": ("none recorded", "无记录"),
    "impact.table": ("Exposed units by model", "各型号受影响产品"),
    "impact.recalled_by": ("Recalled by", "召回公告"),
    "impact.nothing": (
        "The registry links no batch to this start.", "登记库中没有与之关联的批次。"
    ),
    "impact.batches": ("Every batch and the path to it", "各批次及其供应链路径"),
    "impact.related": ("Related companies not followed", "未追溯的关联企业"),
    # -- dashboard -----------------------------------------------------------------------
    "dashboard.title": ("Dashboard", "数据看板"),
    "dashboard.heading": (
        "Recalls, certificates and incidents over time", "召回、证书与事故趋势"
    ),
    "dashboard.lead": (
        "Figures from the registry as it stands; nothing is estimated. Each chart has its "
        "figures in a table below it.",
        "数据来自当前登记库，不作估算。每张图表下方附有数据表。",
    ),
    "dashboard.recalls_by_month": ("Recalls by month announced", "按发布月份统计的召回数"),
    "dashboard.recalls_by_month_desc": (
        "Number of recalls and warnings announced each month.", "每月发布的召回和警示数量。"
    ),
    "dashboard.units_by_month": ("Units recalled by month", "按月份统计的召回数量（件）"),
    "dashboard.units_by_month_desc": (
        "Units covered by the recalls announced each month (where published).",
        "每月发布的召回所涉及的产品数量（以公布数据为准）。",
    ),
    "dashboard.by_brand": ("By brand", "按品牌"),
    "dashboard.units_by_brand": ("Units recalled by brand", "各品牌召回数量（件）"),
    "dashboard.units_by_brand_desc": (
        "Units recalled per brand, most first.", "各品牌召回的产品数量，从多到少。"
    ),
    "dashboard.recalls_by_brand": ("Recalls by brand", "各品牌召回次数"),
    "dashboard.recalls_by_brand_desc": (
        "Number of recalls per brand.", "各品牌的召回次数。"
    ),
    "dashboard.earlier": ("earlier", "更早"),
    "dashboard.year_only": (
        "{count} recall(s) are dated to the year only and are not in the monthly charts.",
        "有 {count} 项召回仅记录到年份，未计入按月图表。",
    ),
    "dashboard.incidents_year_only": (
        "{count} incident(s) are dated to the year only and are not in the monthly chart.",
        "有 {count} 起事故仅记录到年份，未计入按月图表。",
    ),
    "dashboard.as_table": ("The figures as a table", "以表格查看数据"),
    "dashboard.month": ("Month", "月份"),
    "dashboard.certificates": ("Certificate status changes", "证书状态变更"),
    "dashboard.changes": ("Every recorded change", "全部变更记录"),
    "dashboard.certificate": ("Certificate", "证书"),
    "dashboard.incidents": (
        "Incidents by month and where they happened", "按月份和场所统计的事故"
    ),
    "dashboard.incidents_by_month": ("Incidents by month", "每月事故数"),
    "dashboard.incidents_by_month_desc": (
        "Incidents reported each month, stacked by where they happened.",
        "每月报告的事故数，按发生场所分层。",
    ),
    "dashboard.incidents_by_mode": (
        "Incidents by where they happened", "按发生场所统计的事故"
    ),
    "dashboard.incidents_by_mode_desc": (
        "Number of incidents per place: in flight, at the airport, on trains …",
        "各场所的事故数量：飞行中、机场、火车……",
    ),
    "dashboard.mode": ("Where", "场所"),
    "dashboard.count": ("Incidents", "事故数"),
    "dashboard.effectiveness": ("Recall effectiveness", "召回效果"),
    "dashboard.no_figures": ("No figures recorded yet.", "尚无记录数据。"),
    "dashboard.effectiveness_note": (
        "The authority's figures are quoted as published, with their date and source; they "
        "are never added to the claims made through cellwatch, which count only what was "
        "claimed here.",
        "主管机构的数据按公布原文引用，并注明日期与来源；不与通过 cellwatch 提交的申请相加，"
        "后者只统计在本系统提交的申请。",
    ),
    "dashboard.effectiveness_lead": (
        "How much of each recall has come back: as an authority reported it, and as claimed "
        "and completed through cellwatch.",
        "各召回的回收进度：主管机构公布的数据，以及通过 cellwatch 提交和完成的申请。",
    ),
    "dashboard.recall": ("Recall", "召回"),
    "dashboard.reported": ("Reported by the authority", "主管机构公布"),
    "dashboard.claims": ("Claims via cellwatch", "cellwatch 申请数"),
    "dashboard.completed": ("Completed", "已完成"),
    # -- field operations: shared ----------------------------------------------------------
    "nav.signals": ("Signals", "风险信号"),
    "footer.officers": ("Officers, retailers and brands: sign in with your token",
                        "安检、监管、零售与品牌用户：使用令牌登录"),
    "error.unauthenticated": ("Please sign in", "请先登录"),
    "error.forbidden": ("Not allowed", "无权操作"),
    "error.conflict": ("This does not fit what is recorded", "与已有记录冲突"),
    "error.rate_limited": ("Too many requests", "请求过于频繁"),
    "error.rate_limited_detail": (
        "Too many requests came from this address. Wait {seconds} s, then try again: "
        "nothing you sent was kept.",
        "来自此地址的请求过多。请等待 {seconds} 秒后重试：刚才提交的内容未被保存。",
    ),
    "error.too_large_detail": (
        "What was sent is larger than {megabytes} MB altogether: send fewer or smaller "
        "photos.",
        "提交的内容总计超过 {megabytes} MB：请减少照片数量或缩小照片。",
    ),
    "error.cross_site_detail": (
        "This form was sent from another website, so it was not accepted. Open the page "
        "on this site and send the form again.",
        "该表单来自其他网站，已被拒绝。请在本站打开页面后重新提交。",
    ),
    "form.required": ("(required)", "（必填）"),
    "form.format.contact_email": ("an email address, e.g. name@example.cn",
                                  "电子邮箱地址，例如 name@example.cn"),
    "form.format.contact_phone": ("a phone number: digits, spaces, +, -, ( )",
                                  "电话号码：数字、空格及 +、-、( )"),
    "field.as_of": ("As of", "截至日期"),
    "field.since": ("Incidents from", "事故起始日期"),
    "field.recall_id": ("Recall", "召回编号"),
    "field.remedy": ("Remedy wanted", "希望的补救方式"),
    "field.contact_name": ("Your name", "姓名"),
    "field.contact_email": ("Email", "电子邮箱"),
    "field.contact_phone": ("Phone", "电话"),
    "field.contact": ("Contact", "联系方式"),
    "field.photos": ("Evidence photos", "证据照片"),
    "field.secret": ("Claim secret", "申请密码"),
    "field.token": ("Your token", "您的令牌"),
    "field.location": ("Location", "地点"),
    "field.kind_step": ("What was done", "处理结果"),
    "field.case_id": ("Case number", "案件编号"),
    "field.reason": ("Reason for refusal", "拒绝原因"),
    "field.note": ("Note", "备注"),
    "field.receipt": ("Receipt number", "凭条号"),
    "field.recycler": ("Recycler", "回收单位"),
    "field.recycler_licence": ("Recycler's licence number", "回收单位许可证号"),
    "field.mode": ("Where it happened", "发生场所"),
    "field.place": ("Place", "地点"),
    "field.flight": ("Flight or train", "航班或车次"),
    "field.severity": ("What happened", "事故类型"),
    "field.injuries": ("People injured", "受伤人数"),
    "field.damage": ("Damage", "损失情况"),
    "field.description": ("What happened, in words", "事故经过"),
    "field.source_url": ("Source (web address)", "信息来源（网址）"),
    "hint.as_of": ("Certificate status is taken at this date (today if empty).",
                   "证书状态按此日期判断（留空为今天）。"),
    "hint.since": ("Leave empty for every incident.", "留空则包括全部事故。"),
    "hint.recall_id": ("Only when several recalls cover the unit.",
                       "仅当该产品属于多项召回时填写。"),
    "hint.case_id": ("Leave empty for a new unit; give it for a later step of a case.",
                     "新产品留空；记录已有案件的后续步骤时填写。"),
    "hint.reason": ("Only for a refusal.", "仅拒绝携带时填写。"),
    "hint.receipt": ("Only for storing; made up if empty.", "仅暂存时填写；留空自动生成。"),
    "hint.recycler": ("Only for a hand-over, with the licence number.",
                      "仅移交时填写，并填写许可证号。"),
    "hint.incident_date": ("YYYY-MM-DD, or YYYY-MM or YYYY when not known to the day.",
                           "年-月-日；不确定具体日期时可填 年-月 或 年。"),
    "hint.source_url": ("Where the incident is reported: a notice, a news article.",
                        "事故的公开报道网址，例如通报或新闻。"),
    "remedy.refund": ("Refund", "退款"),
    "remedy.replacement": ("Replacement", "更换"),
    "remedy.repair": ("Repair", "维修"),
    "remedy.voucher": ("Voucher", "代金券"),
    "remedy.gift_card": ("Gift card", "礼品卡"),
    "remedy.dispose": ("Safe disposal", "安全处置"),
    "severity.overheating": ("overheating", "过热"),
    "severity.bulging": ("bulging", "鼓包"),
    "severity.smoke": ("smoke", "冒烟"),
    "severity.fire": ("fire", "起火"),
    "severity.explosion": ("explosion", "爆炸"),
    "role_token.brand": ("brand", "品牌"),
    "role_token.regulator": ("regulator", "监管部门"),
    "role_token.checkpoint": ("checkpoint", "安检点"),
    "role_token.screener": ("screener", "筛查"),
    "role_token.admin": ("administrator", "管理员"),
    # -- signals -------------------------------------------------------------------------
    "signals.title": ("Signals", "风险信号"),
    "signals.heading": ("Incident signals and the inspection list", "事故风险信号与检查清单"),
    "signals.lead": (
        "Computed from the registry's incidents, recalls and certificates, as the API's "
        "GET /v1/signals: rates per million units (each naming what it divides by), "
        "disproportionality, and which models and cell makers to inspect first, and why.",
        "根据登记库中的事故、召回和证书计算，与 API 的 GET /v1/signals 相同：每百万件事故率"
        "（注明分母）、不相称性分析，以及应优先检查的型号和电芯厂及其原因。",
    ),
    "signals.show": ("Show", "查看"),
    "signals.window": (
        "As of {as_of}: {count} incident(s), {attributed} of them attributed to a brand.",
        "截至 {as_of}：共 {count} 起事故，其中 {attributed} 起可归属到品牌。",
    ),
    "signals.as_json": ("The same as JSON", "JSON 格式数据"),
    "signals.rates": ("Incidents per million units", "每百万件事故数"),
    "signals.rates_lead": (
        "Each rate divides the incidents of a group by its units; the denominator column "
        "says which units were counted.",
        "每项比率为该组事故数除以其产品数量；“分母”一栏说明计入了哪些产品数量。",
    ),
    "signals.by.brand": ("By brand", "按品牌"),
    "signals.by.model": ("By model", "按型号"),
    "signals.by.batch": ("By batch", "按批次"),
    "signals.by.cell_maker": ("By cell maker", "按电芯厂"),
    "signals.kind.brand": ("Brand", "品牌"),
    "signals.kind.model": ("Model", "型号"),
    "signals.kind.batch": ("Batch", "批次"),
    "signals.kind.cell_maker": ("Cell maker", "电芯厂"),
    "signals.kind.recall": ("Recall", "召回"),
    "signals.incidents": ("Incidents", "事故数"),
    "signals.units": ("Units", "产品数量"),
    "signals.denominator": ("Denominator", "分母"),
    "signals.per_million": ("Per million units", "每百万件"),
    "signals.none": ("None.", "无。"),
    "signals.recall_rates": (
        "Incidents a recall notice reported, per million recalled units",
        "召回公告公布的事故数（每百万件召回产品）",
    ),
    "signals.disproportion": ("Disproportionality", "不相称性分析"),
    "signals.disproportion_lead": (
        "For each group and kind of incident: the proportional reporting ratio (PRR) and the "
        "reporting odds ratio (ROR) with 95 % confidence intervals, and χ² with Yates' "
        "correction. A row is flagged when PRR ≥ {prr}, χ² ≥ {chi2} and N ≥ {n}.",
        "按组和事故类型计算：比例报告比（PRR）、报告比值比（ROR）及其 95% 置信区间，以及经 "
        "Yates 校正的 χ²。当 PRR ≥ {prr}、χ² ≥ {chi2} 且 N ≥ {n} 时标记为信号。",
    ),
    "signals.group": ("Group", "分组"),
    "signals.event": ("Incident", "事故类型"),
    "signals.ci": ("95 % CI", "95% 置信区间"),
    "signals.flag": ("Signal", "信号"),
    "signals.signal": ("signal", "信号"),
    "signals.no_measures": (
        "No incident names both a model or cell maker and what happened: nothing to measure.",
        "没有同时写明型号或电芯厂及事故类型的事故记录，无法计算。",
    ),
    "signals.inspection": ("Inspection list", "检查清单"),
    "signals.inspection_lead": (
        "Models and cell makers ranked by a score; each line says what added to it.",
        "按得分排列的型号和电芯厂；每行说明得分来源。",
    ),
    "signals.score": ("score {score}", "得分 {score}"),
    "signals.incident_list": ("Incidents counted", "计入的事故"),
    "signals.incident": ("Incident", "事故"),
    "signals.counted": ("How it is counted", "计入方式"),
    "dashboard.signals_link": (
        "Signals: incidents per million units and the inspection list",
        "风险信号：每百万件事故数与检查清单",
    ),
    "result.claim": ("Claim the recall's remedy for this unit", "为此产品申请召回补救"),
    # -- recall claims ---------------------------------------------------------------------
    "claim.title": ("Claim a recall remedy", "申请召回补救"),
    "claim.heading": ("Claim a recall remedy", "申请召回补救"),
    "claim.lead": (
        "If a recall covers your power bank, ask the brand for its remedy here. The unit is "
        "checked against the recall's scope first. Your contact details go only to the brand "
        "and regulators.",
        "如您的充电宝在召回范围内，可在此向品牌申请补救。系统会先核对产品是否在召回范围内。"
        "您的联系方式仅提供给品牌和监管部门。",
    ),
    "claim.not_eligible": ("This unit cannot claim a remedy:", "该产品无法申请补救："),
    "claim.unit": ("The power bank", "充电宝信息"),
    "claim.remedy_any": ("Whatever the recall offers", "按召回提供的方式"),
    "claim.contact": ("How the brand reaches you", "品牌如何联系您"),
    "claim.contact_hint": ("Give an email address or a phone number (or both).",
                           "请填写电子邮箱或电话（或两者）。"),
    "claim.photos_label": ("Photos of the unit and its label", "产品及标签照片"),
    "claim.photos_hint": (
        "Up to {count} photos (JPEG, PNG or WebP), at most {megabytes} MB each. Location "
        "and camera details are removed.",
        "最多 {count} 张（JPEG、PNG 或 WebP），每张不超过 {megabytes} MB。照片中的位置和相机"
        "信息将被删除。",
    ),
    "claim.submit": ("Send the claim", "提交申请"),
    "claim.already_heading": ("Already claimed", "已申请过"),
    "claim.already": (
        "The serial number {serial} has already claimed the remedy of recall {recall}. "
        "Follow that claim with the number and secret you were given.",
        "序列号 {serial} 已申请过召回 {recall} 的补救。请凭当时获得的申请编号和密码查询进度。",
    ),
    "claim.too_large": (
        "Too large ({what}): send at most {photos} photos of at most {megabytes} MB each.",
        "内容过大（{what}）：最多 {photos} 张照片，每张不超过 {megabytes} MB。",
    ),
    "claim.bad_photo": ("A photo could not be read as an image: {detail}",
                        "有照片无法识别为图片：{detail}"),
    "claim.reachable": ("Contact: give an email address or a phone number.",
                        "联系方式：请填写电子邮箱或电话。"),
    "claim.done_title": ("Claim received", "已收到申请"),
    "claim.done_heading": ("Claim received", "已收到申请"),
    "claim.done_lead": ("Your claim on recall {recall} is with the brand.",
                        "您对召回 {recall} 的申请已转交品牌。"),
    "claim.number": ("Claim number", "申请编号"),
    "claim.secret": ("Secret", "密码"),
    "claim.keep_secret": (
        "Keep the claim number and the secret now: the secret is shown only this once, and "
        "you need both to see how your claim is going.",
        "请立即保存申请编号和密码：密码仅显示这一次，查询申请进度时两者都需要。",
    ),
    "claim.follow_link": ("Where to follow the claim", "申请进度查询页面"),
    "claim.the_recall": ("The recall", "召回"),
    "claim.status_title": ("Claim status", "申请进度"),
    "claim.status_heading": ("Claim {id}", "申请 {id}"),
    "claim.status_lead": ("Type the secret you were given when you sent the claim.",
                          "请输入提交申请时获得的密码。"),
    "claim.show_status": ("Show the status", "查询进度"),
    "claim.state": ("Status", "状态"),
    "claim.reason": ("Reason", "原因"),
    "claim.submitted": ("Sent", "提交时间"),
    "claim.updated": ("Last change", "最近更新"),
    "claim.secret_needed": ("Claim secret: please fill this in.", "申请密码：请填写。"),
    "claim.no_such": ("No claim has this number and secret.", "没有与该编号和密码对应的申请。"),
    # -- sign-in -----------------------------------------------------------------------------
    "signin.title": ("Sign in", "登录"),
    "signin.heading": ("Sign in with your token", "使用令牌登录"),
    "signin.lead": (
        "Paste the token you were given (it starts with cw_). It is kept in this browser "
        "for one shift, never in a web address; sign out when you leave the desk. "
        "Checkpoint and regulator tokens open the checkpoint records and incident reports; "
        "every token, including a retailer's screener token, may screen a list.",
        "请粘贴分配给您的令牌（以 cw_ 开头）。令牌在本浏览器中保存一个班次，不会出现在网址中；"
        "离开岗位时请退出登录。安检点和监管部门令牌可使用安检记录和事故报告；"
        "所有令牌（包括零售商的筛查令牌）均可批量筛查清单。",
    ),
    "signin.hint": ("From your administrator (cellwatch tokens create).",
                    "由管理员提供（cellwatch tokens create）。"),
    "signin.submit": ("Sign in", "登录"),
    "signin.invalid": (
        "Your token: not accepted (unknown, expired or revoked).",
        "您的令牌：无效（未知、已过期或已吊销）。",
    ),
    "signin.as": ("Signed in as {actor} ({role})", "已登录：{actor}（{role}）"),
    "signin.out": ("Sign out", "退出登录"),
    # -- checkpoint records ------------------------------------------------------------------
    "checkpoint.title": ("Checkpoint records", "安检记录"),
    "checkpoint.heading": ("Checkpoint records", "安检记录"),
    "checkpoint.at": ("At {location}", "地点：{location}"),
    "checkpoint.show": ("Show", "查看"),
    "checkpoint.recorded": ("Recorded: case {id}", "已记录：案件 {id}"),
    "checkpoint.receipt": ("Receipt number", "凭条号"),
    "checkpoint.deadline": ("Retrieve by", "取回截止日期"),
    "checkpoint.free_until": ("Free until", "免费保管至"),
    "checkpoint.fee": ("Fee after that", "之后收费"),
    "checkpoint.per_day": ("{amount} per day", "每天 {amount}"),
    "checkpoint.free": ("free", "免费"),
    "checkpoint.record": ("Record a step", "记录处理步骤"),
    "checkpoint.unit": ("The unit, or the case", "产品或案件"),
    "checkpoint.details": ("Details", "详细信息"),
    "checkpoint.submit": ("Record", "记录"),
    "checkpoint.chain": ("A unit's chain", "产品处理链"),
    "checkpoint.find": ("Find", "查找"),
    "checkpoint.no_chain": ("No case of this unit here.", "此处没有该产品的案件。"),
    "checkpoint.report": ("Daily report, {date}", "{date} 日报"),
    "checkpoint.metric": ("What", "项目"),
    "checkpoint.value": ("Number", "数量"),
    "checkpoint.overdue_cases": (
        "Past the deadline, to be recorded as abandoned: cases {cases}.",
        "已过取回期限，应记录为逾期未取：案件 {cases}。",
    ),
    "checkpoint.csv": ("Download the report (CSV)", "下载日报（CSV）"),
    "checkpoint.case": ("Case {id}", "案件 {id}"),
    "checkpoint.overdue": ("overdue", "已逾期"),
    "checkpoint.unbound": (
        "Your checkpoint token is bound to no location yet: ask a regulator to bind it "
        "(cellwatch checkpoint bind).",
        "您的安检令牌尚未绑定地点：请联系监管部门绑定（cellwatch checkpoint bind）。",
    ),
    "checkpoint.no_locations": ("No checkpoint location is defined yet.", "尚未设置任何安检地点。"),
    "checkpoint.wrong_role": (
        "A {role} token may not read or record checkpoint records.",
        "{role}类令牌不能查看或记录安检记录。",
    ),
    "checkpoint.records_need_checkpoint": (
        "Only a checkpoint token records steps, at the location it is bound to.",
        "只有安检令牌可以在其绑定的地点记录处理步骤。",
    ),
    "checkpoint.other_report": (
        "A checkpoint token reads only its own location's records and reports.",
        "安检令牌只能查看本地点的记录和日报。",
    ),
    "checkpoint.no_case": ("Case number: there is no case {case}.", "案件编号：没有案件 {case}。"),
    "checkpoint.other_location": (
        "Case number: case {case} belongs to another location.",
        "案件编号：案件 {case} 属于其他地点。",
    ),
    "checkpoint.illegal_first": (
        "A new case cannot start with “{wanted}”; it starts with one of: {allowed}.",
        "新案件不能以“{wanted}”开始，只能是：{allowed}。",
    ),
    "checkpoint.illegal_closed": (
        "Case {case} is closed (“{current}”): nothing more can be recorded.",
        "案件 {case} 已结束（“{current}”），不能再记录。",
    ),
    "checkpoint.illegal": (
        "Case {case} is “{current}”: “{wanted}” cannot follow; it may be followed by: "
        "{allowed}.",
        "案件 {case} 当前为“{current}”，不能记录“{wanted}”；可记录：{allowed}。",
    ),
    "checkpoint.not_storable": (
        "{location} does not store units refused as “{reason}”: record that the passenger "
        "gave it up, then hand it to a licensed recycler.",
        "{location} 不暂存因“{reason}”被拒绝的产品：请记录为旅客自弃，再移交持证回收单位。",
    ),
    "checkpoint.not_overdue": (
        "The unit may still be retrieved until {deadline}; it is abandoned only after that.",
        "该产品在 {deadline} 前仍可取回，逾期后才能记录为逾期未取。",
    ),
    "checkpoint.rule.case": (
        "Case number: a later step names the case only, not the unit again.",
        "案件编号：后续步骤只填写案件编号，不要再填写产品信息。",
    ),
    "checkpoint.rule.reason_needed": ("Reason for refusal: a refusal needs a reason.",
                                      "拒绝原因：拒绝携带须填写原因。"),
    "checkpoint.rule.reason_only": ("Reason for refusal: only a refusal takes a reason.",
                                    "拒绝原因：仅拒绝携带时填写。"),
    "checkpoint.rule.recycler_needed": (
        "Recycler: a hand-over names the recycler and its licence number.",
        "回收单位：移交须填写回收单位及其许可证号。",
    ),
    "checkpoint.rule.recycler_only": ("Recycler: only a hand-over names a recycler.",
                                      "回收单位：仅移交时填写。"),
    "checkpoint.rule.receipt_only": ("Receipt number: only storing gives a receipt.",
                                     "凭条号：仅暂存时填写。"),
    # -- incident reports --------------------------------------------------------------------
    "incident.title": ("Report an incident", "报告事故"),
    "incident.heading": ("Report an incident", "报告事故"),
    "incident.lead": (
        "A power bank that overheated, smoked, caught fire or exploded. The brand and model "
        "are matched against the registry; a report of the same flight or serial on the same "
        "day as a stored incident is held for a regulator.",
        "充电宝过热、冒烟、起火或爆炸事故。品牌和型号将与登记库匹配；与已有事故同一航班或同一"
        "序列号且同一天的报告将暂缓，由监管部门处理。",
    ),
    "incident.what": ("The incident", "事故情况"),
    "incident.device": ("The power bank, as far as known", "充电宝信息（尽量填写）"),
    "incident.account": ("Account and source", "经过与来源"),
    "incident.submit": ("Send the report", "提交报告"),
    "incident.held": ("Held as a likely duplicate", "疑似重复，已暂缓"),
    "incident.held_lead": (
        "It resembles incident {existing}; a regulator will merge it, keep it separate or "
        "reject it (held report {number}).",
        "该报告与事故 {existing} 相似，将由监管部门合并、单独保存或驳回（暂缓报告编号 {number}）。",
    ),
    "incident.stored": ("Stored", "已保存"),
    "incident.stored_lead": ("The incident is in the registry as", "事故已录入登记库，编号"),
    "incident.another": ("Report another incident", "报告其他事故"),
    "incident.wrong_role": (
        "A {role} token may not report incidents; regulator and checkpoint tokens may.",
        "{role}类令牌不能报告事故，仅监管部门和安检令牌可以。",
    ),
    "incident.too_long": ("Too long: at most {max_length} characters.",
                          "过长：最多 {max_length} 个字符。"),
    "incident.source": (
        "Source (web address): give the address of a public report, starting with https://",
        "信息来源（网址）：请填写以 https:// 开头的公开报道网址。",
    ),
    "incident.unknown_brand": ("Brand: {detail}", "品牌：登记库中没有该品牌（{detail}）"),
    "incident.exists": (
        "An incident {incident} is stored or held already; check it before reporting again.",
        "事故 {incident} 已存在或已暂缓，请先核对后再报告。",
    ),
    # -- bulk screening (/screen) ------------------------------------------------------
    "nav.screen": ("Screen a list", "批量筛查"),
    "screen.title": ("Screen an inventory", "批量筛查清单"),
    "screen.heading": ("Screen an inventory", "批量筛查清单"),
    "screen.lead": (
        "Upload a list of power banks (a shop's stock, a courier's or an airport's list): "
        "every row is checked against every recall and 3C certificate in the registry, with "
        "the same answers as the single check, and you get the list back with the answers "
        "added to each row.",
        "上传充电宝清单（商店库存、快递或机场的清单）：每一行都会与登记库中的全部召回和3C证书"
        "核对，结论与单个查询相同；返回的清单在每一行后加上结论。",
    ),
    "screen.upload": ("Upload a list", "上传清单"),
    "field.file": ("Inventory file", "清单文件"),
    "field.map": ("Column mapping", "列对应"),
    "field.output": ("Result file format", "结果文件格式"),
    "field.sheet": ("Sheet", "工作表"),
    "screen.sheet_hint": (
        "Workbooks only (.xlsx, .xls, .ods): the sheet to screen, by name or number, 1 for "
        "the first. Empty: the first worksheet.",
        "仅限工作簿（.xlsx、.xls、.ods）：要筛查的工作表名称或序号（1 为第一个）。"
        "留空：第一个工作表。",
    ),
    "screen.file_hint": (
        "CSV or TSV (UTF-8 or GB18030), Parquet, Excel (.xlsx, .xls) or OpenDocument (.ods), "
        "up to {megabytes} MB. "
        "Columns for the brand and model, and where you have them the serial number, batch "
        "code, production date and 3C certificate number; English and Chinese column names "
        "are recognised.",
        "CSV 或 TSV（UTF-8 或 GB18030 编码）、Parquet、Excel（.xlsx、.xls）"
        "或 OpenDocument（.ods），不超过 {megabytes} MB。"
        "需有品牌和型号列；如有，请附序列号、批次号、生产日期和3C证书编号列。可识别中英文列名。",
    ),
    "screen.date_hint": ("Screen as of this date, YYYY-MM-DD (empty: today).",
                         "按此日期筛查，格式 YYYY-MM-DD（留空：今天）。"),
    "screen.map_hint": (
        "Only when a column name is not recognised: one per line, COLUMN=FIELD, where FIELD "
        "is brand, model, serial, batch, produced or certificate.",
        "仅在列名无法识别时填写：每行一条，列名=字段，字段为 brand、model、serial、batch、"
        "produced 或 certificate。",
    ),
    "screen.format.csv": ("CSV (opens in Excel)", "CSV（可用 Excel 打开）"),
    "screen.format.parquet": ("Parquet (for data tools)", "Parquet（数据分析工具用）"),
    "screen.submit": ("Screen the list", "开始筛查"),
    "screen.jobs": ("Your screens", "您的筛查"),
    "screen.no_jobs": ("No screens yet.", "尚无筛查。"),
    "screen.submitted": ("Submitted", "提交时间"),
    "screen.state": ("Status", "状态"),
    "screen.status.queued": ("waiting", "排队中"),
    "screen.status.running": ("running", "筛查中"),
    "screen.status.done": ("done", "已完成"),
    "screen.status.failed": ("failed", "失败"),
    **{f"screen.stage.{stage}": v for stage, v in STAGE_WORDS.items()},
    "screen.no_file": ("Choose the file to screen.", "请选择要筛查的文件。"),
    "screen.bad_date": ("Write the date as YYYY-MM-DD, or leave it empty for today.",
                        "日期格式为 YYYY-MM-DD，或留空表示今天。"),
    "screen.bad_map": ("The column mapping cannot be used: {detail}",
                       "列对应无法使用：{detail}"),
    "screen.bad_output": ("Choose CSV or Parquet.", "请选择 CSV 或 Parquet。"),
    "field.only": ("Rows to keep in the result", "结果文件只保留这些行"),
    "screen.only_hint": (
        "Tick codes to keep only the rows whose recall status, 3C certificate status or an "
        "advisory is one of them, e.g. everything to act on in a list too long for a "
        "spreadsheet. None ticked: every row. The summary counts every row either way.",
        "勾选后，结果文件只保留召回状态、3C证书状态或提示属于所选项的行，例如超出电子表格行数的"
        "清单中需要处理的行。不勾选：保留所有行。两种情况下汇总都统计所有行。",
    ),
    "screen.only_recall": ("Recall status", "召回状态"),
    "screen.only_certificate": ("3C certificate status", "3C证书状态"),
    "screen.only_advisory": ("Advisory", "提示"),
    "screen.bad_only": ("These rows cannot be chosen: {detail}", "无法按这些项筛选：{detail}"),
    "screen.download_only": ("Download the rows kept ({count}, {format})",
                             "下载保留的行（{count} 行，{format}）"),
    "screen.rerun": ("Screen this list again as of today", "按今天的登记库重新筛查此清单"),
    "screen.rerun_hint": (
        "The stored file is screened again with the same settings against the registry as "
        "it is now: recalls and certificate changes published since are counted in. It "
        "becomes a new screen; this one stays as it is.",
        "用相同设置、按当前登记库重新筛查已保存的文件：计入此后公布的召回和证书变更。"
        "结果为一次新的筛查，本次筛查保持不变。",
    ),
    "screen.changes_heading": ("Since the screen as of {date}", "与截至 {date} 的筛查相比"),
    "screen.changes_counted": (
        "{rows} row(s) changed: {recalled} newly recalled; {changed} with other answers, "
        "{new} new in the result, {gone} no longer in it.",
        "{rows} 行有变化：新召回 {recalled} 行；答案不同 {changed} 行，"
        "结果中新出现 {new} 行，不再出现 {gone} 行。",
    ),
    "screen.changes_earlier": ("The earlier screen", "上一次筛查"),
    "screen.changes_earlier_deleted": ("The earlier screen has been deleted since.",
                                       "上一次筛查此后已被删除。"),
    "screen.download_changes": ("Download the rows that changed ({count}, CSV)",
                                "下载有变化的行（{count} 行，CSV）"),
    "screen.bad_sheet": ("A sheet's name has at most {limit} characters.",
                         "工作表名称最多 {limit} 个字符。"),
    "screen.too_large": ("The file is larger than {megabytes} MB; split it, or ask for the "
                         "API (POST /v1/screen) limit to be raised.",
                         "文件超过 {megabytes} MB；请拆分文件，或请管理员提高上限。"),
    "screen.too_many_rows": ("The file holds {rows} rows, more than the {limit} a screen "
                             "here may hold; split it, or screen it with the command line "
                             "(cellwatch screen).",
                             "文件有 {rows} 行，超过此处一次筛查的上限 {limit} 行；请拆分文件，"
                             "或用命令行（cellwatch screen）筛查。"),
    "screen.delete": ("Delete this screen and its files", "删除此筛查及其文件"),
    "screen.delete_running": ("Stop and delete this screen", "停止并删除此筛查"),
    "screen.deleted": ("The screen and its files were deleted from the server.",
                       "该筛查及其文件已从服务器删除。"),
    "screen.keep": ("The uploaded file, the result and the errors file are kept on the "
                    "server for {days} days after the screen ends, then deleted.",
                    "上传的文件、结果和错误文件在筛查结束后于服务器保存 {days} 天，随后删除。"),
    "screen.unusable": ("The file cannot be screened: {detail}", "该文件无法筛查：{detail}"),
    "screen.job_title": ("Screen of {name}", "筛查 {name}"),
    "screen.job_heading": ("Screen of {name}", "筛查 {name}"),
    "screen.refreshing": ("The status above is updated every {seconds} seconds until the "
                          "screen is done.", "上方状态每 {seconds} 秒更新一次，直到筛查完成。"),
    "screen.refresh": ("Refresh now", "立即刷新"),
    "screen.failed": ("The screen failed. Why:", "筛查失败。原因："),
    "screen.again": ("Screen a list again", "重新筛查"),
    "screen.another": ("Screen another list", "筛查其他清单"),
    "screen.summary": ("What the screen found", "筛查结果"),
    "screen.counted": ("{screened} of {rows} rows screened as of {date}.",
                       "共 {rows} 行，已筛查 {screened} 行，截至 {date}。"),
    "screen.download": ("Download the screened list ({format})",
                        "下载筛查结果（{format}）"),
    "screen.download_errors": ("Rows that could not be screened ({count})",
                               "无法筛查的行（{count}）"),
    "screen.recall": ("Recall status", "召回状态"),
    "screen.certificate": ("3C certificate status", "3C证书状态"),
    "screen.advisory": ("Advisory", "提示"),
    "screen.units": ("Units", "数量"),
    "screen.top_brands": ("Brands with the most recalled or possibly recalled units",
                          "召回或可能召回数量最多的品牌"),
    "screen.top_models": ("Models with the most recalled or possibly recalled units",
                          "召回或可能召回数量最多的型号"),
    "screen.columns_hint": (
        "The screened list is your list with these columns added to each row: "
        "recall_status, recall_ids, possible_recall_ids, missing_facts (what to read off the "
        "unit to decide), certificate_status, advisory_codes, the resolved brand and model, "
        "and input_line. The codes are those shown beside each status above.",
        "筛查结果是您的清单，每行增加以下列：recall_status（召回状态）、recall_ids（召回编号）、"
        "possible_recall_ids（可能的召回编号）、missing_facts（需从充电宝上查看的信息）、"
        "certificate_status（证书状态）、advisory_codes（提示代码）、识别出的品牌和型号，"
        "以及 input_line（原行号）。代码与上方各状态旁所示一致。",
    ),
}
