package policy

// Disclosure is everything the policy documents say, with line references.
type Disclosure struct {
	Documents []DocumentInfo
	// Permissions are platform or vendor permissions the wording discloses, sorted by name.
	Permissions []PermissionDisclosure
	// Covered are permissions the wording does not name but covers, with
	// lower confidence, through the group a later Android version split
	// them from (存储 covers READ_MEDIA_IMAGES; 蓝牙 BLUETOOTH_SCAN), sorted by name.
	Covered []CoveredPermission
	// SDKs are the rows of the SDK list(s) in document order.
	SDKs []SDKRow
	// Mentions are SDK catalogue ids named in prose outside any SDK row
	// ("我们使用了友盟统计SDK"), which count as weaker disclosure.
	Mentions []Mention
	// DataTypes are personal-information types the policy says are collected, canonical names.
	DataTypes []string
	// HasSDKList is true when at least one SDK list (table, key:value blocks or numbered list) was found.
	HasSDKList bool
	// HasPermissionSection is true when the policy describes permissions at all.
	HasPermissionSection bool
	Warnings             []string
}

// DocumentInfo describes one input document.
type DocumentInfo struct {
	Path   string
	Format string
	Chars  int
}

// LineRef points at a line of one policy document.
type LineRef struct {
	File string
	Line int
}

// PermissionDisclosure is one permission the policy discloses.
type PermissionDisclosure struct {
	Name    string    // full name, e.g. android.permission.CAMERA
	Phrases []string  // the words that disclosed it ("相机", "android.permission.CAMERA")
	Lines   []LineRef // where
}

// CoveredPermission is a permission disclosed only by the wording of the
// group it was split from.
type CoveredPermission struct {
	Name string // full name, e.g. android.permission.READ_MEDIA_IMAGES
	// By are the disclosed permissions whose wording covers it (android.permission.READ_EXTERNAL_STORAGE).
	By      []string
	Phrases []string  // their words ("存储权限")
	Lines   []LineRef // where
}

// SDKRow is one row of a policy's SDK list.
type SDKRow struct {
	// ID is the catalogue id the row maps to, "" when it matches none.
	ID string
	// Family is set when the row names a family ("华为HMS") rather than one kit.
	Family string
	// Also holds the other catalogue ids a row naming several SDKs names
	// ("华为/小米/vivo/OPPO/魅族/荣耀通道SDK", "友盟+（统计、推送、分享）"); the row
	// discloses each of them as it discloses ID.
	Also      []string
	Name      string
	Company   string
	Purpose   string
	Data      string
	PolicyURL string
	Package   string
	// Website is the SDK's home page when the row gives one (官网), kept apart from PolicyURL.
	Website string
	// Permissions is the row's permission field (调用权限, 申请的权限) as written.
	Permissions string
	// DataTypes are the canonical personal-information types found in Data.
	DataTypes []string
	Line      LineRef
}

// Mention is an SDK named in prose.
type Mention struct {
	ID     string
	Phrase string
	Line   LineRef
}
