package main

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
)

// Hostile names of issue 12 ("Sanitise for each destination"): names an
// attacker controls reach every report, so the cases put terminal control
// sequences, bidi overrides, invalid UTF-8 and mentions where a build and a
// policy carry names. Every byte change is made to real files, compiled by
// the real toolchain: the fixture's DEX, its resource table and its zip
// directory, and the demo policy's SDK table.
const (
	// hostileLabel replaces the fixture's label 米题 (six UTF-8 bytes in
	// resources.arsc, whose pool keeps each string's length in UTF-16 units
	// and in bytes): a right-to-left override and ESC[J, six bytes, four units.
	hostileLabel = "\u202e\x1b[J"
	// hostileClass replaces SettingsActivity (16 bytes) in the class name
	// Lcom/example/miitee/ui/SettingsActivity; of classes.dex: an OSC 52
	// clipboard write, a right-to-left override and a C1 CSI, 16 bytes in
	// 13 UTF-16 units.
	hostileClass = "\x1b]52;c;aGk\x07\u202e\u009b"
)

// hostileLibs are native libraries added under names no packager would
// write: clear-screen, a window-title escape, invalid UTF-8, a mention.
var hostileLibs = []string{
	"lib/arm64-v8a/lib\x1b[2J\x1b[31mevil.so",
	"lib/arm64-v8a/lib\xff\xfe\u202eos.so",
	"lib/x86_64/lib@all\x1b]0;pwned\x07.so",
}

// hostileNames writes apk/hostile-names.apk and policy/hostile-names.md.
func (g *gen) hostileNames() error {
	es, err := g.fixtureEntries()
	if err != nil {
		return err
	}
	arsc, err := g.fixtureEntry("resources.arsc")
	if err != nil {
		return err
	}
	if arsc, err = patchPoolString(arsc, "米题", hostileLabel); err != nil {
		return fmt.Errorf("resources.arsc: %w", err)
	}
	dex, err := g.realDex()
	if err != nil {
		return err
	}
	if dex, err = patchDexString(dex, "Lcom/example/miitee/ui/SettingsActivity;", "SettingsActivity", hostileClass); err != nil {
		return fmt.Errorf("classes.dex: %w", err)
	}
	fixDex(dex)
	if es, err = replace(es, "resources.arsc", deflated("resources.arsc", arsc)); err != nil {
		return err
	}
	if es, err = replace(es, "classes.dex", deflated("classes.dex", dex)); err != nil {
		return err
	}
	so, err := g.fixtureEntry("lib/arm64-v8a/libjcore310.so")
	if err != nil {
		return err
	}
	for _, name := range hostileLibs {
		es = append(es, deflated(name, so))
	}
	b, err := writeZip(es)
	if err != nil {
		return err
	}
	if err := g.write("apk/hostile-names.apk", "the fixture with a label, a class name and native-library entry names full of terminal escapes, bidi overrides, invalid UTF-8 and mentions", b); err != nil {
		return err
	}
	return g.write("policy/hostile-names.md", "a Markdown policy whose SDK table rows carry mentions, terminal escapes, bidi overrides, HTML and table syntax", hostilePolicy())
}

// hostilePolicy is a policy whose SDK rows carry what a merge-request
// comment or a terminal must not act on.
func hostilePolicy() []byte {
	rows := [][5]string{
		{"@all 推送SDK", "某某科技有限公司 @everyone", "推送 <script>alert(1)</script>", "设备标识符", "https://example.cn/privacy"},
		{"统计SDK\x1b]52;c;aGk=\x07", "\u202e司公限有技科", "统计 | 分析 |", "设备型号 `rm -rf`", "https://example.cn/\u202eexe.pdf"},
		{"[链接](javascript:alert(1)) SDK", "@security-team", "**加粗** _斜体_ ~~删除~~", "位置信息\u009b31m", "https://example.cn/p"},
	}
	var b bytes.Buffer
	b.WriteString("# 隐私政策\n\n我们会申请相机权限用于扫码。\n\n## 第三方SDK共享清单\n\n")
	b.WriteString("| SDK名称 | 第三方名称 | 使用目的 | 收集个人信息 | 隐私政策链接 |\n|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", r[0], r[1], r[2], r[3], r[4])
	}
	return b.Bytes()
}

// patchPoolString replaces the string old of a UTF-8 resource string pool
// (each string preceded by its length in UTF-16 units and in bytes, one
// byte each for short strings) by new, which must have as many bytes.
func patchPoolString(b []byte, old, new string) ([]byte, error) {
	units := utf16Len(new)
	if len(old) != len(new) || len(old) > 0x7f || units > 0x7f {
		return nil, fmt.Errorf("replacement %q must be %d bytes", new, len(old))
	}
	i := bytes.Index(b, append([]byte{byte(len(old))}, old...))
	if i < 1 {
		return nil, fmt.Errorf("no pool string %q", old)
	}
	out := bytes.Clone(b)
	out[i-1] = byte(units)
	copy(out[i+1:], new)
	return out, nil
}

// patchDexString replaces part of the DEX string whole (a string_data_item:
// its length in UTF-16 units as ULEB128, then MUTF-8 bytes) by new, which
// must have as many bytes as part. Offsets do not move; fixDex must then fix
// the checksums. (The Unicode characters of new are all below U+10000, whose
// MUTF-8 is their UTF-8.)
func patchDexString(d []byte, whole, part, new string) ([]byte, error) {
	units := utf16Len(strings.Replace(whole, part, new, 1))
	if len(part) != len(new) || len(whole) > 0x7f || units > 0x7f {
		return nil, fmt.Errorf("replacement %q must be %d bytes", new, len(part))
	}
	i := bytes.Index(d, append([]byte{byte(len(whole))}, whole...))
	if i < 0 {
		return nil, fmt.Errorf("no string %q", whole)
	}
	j := i + 1 + bytes.Index([]byte(whole), []byte(part))
	out := bytes.Clone(d)
	out[i] = byte(units)
	copy(out[j:], new)
	return out, nil
}

// utf16Len is the length of s in UTF-16 code units.
func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }
