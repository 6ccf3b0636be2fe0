package io.frpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Text another party chose is logged as printable ASCII only: nothing in it can start a line, move the
 * cursor, reorder or hide the text around it, or fail to encode.
 */
class UntrustedTextTest {

  @Test
  void printableAsciiIsKeptAsItIs() {
    assertThat(UntrustedText.escape("game:1 at 10.0.0.1:9688 (boot id 5f-aa) ~!\"#$%&'()*+,-./[\\]^_`{|}"))
        .isEqualTo("game:1 at 10.0.0.1:9688 (boot id 5f-aa) ~!\"#$%&'()*+,-./[\\]^_`{|}");
  }

  @Test
  void lineBreaksEscapeAndNulBecomeHexEscapes() {
    assertThat(UntrustedText.escape("a\r\nINFO forged\u001b[31m\u0000\t\u007f"))
        .isEqualTo("a\\u000D\\u000AINFO forged\\u001B[31m\\u0000\\u0009\\u007F");
    assertThat(UntrustedText.escape("a\u0085b\u2028c\u2029d")).isEqualTo("a\\u0085b\\u2028c\\u2029d");
  }

  @Test
  void bidiOverridesAndZeroWidthCharactersBecomeHexEscapes() {
    assertThat(UntrustedText.escape("\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069"))
        .isEqualTo("\\u202A\\u202B\\u202C\\u202D\\u202E\\u2066\\u2067\\u2068\\u2069");
    assertThat(UntrustedText.escape("\u200B\u200C\u200D\u200E\u200F\uFEFF"))
        .isEqualTo("\\u200B\\u200C\\u200D\\u200E\\u200F\\uFEFF");
  }

  @Test
  void loneSurrogatesAndOtherNonAsciiCharactersBecomeHexEscapes() {
    assertThat(UntrustedText.escape("x\uD800y\uDC00")).isEqualTo("x\\uD800y\\uDC00");
    assertThat(UntrustedText.escape("gäme \u05D0")).isEqualTo("g\\u00E4me \\u05D0");
  }

  @Test
  void longTextIsCutAndMarked() {
    assertThat(UntrustedText.escape("k".repeat(1000))).isEqualTo("k".repeat(UntrustedText.MAX_LENGTH) + "...");
    String longest = "k".repeat(UntrustedText.MAX_LENGTH);
    assertThat(UntrustedText.escape(longest)).isEqualTo(longest);
  }

  @Test
  void nullIsWrittenAsNull() {
    assertThat(UntrustedText.escape(null)).isEqualTo("null");
  }
}
