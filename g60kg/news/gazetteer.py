"""The general knowledge extraction may use: places of the corridor and of China, the
corridor's own names, name suffixes by class, list heads, role and trigger words.

Nothing here names a firm, a person or a project; those are found by rules.
"""

from __future__ import annotations

import re

__all__ = ["PLACES", "PLACE_PATTERN", "ROLE_HEADS", "CUES", "PARENT_SUFFIXES", "CORRIDOR_PATTERN", "SUFFIXES", "SUFFIX_PATTERN", "LIST_HEADS", "ROLES",
           "TRIGGERS", "SPEECH", "SECTOR_WORDS", "INDUSTRY_WORDS", "GENERIC_WORDS", "PARK_ABBREVIATIONS", "NATIONAL_BODIES",
           "STRATEGY_PATTERN", "BYLINES", "OUTLET_ENDINGS", "CITY_TITLE_PATTERN",
           "EXPRESSWAY_PATTERN",
           "RELATIVE_BODY_PATTERN", "SELF_PATTERN",
           "ABBREVIATIONS"]

_PROVINCES = ("北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 "
              "贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门").split()
_MUNICIPALITIES = {"北京", "天津", "上海", "重庆"}
# The nine corridor cities and their districts and county-level cities; Shanghai's districts.
_CITIES = ("嘉兴 杭州 金华 苏州 湖州 宣城 芜湖 合肥 南京 宁波 无锡 常州 南通 绍兴 温州 台州 舟山 扬州 镇江 泰州 盐城 "
           "马鞍山 铜陵 池州 安庆 滁州 深圳 广州 武汉 成都 西安").split()
_DISTRICTS = ("黄浦 徐汇 长宁 静安 普陀 虹口 杨浦 闵行 宝山 嘉定 浦东新 金山 松江 青浦 奉贤 崇明 南湖 秀洲 嘉善 平湖 海盐 海宁 桐乡 "
              "上城 拱墅 西湖 滨江 萧山 余杭 临平 钱塘 富阳 临安 桐庐 淳安 建德 婺城 金东 兰溪 义乌 东阳 永康 武义 浦江 磐安 "
              "姑苏 虎丘 吴中 相城 吴江 常熟 张家港 昆山 太仓 吴兴 南浔 德清 长兴 安吉 宣州 郎溪 广德 泾县 绩溪 旌德 宁国 "
              "镜湖 弋江 鸠江 湾沚 繁昌 南陵 无为 瑶海 庐阳 蜀山 包河 长丰 肥东 肥西 庐江 巢湖").split()
_REGIONS = {"长三角地区": "Region", "长江三角洲地区": "Region", "长江三角洲": "Region", "长三角": "Region", "珠三角": "Region",
            "京津冀": "Region", "粤港澳大湾区": "Region", "亚洲": "Region", "欧洲": "Region", "非洲": "Region",
            "北美": "Region", "南美": "Region"}

PLACES: dict[str, str] = {}
for _name in _PROVINCES:
    PLACES[_name + ("市" if _name in _MUNICIPALITIES else "省")] = "City" if _name in _MUNICIPALITIES else "Province"
    PLACES[_name] = "City" if _name in _MUNICIPALITIES else "Province"
for _name in _CITIES:
    PLACES[_name + "市"] = PLACES[_name] = "City"
for _name in _DISTRICTS:
    PLACES[_name + "区"] = "District"
    PLACES.setdefault(_name, "District")
PLACES.update(_REGIONS)
PLACE_PATTERN = "|".join(sorted(PLACES, key=len, reverse=True))

# One-character abbreviations (简称) of the delta's provinces and of the corridor's members,
# read only in a list of such characters (松、湖两地; 与苏、浙接壤).
ABBREVIATIONS = {"沪": "上海", "苏": "江苏", "浙": "浙江", "皖": "安徽", "松": "松江", "嘉": "嘉兴", "杭": "杭州",
                 "湖": "湖州", "宣": "宣城", "芜": "芜湖", "金": "金华"}
# The corridor's own names: 长三角G60科创走廊, G60科创走廊, G60上海松江科创走廊, 沪嘉杭G60科创走廊,
# 科创走廊, G60 (not the expressway it is named after: G60高速, G60沪昆高速), and the common
# slip G60科技走廊.
CORRIDOR_PATTERN = re.compile(r"(?:长三角|[" + "".join(ABBREVIATIONS) + r"]{2,4})?[Gg]60(?:(?:" + PLACE_PATTERN + r")*科[创技]走廊|(?![0-9A-Za-z]|高速|沪昆))|科创走廊")
# The expressway the corridor is named after and runs along.
EXPRESSWAY_PATTERN = re.compile(r"[Gg]60(?:沪昆)?高速(?:公路)?")
# The national strategy of the delta's integration, as news words it (长三角一体化,
# 长三角区域一体化发展, 长江三角洲区域一体化发展).
STRATEGY_PATTERN = re.compile(r"(?:长三角|长江三角洲)(?:区域|地区)?一体化(?:发展)?(?:国家战略)?")

