#!/usr/bin/env bash
# Fetches the development set of real third-party SDK binaries that npm packages
# vendor (react-native and Cordova plugins ship the vendors' JAR, AAR, APK, DEX and
# .so files in their tarballs) into the git-ignored testdata/external/sdk-binaries/.
# The files are proprietary: use them for tests only, never commit them.
# testdata/sdk-binaries.tsv says, for every file, which SDKs it holds and why.
#
# usage: scripts/fetch-sdk-binaries.sh [DEST]   (default: testdata/external/sdk-binaries)
# Each file lands at DEST/<package@version>/<path in the package> ('/' in a scoped
# name becomes '+'); "zip!inner" paths are unpacked from a zip inside the package
# next to it, as the plugin's install hook does. Every file is checked against the
# sha256 pinned below. Idempotent: a file already present with the right digest is
# kept, and a package is downloaded only when one of its files is missing. Needs npm.
set -euo pipefail
dest=${1:-testdata/external/sdk-binaries}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# package@version  path-in-package[!path-in-inner-zip]  sha256
files=$(cat <<'LIST'
jpush-react-native@0.0.11            android/libs/jpush-android-2.1.5.jar                                                                                      0db0a50568732ad1b8f2d33682da8b9987b87b8f95ece869d46fdbf6d6293aae
jpush-react-native@1.3.4             android/libs/jpush-android-2.2.0.jar                                                                                      73be79bace34ba865891d7c36f5ad4113ecef7a74825e4edb59390dcbec6ada6
jpush-react-native@1.3.4             android/libs/arm64-v8a/libjpush220.so                                                                                     7a1493a834cde1f0bb7f8f9ffdae7044bf3c3daa03a2dddd7d493fc8ea93c3b4
jpush-react-native@1.3.4             android/libs/armeabi-v7a/libjpush220.so                                                                                   b93d6d497f7d986c53d5dcae76c0d42009c6fc281466d8292e299a2259c5da05
jpush-react-native@1.3.4             android/libs/x86_64/libjpush220.so                                                                                        6281bc8b2ff9d25d7bffb08b94b5ce7022c21ae645dfcf608a72aad3edb6b884
jpush-react-native@1.3.4             android/libs/mips/libjpush220.so                                                                                          a7f4e1b4451e68850c5c528b9ed1fa27ce52d8a5ded4620c320e8e947b03d133
jpush-react-native@1.3.4             android/app/build/outputs/apk/app-debug.apk                                                                               ced62e0a7036e72444192687fc9894717e9fbe360d660c0c942a3f979bb411d5
jpush-react-native@1.3.4             android/app/build/intermediates/dex/debug/classes.dex                                                                     ce79efeb94cea12be6cf71b37af578176b70ff37d51c0a78cf7447efb08f73ba
jpush-react-native@1.3.4             android/app/build/intermediates/pre-dexed/debug/jpush-android-2.0.6-a26faacab79e5559563475356125b0cdfb67510f.jar          22c7ddb4ebd4451a973189e09434b08f12164d33a2b88166663f3f859959d27e
jpush-react-native@1.3.4             android/app/build/intermediates/pre-dexed/debug/okhttp-2.5.0-e2933d30f3783a1d139e3f259fdb03212aa3d443.jar                 7a874cd165b530a3153848eb3dc760b8d36b9a2f118d26284e2e4305fb0ef6e9
jpush-react-native@1.3.4             android/app/build/intermediates/pre-dexed/debug/okio-1.6.0-8b506cd69e81e1da6e358d05ac1f061637fa37cf.jar                   e94326e790cab019fe6b3646b043a38783053267672aaf4d19b9a54f7c6f53e4
jpush-react-native@1.3.4             android/app/build/intermediates/pre-dexed/debug/stetho-1.2.0-538e8c9447d05f59f693d5f76c00923c925bb518.jar                 3be8a51821de1fae3b216adccc56a2da0449b3e3b2fa94ddc14b0a3302b57e68
jpush-react-native@1.3.4             android/app/build/intermediates/pre-dexed/debug/stetho-okhttp-1.2.0-6fba3b71696dd0e78a20734eb312d777b5251660.jar          02eb57f3dfc7cdf4913281e75394b1a5e060b25fe527d519278f2e37409d468f
jpush-react-native@1.3.4             android/app/build/intermediates/pre-dexed/debug/bolts-android-1.1.4-621fd76a61294a14123ac0e2406eb8b1102faae2.jar          a8fcdf04f42d195e399869bca5ba4a89c520993e11e2fb95da67809d8d502211
jpush-react-native@1.3.4             android/app/build/intermediates/pre-dexed/debug/jackson-core-2.2.3-679b8dd4d4f30e4e23d85d490ffad23a8a0ac3b2.jar           69009b6dc76d6f96b195411d828256d9277193ae20e4671f36d0f6251f6dc27d
jpush-react-native@1.3.4             android/app/build/intermediates/exploded-aar/com.facebook.fresco/imagepipeline/0.8.1/jars/classes.jar                     3aa3e0298d52129d75de75b43c57fc5a42e820e09e178719f2ae6586337a6390
jpush-react-native@1.3.4             android/app/build/intermediates/exploded-aar/com.facebook.fresco/fbcore/0.8.1/jars/classes.jar                            60643f079f359405ef7c68984fe55c593a56bb11a77e2ca003933a8e96af9ce3
jpush-react-native@1.3.4             android/app/build/intermediates/exploded-aar/com.facebook.fresco/drawee/0.8.1/jars/classes.jar                            2b026a9f865411c931adcd6b10a2398677083a02e03345a9f2c3727eb5a9e5e1
jpush-react-native@1.3.4             android/app/build/intermediates/exploded-aar/com.facebook.react/react-native/0.19.1/jars/classes.jar                      122495a38186e8e70b01a77e7a934bc83bc598337eccac8105c95af97c234f69
jpush-react-native@1.3.4             android/app/build/intermediates/exploded-aar/com.facebook.react/react-native/0.19.1/jni/armeabi-v7a/libreactnativejni.so  bf4f7b90f49a6e0795fe50663813b258d2547178f39d3a26c0b3a45468248d19
jpush-react-native@1.3.4             android/app/build/intermediates/exploded-aar/com.facebook.react/react-native/0.19.1/jni/x86/libfbjni.so                   ea2d0d58761c4aae03ca2064df3572490268eea99fcee29e162f84b4f8e54e77
jpush-react-native@1.3.4             android/app/build/intermediates/exploded-aar/com.facebook.react/react-native/0.19.1/jni/armeabi-v7a/libfb.so              4fa972b606d331a771425619da7a2258ac18fde6a3b7066b1497f0ee1e1bbc50
jpush-react-native@1.3.4             android/app/build/intermediates/exploded-aar/com.facebook.fresco/imagepipeline/0.8.1/jni/arm64-v8a/libimagepipeline.so    aee40c7d47a89f8577175bc8762ae1c078df2b6284e2b38cd25aa2b437e17db2
jpush-react-native@1.3.4             android/app/build/intermediates/exploded-aar/com.facebook.fresco/imagepipeline/0.8.1/jni/x86/libgifimage.so               ebd438fabd0ef0c884f52783ded0fa06a64f0282a86ea8ba7b0bb0faa7477256
jpush-react-native@1.3.4             android/app/build/intermediates/exploded-aar/org.webkit/android-jsc/r174650/jni/armeabi-v7a/libjsc.so                     8bc5c231657ee3fe3edcf7891fea19127312dd525d2f109159ac3868fb406525
jpush-react-native@1.7.1             android/libs/jpush-android-3.0.7.jar                                                                                      d7f3080826c72fc127a0f56f9073f8a8b9716bb5a90e8243631dd18aef14d448
jpush-react-native@2.2.13            android/libs/jpush-android-3.1.6.jar                                                                                      e4efb0a3e6749e2a4307b3566ba713553f6f8b133e95448b7c90c9f44abf5aae
jpush-react-native@2.8.0             android/libs/jpush-android-3.6.0.jar                                                                                      2862211db1fd84cf6425d6bda5dadae6953ba15d194b746c9600d26c26b29c65
jcore-react-native@1.2.5             android/libs/jcore-android-1.1.7.jar                                                                                      e9825d9c1cf37987d033fc957b7ac589f9cd94c27c38b65b7f311c7246603d35
jcore-react-native@1.2.5             android/libs/arm64-v8a/libjcore117.so                                                                                     2f88da9152f72bfc3d10dbfccb97183baef886e7d458bb8dec1454e375ae8d4f
jcore-react-native@1.9.0             android/libs/jcore-android-2.3.4.jar                                                                                      83d9ec3b3ebff130ff4b0ce75535d450e00fbc7743b4dbfa37d124d70c22a400
jcore-react-native@1.9.0             android/libs/armeabi-v7a/libjcore234.so                                                                                   0e05c893465ce40b43be83a0867addaf71724dbddcea7e671513a3982f8aa8d5
jverification-react-native@2.4.8     android/libs/jverification-android-release-2.7.2.jar                                                                      d488cbfb7c99c65ac9418eea1128a1a9b884647a4bfb94ded70485145261e48b
jverification-react-native@2.4.8     android/libs/arm64-v8a/libCtaApiLib.so                                                                                    a2b7bef575785d4640412a84726ecc778afd36ccbf54e835cd137deb49867584
jverification-react-native@2.4.8     android/libs/x86/libCtaApiLib.so                                                                                          b0b8bbe76e07197f5a423d770ace362e3eb1e2b81b6653ad9f51f1e52df9b361
react-native-wechat@1.9.12           android/libs/libammsdk.jar                                                                                                15c0dab869b3132f2ae15e6005fd71997a44f0a336538ce312b71c945f4abcad
react-native-wechat-lib@1.1.27       android/libs/libammsdk.jar                                                                                                64f93023fd991a2a3d93532158c6268b838e6bae398e8fce5f4c22d58338d75b
react-native-netease-im@3.0.0        android/libs/MiPush_SDK_Client_3_6_2.jar                                                                                  9ca501b534471d89504b68cd254a874fc7c821bf424986e89a790da3c6875f6f
react-native-netease-im@2.0.8        android/libs/mi_push_sdk_3.2.2.jar                                                                                        5714af3990d838f5c5e2f4dd25740540aa9bd413197de27c4ae928ca0aa44d0b
react-native-netease-im@2.0.8        android/libs/nim-basesdk-4.7.3.jar                                                                                        86eb3e8dedc8378b611bdf9204dcd5936aae937eff519776ac084d2a8a2cae59
react-native-netease-im@2.0.8        android/libs/arm64-v8a/libne_audio.so                                                                                     3740ab50ea508abe3092e73c5f8c45c079304a99b97f50d3013f6c219fa2fb4d
react-native-netease-im@2.0.8        android/libs/cosinesdk.jar                                                                                                af19ca1e262306bfe112c7744bb3bf3261e9a30a7788c8c45a3bd1a6d5232d94
react-native-netease-im@2.0.8        android/libs/armeabi-v7a/libcosine.so                                                                                     1a173695c60f7163e7de910fa85e401e7361e43a24a29cee89adb1720a439a0c
react-native-netease-im@2.0.8        android/libs/fastjson-1.1.34.android.jar                                                                                  a92e4aac1c962b08f40e34543ef7f660e95516fae41f44b5d499bb5bbca81b99
react-native-netease-im@2.0.8        android/libs/universal-image-loader-1.9.5.jar                                                                             dbd5197ffec3a8317533190870a7c00ff3750dd6a31241448c6a5522d51b65b4
@uiw/react-native-alipay@2.1.3       android/libs/alipaySdk-15.7.9-20200727142846.aar                                                                          4e9e30bfd9cb3985959482173acf461b6c59c7d638a8895e90a114de528797e8
cordova-plugin-tencent-liteav@0.2.2  src/android/libs.zip!libs/liteavsdk.jar                                                                                   d77b9f02986bc36b34dd73654ab25fea6150e23c7c04db96af4e9ac7f654e6a6
cordova-plugin-tencent-liteav@0.2.2  src/android/libs.zip!libs/armeabi-v7a/libliteavsdk.so                                                                     76c6077422a18cd1f98c8fc5958380c84cf392754c0db1b98478d5d7243bad82
cordova-plugin-tencent-liteav@0.2.2  src/android/libs.zip!libs/armeabi-v7a/libtxffmpeg.so                                                                      05af026fdfb8e76ebed36d5bdf383bd639cf09f4cb3fbd749072601ff319db53
cordova-plugin-tencent-liteav@0.2.2  src/android/libs.zip!libs/armeabi-v7a/libsaturn.so                                                                        afb08d404cabc132f4ef3d1514e7aea30eec2b4ebb76feb7418e364b3387b28e
cordova-plugin-tencent-liteav@0.2.2  src/android/libs.zip!libs/armeabi-v7a/libtraeimp-rtmp-armeabi-v7a.so                                                      9707f5d7a932b58e733e0c09c391e08f119fe778373930313e52813be85b9009
cordova-plugin-tencent-liteav@0.2.2  src/android/libs.zip!libs/armeabi/libstlport_shared.so                                                                    76f8d5c7c80b72793e71b81790c6337a0d72cc64ff68339fc7da87d0b3a61fa2
com.adjust.sdk@4.23.0                src/android/adjust-android.jar                                                                                            9f16f2f90094cfe7f0fa40dbde4a9198f9cc383a268fc4ad20e48a69f43dd0eb
com.adjust.sdk@4.29.1                src/android/adjust-android.jar                                                                                            c7d4e82d1cedf35a8c37ce518cac26f5adab1c5fdab48ffd71ba8b7d1fe72084
react-native-adjust-oaid@4.32.1      android/libs/adjust-android-oaid.jar                                                                                      31c8c39860d01cff0146d58848862013dc46831763021de25fae1f2eb6766fbd
branch-cordova-sdk@2.6.0             src/android/dependencies/Branch-2.8.0.jar                                                                                 3b4901c069b81a0094fa67406fdefb6c606d2533600de31fe47a9743751d7213
branch-cordova-sdk@3.1.0             src/android/dependencies/Branch.jar                                                                                       26d02b2a38d20281472a6da6267e005af97bd988457777369190a5ded663ccd8
LIST
)

