package container

import (
	"bytes"
	"encoding/asn1"
	"encoding/binary"
	"fmt"
	"math/big"
	"strings"
)

// IDs of the APK Signing Block pairs Android and common tools write.
const (
	SigSchemeV2     uint32 = 0x7109871a // APK Signature Scheme v2
	SigSchemeV3     uint32 = 0xf05368c0 // APK Signature Scheme v3
	SigSchemeV31    uint32 = 0x1b93ad61 // APK Signature Scheme v3.1
	SigVerityPad    uint32 = 0x42726577 // padding for verity alignment
	SigSourceStamp1 uint32 = 0x2b09189e // source stamp v1
	SigSourceStamp2 uint32 = 0x6dff800d // source stamp v2
	SigDependencies uint32 = 0x504b4453 // dependency metadata written by the Android Gradle plugin
	SigPlayFrosting uint32 = 0x2146444e // Google Play frosting
)

var sigNames = map[uint32]string{
	SigSchemeV2:     "APK Signature Scheme v2",
	SigSchemeV3:     "APK Signature Scheme v3",
	SigSchemeV31:    "APK Signature Scheme v3.1",
	SigVerityPad:    "verity padding",
	SigSourceStamp1: "source stamp v1",
	SigSourceStamp2: "source stamp v2",
	SigDependencies: "dependency metadata",
	SigPlayFrosting: "Play frosting",
	0x71777777:      "Walle channel",
	0x881155ff:      "VasDolly channel",
}

// SigningPairName returns a readable name for a signing block pair id.
func SigningPairName(id uint32) string {
	if n, ok := sigNames[id]; ok {
		return n
	}
	return fmt.Sprintf("unknown block %#08x", id)
}

// SigningBlock is the APK Signing Block that holds v2+ signatures, right
// before the central directory.
type SigningBlock struct {
	Offset int64         // where the block starts (its leading size field)
	Size   int64         // bytes from Offset to the central directory
	Pairs  []SigningPair // the ID-value pairs, in order
}

// SigningPair is one ID-value pair of the APK Signing Block.
type SigningPair struct {
	ID     uint32
	Offset int64 // where the value starts
	Len    int64 // the value's length
}

// First returns the first pair with the given id (the one Android verifies), or nil.
func (b *SigningBlock) First(id uint32) *SigningPair {
	for i := range b.Pairs {
		if b.Pairs[i].ID == id {
			return &b.Pairs[i]
		}
	}
	return nil
}

const (
	sigMagic    = "APK Sig Block 42"
	maxSigPairs = 4096
)

// readSigningBlock finds and walks the APK Signing Block, warning about
// anything Android and other tools may read differently.
func (a *Archive) readSigningBlock() {
	end := a.cdStart
	if end < 32 {
		return
	}
	foot, err := a.readAt(24, end-24)
	if err != nil || string(foot[8:]) != sigMagic {
		return
	}
	size := binary.LittleEndian.Uint64(foot)
	if size < 24 || size > uint64(end-8) {
		a.warnf("APK Signing Block declares an impossible size %d; ignored (Android rejects the v2+ signature)", size)
		return
	}
	start := end - int64(size) - 8
	head, err := a.readAt(8, start)
	if err != nil {
		return
	}
	if hs := binary.LittleEndian.Uint64(head); hs != size {
		a.warnf("APK Signing Block sizes disagree: %d at its start, %d at its end (Android rejects the v2+ signature)", hs, size)
	}
	blk := &SigningBlock{Offset: start, Size: end - start}
	pos, stop := start+8, end-24
	for pos < stop {
		if len(blk.Pairs) >= maxSigPairs {
			a.warnf("APK Signing Block holds more than %d pairs; the rest are not listed", maxSigPairs)
			break
		}
		if stop-pos < 12 {
			a.warnf("APK Signing Block has %d stray bytes after its last pair", stop-pos)
			break
		}
		h, err := a.readAt(12, pos)
		if err != nil {
			break
		}
		n := binary.LittleEndian.Uint64(h)
		if n < 4 || n > uint64(stop-pos-8) {
			a.warnf("APK Signing Block pair at offset %#x declares length %d, past the block (Android rejects the v2+ signature)", pos, n)
			break
		}
		blk.Pairs = append(blk.Pairs, SigningPair{ID: binary.LittleEndian.Uint32(h[8:]), Offset: pos + 12, Len: int64(n) - 4})
		pos += 8 + int64(n)
	}
	a.sigBlk = blk

	count := map[uint32]int{}
	for _, p := range blk.Pairs {
		count[p.ID]++
	}
	for _, id := range []uint32{SigSchemeV2, SigSchemeV3, SigSchemeV31, SigSourceStamp1, SigSourceStamp2} {
		if c := count[id]; c > 1 {
			a.warnf("APK Signing Block holds %d %s blocks: Android verifies only the first, other tools may take another (signer confusion, cf. fdroidserver issue 1128)", c, sigNames[id])
		}
	}
}

