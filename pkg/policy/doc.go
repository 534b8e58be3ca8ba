// Package policy reads what privacy-policy documents disclose: permissions
// (literal names and Chinese wording), the third-party SDK list with its
// fields, prose mentions of SDKs, and the personal-information types
// collected. It sits after pkg/doctext in the pipeline: it reads doctext
// Documents, the permission table of pkg/permissions and the SDK catalogue
// of sdkdb, and knows nothing of builds. Extract is the one entry point;
// DataTypesIn is shared with the rules so that policy wording and catalogue
// data_collected strings are canonicalised the same way.
//
// # Permissions
//
// Literal android.permission.X strings, vendor permissions
// (com.vendor.permission.Y) and bare upper-case platform names
// (READ_EXTERNAL_STORAGE, kept only when they name a known platform
// permission) disclose themselves. Chinese wording goes through the phrases
// of permissions.Privacy(): corpus synonyms, TC260 names and AOSP labels.
// Phrases are matched on NFKC, lower-cased text without white space,
// leftmost-longest, so 读取通讯录权限 counts once and 发送短信验证码 (listed as
// a non-disclosing phrase) shadows 发送短信.
//
// Group phrases: a phrase discloses every permission whose row in the table
// lists it, narrowed to what its words say. So 位置信息 and 定位权限 disclose
// ACCESS_FINE_LOCATION and ACCESS_COARSE_LOCATION but not
// ACCESS_BACKGROUND_LOCATION, which needs its own words (后台获取位置信息,
// 始终允许); 相册 discloses READ_MEDIA_IMAGES, READ_MEDIA_VIDEO and
// READ_EXTERNAL_STORAGE, not READ_MEDIA_VISUAL_USER_SELECTED (that needs 部分
// or 选择); 蓝牙 discloses BLUETOOTH and BLUETOOTH_CONNECT, while BLUETOOTH_SCAN,
// _ADVERTISE and _ADMIN need 扫描/搜索, 广播 or 管理/配对 near the phrase;
// storage wording (存储权限, 读写存储, SD卡) discloses READ_ and
// WRITE_EXTERNAL_STORAGE, not the API 33 media permissions. Those, and the
// other permissions later Android versions split from a disclosed one
// (READ_MEDIA_VISUAL_USER_SELECTED from the media ones, BLUETOOTH_CONNECT,
// _SCAN and _ADVERTISE from BLUETOOTH and BLUETOOTH_ADMIN), are listed in
// Disclosure.Covered with the wording that covers them (cover.go): the
// rules count them as disclosed with lower confidence, and Permissions keeps
// only what the text says. A write or act
// member of a group (WRITE_CONTACTS, WRITE_CALENDAR, WRITE_CALL_LOG,
// SEND_SMS, CALL_PHONE) needs a write or act word near the phrase (写入, 修改,
// 保存, 拨打, 发送 …); a group named as a permission (通讯录权限, 日历权限)
// discloses its write members too, never its acts: 电话权限 places no calls.
// Wording real policies use that the reference table lacks (悬浮窗,
// 查看WLAN和网络连接, 后台获取位置, quoted AOSP descriptions) is listed in
// extraPermPhrases; an upper-case constant broken after an underscore
// ("REQUEST_INSTALL_ PACKAGES") is joined again.
//
// A data item is no permission grant: the permissions policies mostly name by
// a data word (READ_PHONE_NUMBERS by 手机号码, GET_TASKS by 运行中的进程,
// QUERY_ALL_PACKAGES by 应用列表, the Bluetooth ones by 蓝牙, WRITE_SETTINGS by
// 系统设置, ACCESS_WIFI_STATE by SSID, the SMS ones by 短信 …) are disclosed only
// when the text speaks of the permission (权限, 授权, 申请, 调用 or 开启 near the
// phrase), an access verb governs the word (读取, 获取, 访问, 查看 at most two
// runes before it, in the same clause and enumeration item), the line is a
// short item of a permission section, or the wording is the permission's own
// TC260 or AOSP name.
//
// Context rules: a phrase the table marks noisy (存储, 通知, 联系人,
// 通话记录, 短信, 相册, 蓝牙 …) counts only
//   - inside a permission section: from a short heading-like line that
//     mentions 权限 ("四. Keep App获取的权限", "APP权限名称") to the next
//     numbered heading of the same or a higher level (一、 > （一） > 1. > (1);
//     an unnumbered opener ends at any numbered heading), at most 150 lines;
//   - in any row of a table whose header row mentions 权限, or on a
//     "key：value" line whose key mentions 权限 (调用权限：…);
//   - or when 权限, 授权, 访问, 读取, 获取, 调用 or 开启 ends at most four runes
//     before the phrase or starts at most four runes after it.
//
// Negation: a phrase (literal or Chinese) does not disclose when its clause
// (the text since the last ，,。；;：:！？) already holds 不会收集, 不会申请,
// 不会获取, 不会调用, 不会进行, 不申请, 未申请, 不涉及, 不得, 没有使用 or a similar
// cue, as in "并不申请短信和读取通讯录联系人的权限", or when a bracket right
// after it holds one ("通知权限(当前版本没有使用该权限)"). The clause after the
// next comma counts again. The same negation rule keeps data types out of
// Disclosure.DataTypes.
//
// HasPermissionSection is true when a permission section or table was found
// or any permission is disclosed.
//
// # SDK lists
//
// The document's lines (pkg/doctext's block model: headings with levels,
// list items, table rows with covered rowspan slots, bold openings, link
// targets written after link text) are segmented, in document order, into
// records; each keeps its name, company, purpose (or the scenario column when
// there is no purpose), data, policy link, website, package and permission
// fields as written:
//   - tables: a header row among the first three rows naming at least two
//     known fields, and a column of SDK names, found from the header (SDK名称)
//     or, when the header is missing or mislabelled (功能类型 over a column of
//     names, 第三方名称 used for the SDK), from the cells: the column most of
//     whose distinct cells name SDKs. A column of company names is found the
//     same way when the header names none. A row whose name cell is empty or
//     covered by a rowspan continues the row above; a link alone on a row is
//     the row above's. A name cell holding a company after a space or in
//     closing brackets gives both; one listing several SDKs ("友盟SDK，LinkedMe，腾讯灯塔") gives one
//     row each. Permission and data tables have no name column and are read
//     as lines. A sharing list (the second list of the 双清单: 接收方, 共享目的,
//     共享的个人信息 — a company column, no name column, and a purpose or data
//     column) gives a row per recipient, named by its company. Plain-text
//     lines with TABs are tables too.
//   - tables that lost their grid (LibreOffice's and pdftotext's text): the
//     header's cells on consecutive lines, or run together on one line
//     ("SDK名称使用场景共享个人信息字段第三方隐私政策"), then one cell per source
//     line, blank lines being empty cells.
//   - key：value blocks: an SDK-name label (SDK名称, 第三方SDK名称, "14.1.1
//     SDK名称：") opens a record, or a title line followed by a label that opens
//     blocks (name, company, purpose, scenario, data): a heading, a bold line,
//     a numbered or lettered item, a bare name ("OPPO PUSH 客户端SDK"). An
//     SDK-name label right after a title names the record (the title's line
//     stays its line). Later labels fill it; a label with no value takes the
//     lines below it (a nested list, a URL on its own line); an unknown label
//     neither ends the block nor glues into the field before it. A titled
//     block is kept when its title names an SDK (it says SDK or maps to the
//     catalogue) or its labels say SDK (SDK用途), or, under a heading about
//     SDKs or third parties, when it has two SDK fields; a title about a
//     permission (相机权限) never makes a record.
//     A line holding several pairs ("SDK名称：友盟SDK；使用目的：统计；公司名称：…",
//     after ；, ， or a space) is read as one line per pair.
//   - prose: "（1）友盟推送SDK：由…公司提供，用于…" when the name part says SDK or
//     API or is a catalogue name and reads like a name (under a heading about
//     SDKs, unnumbered and bulleted "NAME（公司）：…" lines too, a company in
//     the brackets being the company and a link alone on the next line the
//     link), and a line opening with a book-title quoted SDK name
//     ("《支付宝SDK》用于…", with the lines that go on describing it as its
//     data); headings and sentences are never rows. A short unnumbered line
//     about SDKs in plain text counts as such a heading.
//
// Labels are mapped to fields by data/policy-fields.tsv (a copy of the
// reference table made by gen.go) plus the labels it lacks (extraFields):
// exact after NFKC, lower case, no spaces and no "的"; then the part before a
// comma ("第三方隐私政策链接，仅供参考"), outside or inside brackets, or around
// '/', '、', '及', '或'; then a known label of three or more runes ending the
// label after a prefix of at most four runes; then any label of ten runes or
// fewer ending in 公司, 机构, 主体, 厂商, 提供方, 运营方 or 开发者 (a company);
// then two labels of one field run together ("用途目的") and a label cut in
// its Latin part ("dk用途").
//
// The policy link is the first URL of the link field, else the first URL in
// the row's prose ("您可以访问https://…"); a home page (官网) stays in Website,
// and a URL written in the company cell moves there.
//
// A document gives at most MaxRows rows; past that, a warning.
//
// # Matching rows to the catalogue
//
// Names are compared in a normal form: NFKC, lower case, no white space,
// the typos "Andriod" and 登陆 (for 登录) repaired, and the suffixes SDK, 软件开发工具包, 开发包,
// 插件, Android版, for Android stripped repeatedly. The candidates of a row
// are its whole name, the part before a bracket, and the pieces between
// brackets, '/', '、' and ','. The first stage that names exactly one entry wins:
//  1. a non-ambiguous alias, or a key derived from the entry's name or
//     name_zh (the part before a bracket, its '/' pieces, bracketed parts of
//     four runes or more); several entries are narrowed by the cues below,
//     then to the one whose own name it is (高德地图SDK, an alias of both AMap
//     entries, is amap-map); then the same words in another order
//     (OPPO联盟广告 for OPPO广告联盟);
//  2. an ambiguous alias (marked '?' in the catalogue, "微信?") with another
//     cue: the company names the entry's vendor or a vendor alias, the
//     purpose or data names one of the entry's keys, or the policy link is
//     on the host of the entry's policy URL;
//  3. a family (below);
//  4. the row's package field against the entries' DEX package prefixes,
//     on whole segments, longest prefix first (a package written in the
//     name is read here, not as part of the name);
//  5. a vendor brand followed by a product key: "腾讯IM" is 腾讯 + "im", a key of
//     an entry whose vendor, aliases or names carry the brand (keys are also
//     compared with their own brand removed, so "腾讯云LiteAV" meets
//     "Tencent LiteAV");
//  6. the longest non-ambiguous alias of weight four or more (a Han rune
//     weighs two, others one) contained in the name on Latin word
//     boundaries, when no other entry has an equally long one and the name
//     names no function the entry does not do ("快手游戏SDK" is not the ads SDK);
//  7. such an alias in the purpose when the company names that entry's vendor
//     ("腾讯开发平台SDK", 微信分享及收藏, 腾讯科技 → wechat-opensdk);
//  8. a common run of three or more Han runes between the name and a key of
//     an entry of the same brand, when it is unique and not contradicted;
//  9. a brand alone or with function words ("华为SDK", "移动授权登陆"; a
//     brand's 渠道SDK is its 联运 SDK) and what
//     the name or the purpose says it does (推送, 一键登录, 登录 …): the entry
//     of the brand's vendor that does it (hms-push, cmcc-auth);
//  10. a name of function words only ("统计SDK") with the company that makes
//     it: that company's entry doing it (sensors-analytics);
//  11. a Latin product name sharing a word of four letters or more with the
//     id or name of the one entry of the row's company ("ShareContent SDK"
//     of 广州掌淘网络科技 is ShareSDK), when the company names one vendor group.
//
// Candidates also include a Latin name split at case changes without its
// platform ("AliyunOSSiOS" is "Aliyun OSS"). A name's function that the
// entry does not do (stages 2, 6, 7, 8) rules the entry out unless the
// company names the entry's vendor and the purpose names something the
// entry does ("bilibili联运SDK" of 上海宽娱数码科技 used for 登录和支付). An alias
// in the purpose that names the SDK carrying this one ("由优量汇SDK集成") is
// not this one's (stage 7). A brand alone whose function several entries of
// the brand do is the one whose alias is brand and function together ("头条
// SDK" for 广告: 头条广告, pangle-ads).
//
// The functions are words with the marks of the entries doing them (推送:
// push; 统计: analytics; 登录: login, auth …), read in an entry's id and own
// names.
//
// A company can veto: vendor groups are read from the catalogue (entries
// sharing a vendor name or alias, or one's brand alias — 腾讯, 阿里巴巴,
// 字节跳动 — inside another's legal name, are one group). When the row's
// company names a vendor of another group and none of the entry's group,
// the entry is ruled out, unless the row's name is one of the entry's own
// aliases or names (before any bracket) or carries the entry's brand: 号码认证SDK
// of 深圳市腾讯计算机系统有限公司 is not China Mobile's SDK, Chromium of google
// is not Huawei's WebView, but 小米 PUSH SDK listed with the aggregator
// 每日互动 is still Xiaomi's. A company the catalogue does not know (a
// subsidiary, a distributor) vetoes nothing.
//
// A row listing several SDKs names each: "华为/小米/vivo/OPPO/魅族/荣耀通道SDK"
// is every brand with the words that end the list, "友盟+（统计、推送、分享）"
// every kit of the family its functions name. The first is the row's ID, the
// others SDKRow.Also (JSON also_ids), which the rules count as disclosed.
//
// Rows that match nothing keep ID "" and are never dropped.
//
// Families: catalogue entries sharing a Family ("hms", "umeng") form a
// product line. Its representative is the member whose id is FAMILY-core,
// FAMILY, FAMILY-common or FAMILY-sdk, else the first member of category
// platform or multi, else the first by id. A row whose name is the family
// key, alone or after a brand of the family ("HMS", "华为HMS"), maps to the
// representative; and any row that maps to a representative (by its alias
// "友盟SDK", say) has SDKRow.Family set, telling the rules that the row
// covers the whole family with lower confidence than a row naming one kit.
// Such a row whose name and purpose name functions all done by one kit of
// the family maps to that kit ("友盟SDK" used for 统计 is umeng-analytics),
// still with Family set; so does one whose purpose names one kit's function
// more often than any other (友盟+ described by 统计分析 five times and by
// 崩溃 twice); "分享、登录", each once, leaves the representative.
//
// Mentions: outside SDK rows, every non-ambiguous alias (and the name_zh
// before any bracket) with at least two Han runes, or four runes of a Latin
// name matched on word boundaries, is a Mention, once per id and line.
//
// # Data types
//
// DataTypesIn maps wording to canonical personal-information types (IMEI,
// MEID, IMSI, ICCID, MAC地址, Android ID, OAID, IDFA, IDFV, 设备标识符,
// 设备序列号, 位置信息, 应用列表, 剪切板, 通讯录, 短信, 通话记录, 相册, 麦克风,
// 摄像头, 人脸信息, 传感器, IP地址, 网络信息, 设备型号, 操作系统, 运营商,
// 手机号码, 设备信息, 日志信息), leftmost-longest, with Latin names of three
// letters or fewer (mac, ip, gps) on word boundaries and phrases such as
// 短信验证码 ignored.
package policy