# A body named relative to the place of the story (市委, 市政府, 区发改委, 省科技厅,
# 市长三办): a level of government, then a short name ending as a body's does.
RELATIVE_BODY_PATTERN = re.compile(r"[市区省县](?:政府|科协|[\u4e00-\u9fff]{0,3}?(?:委|厅|局|办))")
# The place of the story named by the outlet itself (我市, 我区).
SELF_PATTERN = re.compile(r"我[市区省县]")
# The state's honorary titles of cities (全国文明城市, 国家森林城市, 国家生态文明建设示范市).
CITY_TITLE_PATTERN = re.compile(r"(?:全国|国家)[\u4e00-\u9fff]{1,8}?(?:城市|示范市)")
# Generic abbreviations of park kinds and national bodies.
PARK_ABBREVIATIONS = {"经开区": "Park", "高新区": "Park", "自贸区": "Park", "综保区": "Park", "开发区": "Park"}
NATIONAL_BODIES = re.compile(r"国务院|国家(?:发展和?改革委员会|发改委|[\u4e00-\u9fff]{1,8}?(?:部|局|委|署|总局|办公室))|"
                             r"(?:科技部|工信部|发改委|商务部|财政部|教育部|生态环境部|人社部|自然资源部)|"
                             r"中国科学院|中科院|中国工程院|中国社会科学院")

# Name endings and the class they give, longest first when matched.
SUFFIXES: dict[str, str] = {
    "股份有限公司": "Enterprise", "有限责任公司": "Enterprise", "有限公司": "Enterprise", "集团": "Enterprise",
    "公司": "Enterprise", "银行": "Enterprise",
    "研究院": "Institute", "研究所": "Institute", "分院": "Institute", "设计院": "Institute", "科学院": "Institute", "工程院": "Institute",
    "实验室": "Lab",
    "研究中心": "ResearchPlatform", "超算中心": "ResearchPlatform", "计算中心": "ResearchPlatform",
    "数据中心": "ResearchPlatform", "工程中心": "ResearchPlatform", "技术中心": "ResearchPlatform",
    "研发中心": "ResearchPlatform", "科创基地": "ResearchPlatform", "研发基地": "ResearchPlatform",
    "科研基地": "ResearchPlatform", "创新基地": "ResearchPlatform",
    "创新中心": "InnovationCenter", "孵化器": "InnovationCenter", "众创空间": "InnovationCenter",
    "中心": "Organization", "基地": "Project",
    "大学": "University", "学院": "University",
    "人民政府": "GovernmentBody", "政府": "GovernmentBody", "区委": "GovernmentBody", "市委": "GovernmentBody",
    "省委": "GovernmentBody", "县委": "GovernmentBody", "管委会": "GovernmentBody", "管理局": "GovernmentBody",
    "委员会": "Committee",
    "联盟体系": "Alliance", "联盟": "Alliance", "协会": "Alliance", "商会": "Alliance", "联合会": "Alliance",
    "促进会": "Alliance", "共同体": "Alliance",
    "科技园": "Park", "产业园": "Park", "工业园": "Park", "园区": "Park", "科技城": "Park", "开发区": "Park",
    "高新区": "Park", "示范区": "Park", "科学城": "Park",
    "大会": "Event", "论坛": "Event", "博览会": "Event", "峰会": "Event", "展览会": "Event", "洽谈会": "Event",
    "研讨会": "Event", "发布会": "Event", "推介会": "Event", "大赛": "Event", "会议": "Event", "年会": "Event",
    "对接会": "Event", "咨询会": "Event", "活动": "Event",
    "行动计划": "Policy", "报告": "Policy", "白皮书": "Policy", "政策": "Policy", "机制": "Policy", "备忘录": "Policy", "协议": "Policy", "方案": "Policy",
    "规划": "Policy", "条例": "Policy", "办法": "Policy", "纲要": "Policy", "倡议": "Policy",
    "产业集群": "Project", "项目": "Project", "铁路": "Project", "高铁": "Project", "高速公路": "Project",
    "机场": "Project", "大桥": "Project", "枢纽": "Project",
    "小镇": "Park", "科创城": "Park", "创新园": "Park", "集聚区": "Park", "试验区": "Park", "大厦": "Place",
    "办公室": "GovernmentBody", "领导小组": "GovernmentBody", "专责小组": "GovernmentBody",
    "街道": "Town",
}
SUFFIX_PATTERN = re.compile("|".join(sorted(SUFFIXES, key=len, reverse=True)))

