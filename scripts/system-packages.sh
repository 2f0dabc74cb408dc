# Sourced by scripts/test: the Debian packages the test suite needs beyond Python, installed
# when missing and when this machine can install them (root and apt-get): Chromium for the
# browser tests of the web pages, and Noto CJK fonts for the rendered label photos.
# Without them those tests skip with a reason; CI sets CELLWATCH_REQUIRE_BROWSER=1 so
# they fail instead.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing ${missing[*]} (Debian packages for the browser and label tests)" >&2
        apt-get install -y -qq "${missing[@]}" >/dev/null \
            || { apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null; }
    else
        echo "note: ${missing[*]} not installed; the tests that need them will skip" >&2
    fi
fi