// checkV1Signatures looks at the JAR (v1) signature files under META-INF/ for
// shapes that make tools disagree on who signed the APK.
func (a *Archive) checkV1Signatures() {
	sf := map[string]bool{}
	var blocks []*Entry
	for _, e := range a.entries {
		dir, file, ok := strings.Cut(e.Name, "/")
		if !ok || dir != "META-INF" || strings.Contains(file, "/") || e.dup {
			continue
		}
		up := strings.ToUpper(file)
		switch {
		case strings.HasSuffix(up, ".SF"):
			sf[strings.TrimSuffix(up, ".SF")] = true
		case strings.HasSuffix(up, ".RSA"), strings.HasSuffix(up, ".DSA"), strings.HasSuffix(up, ".EC"):
			blocks = append(blocks, e)
		}
	}
	if len(blocks) == 0 {
		return
	}
	if a.byName["META-INF/MANIFEST.MF"] == nil {
		a.warnf("JAR signature files without META-INF/MANIFEST.MF: the v1 signature is invalid")
	}
	for _, e := range blocks {
		file := strings.TrimPrefix(e.Name, "META-INF/")
		base := strings.ToUpper(file[:strings.LastIndexByte(file, '.')])
		if !sf[base] {
			a.warnf("signature block %s has no matching .SF file: Android ignores it but some tools take its certificate as the signer (cf. fdroidserver issue 1128)", e.Name)
		}
		if e.UncompressedSize > 1<<20 {
			a.warnf("signature block %s is %d bytes; not examined", e.Name, e.UncompressedSize)
			continue
		}
		b, err := a.ReadAll(e, nil)
		if err != nil {
			a.warnf("signature block %s is unreadable: %v", e.Name, err)
			continue
		}
		if msg := checkPKCS7(b); msg != "" {
			a.warnf("signature block %s %s", e.Name, msg)
		}
	}
}

type pkcs7ContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,optional,tag:0"`
}

// certID identifies a certificate as a PKCS#7 signer does.
type certID struct {
	issuer []byte
	serial *big.Int
}

type pkcs7IssuerSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

// checkPKCS7 returns what is odd about a v1 signature block, or "".
func checkPKCS7(b []byte) string {
	var ci pkcs7ContentInfo
	if _, err := asn1.Unmarshal(b, &ci); err != nil {
		return "is not a PKCS#7 structure"
	}
	var sd struct {
		Version          int
		DigestAlgorithms asn1.RawValue
		ContentInfo      asn1.RawValue
		Certificates     asn1.RawValue `asn1:"optional,tag:0"`
		CRLs             asn1.RawValue `asn1:"optional,tag:1"`
		SignerInfos      asn1.RawValue
	}
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return "holds no readable PKCS#7 SignedData"
	}
	var certs []certID
	rest := sd.Certificates.Bytes
	for len(rest) > 0 && len(certs) < 64 {
		var cert asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &cert); err != nil {
			break
		}
		id, _ := certIssuerSerial(cert.FullBytes)
		certs = append(certs, id)
	}
	var signers []pkcs7IssuerSerial
	rest = sd.SignerInfos.Bytes
	for len(rest) > 0 && len(signers) < 64 {
		var si struct {
			Version int
			SID     pkcs7IssuerSerial
		}
		var raw asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &raw); err != nil {
			break
		}
		// Only the leading version and issuer-and-serial matter; parse them
		// from the SignerInfo's contents.
		c := raw.Bytes
		if c, err = asn1.Unmarshal(c, &si.Version); err != nil {
			continue
		}
		if _, err = asn1.Unmarshal(c, &si.SID); err != nil {
			continue
		}
		signers = append(signers, si.SID)
	}
	switch {
	case len(signers) == 0:
		return "has no signer"
	case len(signers) > 1:
		return fmt.Sprintf("has %d signers", len(signers))
	}
	if len(certs) <= 1 {
		return ""
	}
	s := signers[0]
	for i, c := range certs {
		if c.serial != nil && c.serial.Cmp(s.Serial) == 0 && bytes.Equal(c.issuer, s.Issuer.FullBytes) {
			if i == 0 {
				return fmt.Sprintf("holds %d certificates; Android uses the signer's (the first), tools that take another see a different signer (cf. fdroidserver issue 1128)", len(certs))
			}
			return fmt.Sprintf("holds %d certificates and the signer's is number %d: tools that take the first certificate see the wrong signer (cf. fdroidserver issue 1128)", len(certs), i+1)
		}
	}
	return fmt.Sprintf("holds %d certificates, none of them the signer's", len(certs))
}

// certIssuerSerial extracts the issuer and serial number of a DER certificate.
func certIssuerSerial(der []byte) (id certID, ok bool) {
	var cert struct {
		TBS asn1.RawValue
	}
	if _, err := asn1.Unmarshal(der, &cert); err != nil {
		return id, false
	}
	var tbs struct {
		Serial    *big.Int
		Signature asn1.RawValue
		Issuer    asn1.RawValue
	}
	// The TBSCertificate has more fields; read only the leading ones.
	c := cert.TBS.Bytes
	var err error
	var v asn1.RawValue
	if c, err = asn1.Unmarshal(c, &v); err != nil {
		return id, false
	}
	if v.Class == asn1.ClassContextSpecific && v.Tag == 0 {
		if c, err = asn1.Unmarshal(c, &tbs.Serial); err != nil {
			return id, false
		}
	} else if _, err = asn1.Unmarshal(v.FullBytes, &tbs.Serial); err != nil {
		return id, false
	}
	if c, err = asn1.Unmarshal(c, &tbs.Signature); err != nil {
		return id, false
	}
	if _, err = asn1.Unmarshal(c, &tbs.Issuer); err != nil {
		return id, false
	}
	id.issuer = tbs.Issuer.FullBytes
	id.serial = tbs.Serial
	return id, true
}
