"""Named data for the boilerplate lines of a story's container: widgets by purpose.

Share/QR, subscribe, follow, feedback, back-to-home, end-of-text, app, rights, comment,
loading, "more stories" headings, sponsor, disclosure, forum, shop, call-to-action and table of
contents widgets, as patterns over a whole lower-cased line (``boilerplate`` matches them);
the credit and disclaimer labels are in ``words``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

#: Words that make a "<site>声明：" line (新浪声明：此消息系转载自合作媒体…) a disclaimer rather
#: than a statement the story quotes.
STATEMENT_WORDS: tuple[str, ...] = (
    "转载",
    "不代表",
    "仅供参考",
    "本站",
    "本网",
    "版权",
    "观点",
    "无关",
    "不构成",
)

#: Marks of a site's footer line (licence numbers, rights, where to report): such a line leaves
#: the story wherever it starts (云南日报报业集团 版权所有，未经许可不得转载).
FOOTER_MARKS: tuple[str, ...] = (
    "版权所有",
    "icp备",
    "icp证",
    "许可证编号",
    "举报电话",
    "举报邮箱",
    "不良信息举报",
    "all rights reserved",
)

#: The end of a short line promoting the portal's app (…尽在示例财经APP, …请下载客户端).
APP_PROMO_END = r"(?:尽在|就在|请下载|下载|打开|使用)[^，。,.]{0,12}(?:app|客户端)\W*$"

#: The end of a short line inviting the reader to hire the site's staff (…, connect with one of
#: our marketing experts.): a call to action after a lead-in, which ``WIDGET_PATTERNS`` (whole
#: lines) miss.
HIRE_US_END = (
    r"(?:talk|speak|chat|connect|work) (?:to|with) (?:one of )?our (?:[\w-]+ ){0,4}"
    r"(?:experts?|specialists?|consultants?)\W*$"
)

#: Widgets printed as short lines in or under a story, by purpose: patterns over the whole
#: lower-cased line (``boilerplate`` checks lines up to ``WIDGET_CHARS``).
WIDGET_PATTERNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "share": (
            r"(?:手机|微信)?扫一扫.{0,30}",
            r"(?:用|使用)?(?:手机|微信)?扫(?:描|码)?(?:下方|上方|左侧|右侧)?二维码.{0,30}",
            r"(?:分享|转发)(?:到|至)[:：]?.{0,12}",
            r"分享让更多人看到\W*",
            r"页面功能\W.{0,80}",
            r"[【\[]?字体[:：]\s*大\s*中\s*小.{0,40}",
            r"share (?:this(?: article| story| post| page)?|on \w+|via \w+)\W*",
            r"like this:?",
            r"like loading\W*",
        ),
        "subscribe": (
            r"(?:join|subscribe to|sign up (?:for|to)|get|receive) (?:our|the|my)\b.{0,30}"
            r"(?:mailing list|newsletters?|blog|e-?mails?|updates|digest|inbox)\b.{0,40}",
            r"(?:subscribe|sign up)(?: now| today| here| for free)?\W*",
            r"join [\d,.]+\+? (?:subscribers|readers|people|others)\b.{0,120}",
            r"(?:点击|欢迎|请)?(?:订阅|关注)[^，。！？,.!?]{0,12}"
            r"(?:我们|本号|公众号|微信号|微博|头条号|抖音号)[^，。！？,.!?]{0,16}",
            r"[(（]?更多(?:内容|精彩|资讯|新闻).{0,6}(?:请|敬请)?(?:继续)?关注.{0,40}",
        ),
        "follow": (
            r"follow (?:me|us)(?: on| at)? (?:instagram|twitter|x|facebook|linkedin|youtube"
            r"|tiktok|pinterest|threads|bluesky|mastodon|social media|telegram|flipboard"
            r"|google news|wechat|weibo)\b.{0,30}",
            r"follow (?:me|us)\W*",
            r"(?:stay connected|connect with us)\W*",
        ),
        "feedback": (
            r"感谢(?:您|你)的反馈.{0,30}",
            r"(?:我们)?(?:将会|将|会)?减少(?:此类|类似)(?:文章|内容)?的?推荐.{0,6}",
            r"(?:这篇|本篇|此篇|该)?(?:文章|内容)对(?:您|你)有(?:帮助|用)吗.{0,12}",
            r"(?:was|is|did you find) this (?:article|page|post|answer|information|content)"
            r"(?: helpful| useful)\W*.{0,30}",
            r"(?:was|is) this (?:helpful|useful)\W*.{0,30}",
            r"thanks? (?:you )?for (?:your )?feedback\W*.{0,40}",
            r"(?:give|send|leave) (?:us )?(?:your )?feedback\W*",
            r"rate this (?:article|post|page|story)\W*",
            r"[【\[]纠错[】\]].{0,40}",
        ),
        "home": (
            r"返回.{0,8}首页\W{0,4}",
            r"返回.{0,6}[，,]查看更多\W{0,4}",
            r"(?:back|return) to (?:top|home|homepage|the homepage)\W*",
            r"回到顶部\W*",
        ),
        "end": (
            r"正文已结束.{0,30}",
            r"(?:正文|全文)(?:完|结束)\W*",
        ),
        "app": (
            r"(?:打开|下载).{0,8}(?:app|客户端)(?:.{0,12})",
            r"打开.{0,8}查看(?:精彩)?(?:图片|更多|全文)\W{0,4}",
            r"(?:展开全文|阅读全文|点击查看全文|展开剩余\d+%)\W*",
            r"点击(?:进入|查看)(?:专题|详情|原文).{0,20}",
            r"[(（]?本文来自.{0,20}[，,].{0,24}(?:app|客户端|公众号).{0,4}[)）]?",
            r"(?:轻触)?阅读原文\W*",
            r"预览时标签不可点\W*",
            r"(?:继续|向上)滑动看下一个\W*",
            r"喜欢此内容的人还喜欢\W*",
            r"(?:长按|点击).{0,6}(?:识别|关注).{0,20}(?:二维码|公众号|我们).{0,10}",
        ),
        "rights": (
            r"[【(（\[]?(?:本文|文章|本篇|此文)?(?:系|为|是)?(?:作者)?(?:独家)?原创"
            r".{0,30}(?:未经|禁止|不得|严禁).{0,40}",
            r"[【(（\[]?版权(?:归|属于?).{0,30}(?:所有|侵权).{0,60}",
            r"[【(（\[]?(?:未经|禁止|严禁).{0,12}(?:转载|复制|摘编).{0,60}",
            r"[【(（\[]?(?:如有|若有)侵权.{0,40}",
            r"(?:本文|文章|以上内容|内容)(?:由|系|为).{0,40}(?:上传并发布|用户上传|仅提供信息)"
            r".{0,120}",
        ),
        "tags": (
            r"(?:文章)?(?:关键词|关键字|标签)[:：].{0,60}",
            r"tags?[:：].{0,80}",
        ),
        "comment": (
            r"(?:create an account or )?(?:sign|log) ?in to (?:comment|reply|post)\b.{0,30}",
            r"you (?:need|must) (?:to )?(?:be a member|be logged in|be signed in|log in"
            r"|sign in)\b.{0,30}(?:comment|reply|post)\b.{0,12}",
            r"(?:leave|post|add|write) a (?:comment|reply)\W*",
            r"comments are closed\W*",
            r"not open for further replies\W*",
            r"(?:登录|登陆)后?(?:才能|即可)?(?:参与|发表)?评论.{0,12}",
            r"(?:评论|我要评论|发表评论|网友评论|参与评论|查看评论|我来说两句)\W*",
            r"(?:昵称|密码|验证码|用户名)[:：].{0,16}",
            r"标题[:：]\W*",
            r"trackback(?: url)?[:：].{0,100}",
        ),
        "loading": (
            r"(?:loading|加载中|正在加载)\W*",
            r"(?:load|show|view) more\W*",
            r"(?:expand|collapse) (?:all|description|section)\W*",
            r"(?:查看更多|加载更多)\W*",
        ),
        "more": (
            r"(?:related|recommended|trending|popular|latest|more|other|similar|top)"
            r" (?:articles|stories|posts|news|reads|reading|content|coverage|links|questions"
            r"|videos|resources|publications)\b[^.!?。！？]{0,30}",
            r"(?:most (?:read|popular|viewed|shared)|more from)\b[^.!?。！？]{0,30}",
            r"read more(?::| (?:news|stories|articles|posts)\b[^.!?。！？]{0,30}"
            r"| (?:on|from|about) [^.!?。！？]{1,30})",
            r"you (?:may|might) (?:also )?(?:like|enjoy|be interested)\b[^.!?。！？]{0,40}",
            r"(?:good|great|more|other) (?:articles|reads|posts|stories) to read\b"
            r"[^.!?。！？]{0,20}",
        ),
        "sponsor": (
            r"(?:in partnership with|sponsored by|presented by|brought to you by)\b.{0,40}",
            r"powered by .{1,60}",
        ),
        "disclosure": (
            r"(?:this|the) (?:article|post|page|story|guide|review|content|video)"
            r" (?:may )?contains? affiliate links?\b.{0,200}",
            r"(?:some of )?the links (?:in|on) this (?:article|post|page) (?:are|may be)"
            r" affiliate\b.{0,120}",
            r"as an amazon associate,? (?:i|we) earn from qualifying purchases\W*",
        ),
        "forum": (
            r"(?:joined|join date|reaction score|trophy points|likes received|points|messages)\W*",
            r"click to (?:expand|shrink)\W*",
            r"(?:级别|积分|精华|威望|金钱|注册时间|在线时间|发帖数?|阅读权限)[:：]\s*\S{0,12}",
        ),
        "shop": (
            r"(?:select|choose) (?:a |an |your )?"
            r"(?:size|colou?r|quantity|option|style|variant)s?\W*",
            r"(?:add to (?:cart|bag|basket|wishlist|wish list)|buy now|in stock|out of stock)\W*",
            r"free (?:\d+-day )?returns?\W*",
            r"free (?:standard |express |next-day )?(?:shipping|delivery)\b.{0,50}",
            r"sold (?:and shipped )?by \S.{0,40}",
            r"more (?:seller|buying|shipping) options\b.{0,10}",
            r"prices? (?:may|might) vary\b.{0,40}",
        ),
        "cta": (
            r"contact us(?: today| now)?\W*",
            r"(?:start|begin|try) (?:your|a|it) ?(?:free|\d+-day)? ?(?:trial|for free)"
            r"(?: today| now)?\W*",
            r"(?:ready to )?get started(?: today| now| for free)?\W*",
            r"(?:book|request|schedule|get) a (?:free |live )?demo\W*",
            r"download our free \w+(?: \w+)?\W*",
            r"talk to (?:our|an?) (?:[\w-]+ ){0,4}experts?\W*",
            r"we want to hear from you\W*",
        ),
        "toc": (
            r"(?:table of )?contents\W*",
            r"(?:文章|本文)?目录\W*",
            r"(?:in this article|on this page|jump to section)\W*",
        ),
    }
)
