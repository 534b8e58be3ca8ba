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
// lists it. So 位置信息 and 定位权限 disclose ACCESS_FINE_LOCATION and
// ACCESS_COARSE_LOCATION but not ACCESS_BACKGROUND_LOCATION, which needs its
// own words (后台获取位置信息, 始终允许); 相册 discloses READ_MEDIA_IMAGES,
// READ_MEDIA_VIDEO, READ_MEDIA_VISUAL_USER_SELECTED and READ_EXTERNAL_STORAGE;
// 电话权限 discloses READ_PHONE_STATE and CALL_PHONE; 蓝牙 the Bluetooth
// permissions. Chinese wording that discloses READ_EXTERNAL_STORAGE (存储权限,
// 读写存储, SD卡) also discloses READ_MEDIA_IMAGES, READ_MEDIA_VIDEO and
// READ_MEDIA_AUDIO, the API 33 permissions that replaced it for media; the
// literal string android.permission.READ_EXTERNAL_STORAGE does not.
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
// 不会获取, 不会调用, 不会进行, 不申请, 未申请, 不涉及 or a similar cue, as in
// "并不申请短信和读取通讯录联系人的权限". The clause after the next comma counts
// again. The same negation rule keeps data types out of Disclosure.DataTypes.
//
// HasPermissionSection is true when a permission section or table was found
// or any permission is disclosed.
//
// # SDK lists
//
// Three layouts are read, in document order, and each row keeps its name,
// company, purpose (or the scenario column when there is no purpose),
// data, policy link, website, package and permission fields as written:
//   - key：value blocks: a new row starts at each SDK-name label (SDK名称,
//     第三方SDK名称, 插件名称, "1. 使用SDK名称"); later labels fill the row
//     until a line that is not a known label. Generic labels (公司名称, 功能,
//     目的, 类型 …) count only inside such a block, so the operator's own
//     contact section does not become a row. Two-cell table rows are read
//     the same way.
//   - tables: a header row, among the first three rows, that names an
//     SDK-name column and at least one other known column; then one row per
//     line. Plain-text lines with TABs are treated as table rows.
//   - numbered lists: "1. 友盟SDK：…" when the name part says SDK or API or is
//     exactly a catalogue alias, and reads like a name, not a sentence.
//
// Labels are mapped to fields by data/policy-fields.tsv (a copy of the
// reference table made by gen.go) plus a few labels it lacks (隐私协议地址,
// SDK官网, 调用权限): exact after NFKC, lower case, no spaces and no "的";
// then the part outside or inside brackets ("服务类型（使用目的）"); then a
// known label of three or more runes ending the label after a short prefix.
//
// # Matching rows to the catalogue
//
// Names are compared in a normal form: NFKC, lower case, no white space,
// the typo "Andriod" repaired, and the suffixes SDK, 软件开发工具包, 开发包,
// 插件, Android版, for Android stripped repeatedly. The candidates of a row
// are its whole name, the part before a bracket, and the pieces between
// brackets, '/', '、' and ','. The first stage that names exactly one entry wins:
//  1. a non-ambiguous alias, or a key derived from the entry's name or
//     name_zh (the part before a bracket, its '/' pieces, bracketed parts of
//     four runes or more); several entries are narrowed by the cues below;
//  2. an ambiguous alias (marked '?' in the catalogue, "微信?") with another
//     cue: the company names the entry's vendor or a vendor alias, the
//     purpose or data names one of the entry's keys, or the policy link is
//     on the host of the entry's policy URL;
//  3. a family (below);
//  4. the row's package field against the entries' DEX package prefixes,
//     on whole segments, longest prefix first;
//  5. a vendor brand followed by a product key: "腾讯IM" is 腾讯 + "im", a key of
//     an entry whose vendor, aliases or names carry the brand (keys are also
//     compared with their own brand removed, so "腾讯云LiteAV" meets
//     "Tencent LiteAV");
//  6. the longest non-ambiguous alias of weight four or more (a Han rune
//     weighs two, others one) contained in the name on Latin word
//     boundaries, when no other entry has an equally long one;
//  7. such an alias in the purpose when the company names that entry's vendor
//     ("腾讯开发平台SDK", 微信分享及收藏, 腾讯科技 → wechat-opensdk);
//  8. a common run of three or more Han runes between the name and a key of
//     an entry of the same brand, when it is unique ("腾讯云物联网设备端" and
//     "腾讯云物联网开发平台").
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