sha() { sha256sum "$1" | cut -d' ' -f1; }
target() { # spec path → destination file
  local p=$2
  case $p in *'!'*) p="$(dirname "${p%%!*}")/${p#*!}" ;; esac
  echo "$dest/${1//\//+}/$p"
}

fetched=""
unpack() { # spec: npm pack it once into $work/<spec>/package
  local dir="$work/${1//\//+}"
  [ -d "$dir/package" ] && return 0
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$1" >/dev/null && tar -xzf ./*.tgz && rm -f ./*.tgz)
  fetched="$fetched $1"
}

n=0
while read -r spec path want; do
  [ -n "$spec" ] || continue
  out=$(target "$spec" "$path")
  n=$((n + 1))
  if [ -f "$out" ] && [ "$(sha "$out")" = "$want" ]; then continue; fi
  unpack "$spec"
  src="$work/${spec//\//+}/package/${path%%!*}"
  mkdir -p "$(dirname "$out")"
  case $path in
    *'!'*) unzip -p "$src" "${path#*!}" > "$out.tmp" ;;
    *) cp "$src" "$out.tmp" ;;
  esac
  got=$(sha "$out.tmp")
  if [ "$got" != "$want" ]; then
    rm -f "$out.tmp"
    echo "fetch-sdk-binaries: $spec $path: sha256 $got, want $want" >&2
    exit 1
  fi
  mv "$out.tmp" "$out"
done <<<"$files"
echo "sdk binaries in $dest: $n files${fetched:+ (downloaded:$fetched)}"