# The noun after 等 that says what the items of a list are.
LIST_HEADS: dict[str, str] = {
    "企业": "Enterprise", "公司": "Enterprise", "院士": "Person", "专家": "Person", "项目": "Project",
    "工程": "Project", "成果": "Achievement", "平台": "ResearchPlatform",
    "研究院": "Institute", "机构": "ResearchPlatform", "大学": "University", "城市": "City",
    "园区": "Park", "联盟": "Alliance", "政策": "Policy",
}

# Titles that precede a person's name; heads become ``leads``.
ROLES = ("书记 主任 副主任 市长 负责人").split()
# The verbs each relation rule keys on (every one found in two dev articles or more).
CUES: dict[str, tuple[str, ...]] = {
    "establishes": ("成立", "设立", "创建", "发起", "共建", "揭牌"),
    "implements": ("实施", "落实", "推进"),
    "publishes": ("发布", "审议"),
    "signs": ("签署",),
    "cooperatesWith": ("合作", "携手", "签约", "签署"),
    "gathers": ("集聚",),
    "held": ("举行", "召开", "举办"),
    "hosts": ("主办", "联合举办"),
    "guides": ("指导",),
    "attends": ("出席", "参加", "参与", "聚一堂"),
    "meeting": ("会上",),
    "this": ("本次", "此次", "该"),
    "its": ("其",),
    "supports": ("提供",),
    "support": ("支持",),
    "quoted": ("实施", "打造", "开展", "举办", "推进", "发布", "建设"),
    "member": ("院士", "委员"),
    "anchors": ("依托",),
}
# How the name of a body or work that has parts ends, when it opens a longer name
# (同济大学…研究院, 中国科学院…分院, 第五届中国国际进口博览会…大会).
PARENT_SUFFIXES = ("大学", "学院", "科学院", "研究院", "博览会", "高铁", "铁路", "机场", "走廊")
# How a title of office ends (市长, 副主任, 党委书记, 项目负责人): one who leads.
ROLE_HEADS = ("长", "主任", "书记", "负责人")
SPEECH = ("表示 介绍 说 指出 称").split()
PERSON_TITLES = ("记者 院士 专家").split()
# Words before a reporter's name in a byline (记者:X, （记者 X）).
BYLINES = ("记者",)
# How a news outlet's name ends (新华社, 中国网, 日报, 电视台), read only where a dateline
# (新华社合肥9月1日电) or a byline (中新网记者) names the outlet.
OUTLET_ENDINGS = ("社", "网", "报", "台")

# Words that end a name when extending it to the left: function words and verbs that
# take an organisation as their object.
TRIGGERS = set((
    "与 和 及 同 在 于 对 向 从 为 把 被 由 将 让 使 的 地 得 是 了 着 过 等 还 已 并 就 更 而 其 该 此 这 包括 推动 推进 成立 设立 创建 发起 强化 加快 实施 落实 依托 集聚 共建 打造 深化 签署 支持 举办 举行 召开 主办 出席 参加 参与 携手 通过 围绕 聚焦 布局 培育 有 达 揭牌 签约 建成 提升 开展 表示 介绍 指出 称 说 加强 发挥 实现 服务 持续 积极 同时 目前 作为 以 就 提供 引领 出 着力"
).split())
# Modifiers that make a name generic when nothing else in it is a proper name.
GENERIC_WORDS = set((
    "产业 企业 国家 重大 重点 特色 相关 优质 研究 科技 创新 技术 工程 平台 服务 人才 发展 建设 合作 示范 一批 公共 新 高端 高新技术 综合 区域 基础 国际 全国 该 这 研发 工作 城市 交流 跨 协同 机构 多"
).split())
# Industry words that continue a short firm name the tagger cut (恒信 + 卫星).
INDUSTRY_WORDS = ("科技 医药 生物 资本 装备 云").split()
# Industries: the items of 人工智能、生物医药等企业 are sectors, not names.
SECTOR_WORDS = set((
    "人工智能 生物医药 集成电路 新能源 新材料 高端装备 航空航天 数字经济 工业互联网 机器人 半导体 新能源汽车 智能制造 "
    "先进制造业 制造业 金融 光伏 卫星互联网 信息技术 软件 大数据 云计算 物联网 区块链 医疗器械 节能环保 现代服务业 "
    "文化创意 电子信息 智能网联汽车 生命科学 脑科学 新一代信息技术 类脑智能 元宇宙 量子 5G"
).split())
