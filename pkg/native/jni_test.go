package native

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDecodeJNI(t *testing.T) {
	tests := []struct {
		sym                string
		class, method, arg string
		ok                 bool
	}{
		// The JNI specification's own examples ("Resolving Native Method Names").
		{"Java_pkg_Cls_f__ILjava_lang_String_2", "pkg.Cls", "f", "ILjava/lang/String;", true},
		{"Java_pkg_Cls_f__Ljava_lang_String_2", "pkg.Cls", "f", "Ljava/lang/String;", true},
		{"Java_pkg_Cls_g", "pkg.Cls", "g", "", true},
		// Real exports of the dev set (nm -D).
		{"Java_com_tencent_liteav_network_TXCStreamUploader_nativeInitUploader", "com.tencent.liteav.network.TXCStreamUploader", "nativeInitUploader", "", true},
		{"Java_com_netease_cosine_core_Cosine_nativeStart", "com.netease.cosine.core.Cosine", "nativeStart", "", true},
		// Escapes.
		{"Java_com_example_my_1sdk_Util_get_1id", "com.example.my_sdk.Util", "get_id", "", true},
		{"Java_com_example_Outer_00024Inner_run", "com.example.Outer$Inner", "run", "", true},
		{"Java_com_example_Caf_000e9_ping", "com.example.Café", "ping", "", true},
		{"Java_com_example_Codec_decode___3_3B", "com.example.Codec", "decode", "[[B", true},
		{"Java_a_b_1__I", "a", "b_", "I", true},  // "_1" then the "__" of the signature
		{"Java_Top_run", "Top", "run", "", true}, // a class in the default package
		{"Java_a_B_00024C_m", "a.B$C", "m", "", true},
		// Not JNI names.
		{"Java_", "", "", "", false},
		{"Java_helper", "", "", "", false},
		{"Java_com_example_Bad_4x", "", "", "", false},
		{"Java_a_b_2c", "", "", "", false},    // ';' escape outside a signature
		{"Java_a_b_0zzzz", "", "", "", false}, // not hex
		{"Java_a_b_000E9", "", "", "", false}, // upper-case hex is not the mangled form
		{"Java_a_b_", "", "", "", false},
		{"Java_a__b", "", "", "", false}, // empty method name before the signature
		{"Java_a_b-c", "", "", "", false},
		{"JNI_OnLoad", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.sym, func(t *testing.T) {
			m, ok := DecodeJNI(tt.sym)
			assert.Equal(t, tt.ok, ok)
			if !tt.ok {
				return
			}
			assert.Equal(t, JNIMethod{Symbol: tt.sym, Class: tt.class, Method: tt.method, Args: tt.arg}, m)
		})
	}
}
