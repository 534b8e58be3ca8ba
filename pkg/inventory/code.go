package inventory

// Call is one sensitive API reached from the methods of one class: the
// instructions of Class that call it (invoke-*), read it (sget, iget) or
// load its string constant (const-string), or, when Reflective, look it up
// by name through reflection.
type Call struct {
	// API is the dotted class and member ("android.telephony.TelephonyManager.getDeviceId");
	// for a string constant, the API that reads through it
	// ("android.provider.Settings$Secure.getString" for "android_id").
	API string
	// Constant is the string constant for a string entry ("android_id",
	// "content://sms"), "" for a method or field.
	Constant string
	// Data is the personal-information type the API reads, in pkg/policy's
	// canonical vocabulary ("IMEI", "位置信息"); Detail a finer name or "".
	Data, Detail string
	// Permissions are the permissions the API needs, the usual one first
	// (any one lets it succeed); empty when it needs none.
	Permissions []string
	// Class is the calling class, dotted ("com.umeng.commonsdk.statistics.common.DeviceConfig").
	Class string
	// Count is the number of instructions (call sites) of Class that reach the API.
	Count int
	// Reflective marks a reach through visible reflection: Class names the
	// API's class (Class.forName, loadClass, const-class) and looks its
	// member up by a constant name (getMethod, getField …). Count is then
	// the number of lookups.
	Reflective bool
}

// CallScan says what the code scan covered. A rule that infers from the
// absence of a call must check it: code the scan did not walk may hold the call.
type CallScan struct {
	// Ran is set when the scan was run (it is off with Options.NoCode).
	Ran bool
	// DexFiles counts the DEX entries whose code was walked to the end.
	DexFiles int
	// Methods and Instructions count what the scan walked.
	Methods, Instructions int
	// Incomplete lists code the scan did not walk, as "path: reason" (JAR
	// class files, which it does not read). A DEX whose code it walked only
	// in part is in Inventory.Unanalysed instead.
	Incomplete []string
	// Loaders are the classes (dotted) that create class loaders over DEX
	// files (DexClassLoader, InMemoryDexClassLoader, PathClassLoader,
	// DexFile.loadDex): code loaded at run time, which no scan of the build sees.
	Loaders []string
}

// CodeScanComplete reports whether the code scan walked all of the build's
// code that it can see, to the end: it ran over at least one DEX file, no
// code is unanalysed and none is incomplete. Code loaded at run time (CallScan.Loaders) is beyond any
// scan of the build either way.
func (inv *Inventory) CodeScanComplete() bool {
	c := inv.Code.CallScan
	return c.Ran && c.DexFiles > 0 && len(c.Incomplete) == 0 && len(inv.Unanalysed) == 0
}
