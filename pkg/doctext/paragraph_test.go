package doctext

import "testing"

// TestParagraphJoin checks that paragraph, which joins wrapped lines in
// linear time, separates them as joinSep always has: nothing next to Han
// text or inside a URL, a space between words, and knows when the text
// ends inside a URL.
func TestParagraphJoin(t *testing.T) {
	cases := []struct {
		lines []string
		want  string
		url   bool
	}{
		{[]string{"我们会申请", "相机权限"}, "我们会申请相机权限", false},
		{[]string{"we collect", "your device id"}, "we collect your device id", false},
		{[]string{"详见 https://www.example.com/", "policy.html"}, "详见 https://www.example.com/policy.html", true},
		{[]string{"详见 https:/", "/example.com/a?", "b=1"}, "详见 https://example.com/a?b=1", true},
		{[]string{"see www.example", ".com then", "more"}, "see www.example.com then more", false},
		{[]string{"a-", "b"}, "a-b", false},
		{[]string{"https://a.cn/x done", "next"}, "https://a.cn/x done next", false},
	}
	for _, c := range cases {
		var p paragraph
		p.WriteString(c.lines[0])
		for _, l := range c.lines[1:] {
			p.Join(l)
		}
		if p.String() != c.want || p.inURL() != c.url {
			t.Errorf("%q: got %q (in URL %v), want %q (in URL %v)", c.lines, p.String(), p.inURL(), c.want, c.url)
		}
		// joinSep, used for single joins, agrees with paragraph.
		if got := c.lines[0] + joinSep(c.lines[0], c.lines[1]) + c.lines[1]; len(c.lines) == 2 && got != c.want {
			t.Errorf("joinSep(%q, %q) gives %q, want %q", c.lines[0], c.lines[1], got, c.want)
		}
	}
}

// BenchmarkParagraph joins 2,600 wrapped lines of 100 Han runes, a page of
// the hostile pdf-wrapped-pages case: linear, where copying the text so far
// for every line was quadratic.
func BenchmarkParagraph(b *testing.B) {
	line := ""
	for range 100 {
		line += "一"
	}
	for b.Loop() {
		var p paragraph
		p.WriteString(line)
		for range 2600 {
			p.Join(line)
		}
	}
}
