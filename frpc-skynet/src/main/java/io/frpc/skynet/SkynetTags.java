package io.frpc.skynet;

/**
 * The first byte of each value in skynet's serialization: a type in the low 3 bits and a "cookie" in the high 5
 * ({@code type | cookie << 3}), the cookie being a subtype, a short length or a small array size.
 */
final class SkynetTags {

  static final int TYPE_NIL = 0;
  static final int TYPE_BOOLEAN = 1;
  static final int TYPE_NUMBER = 2;
  static final int TYPE_USERDATA = 3;
  static final int TYPE_SHORT_STRING = 4;
  static final int TYPE_LONG_STRING = 5;
  static final int TYPE_TABLE = 6;

  static final int NUMBER_ZERO = 0;
  static final int NUMBER_BYTE = 1;
  static final int NUMBER_WORD = 2;
  static final int NUMBER_DWORD = 4;
  static final int NUMBER_QWORD = 6;
  static final int NUMBER_REAL = 8;

  /** One more than the largest short string length; the table cookie {@code MAX_COOKIE - 1} means "size follows". */
  static final int MAX_COOKIE = 32;

  static final int NIL = combine(TYPE_NIL, 0);
  static final int FALSE = combine(TYPE_BOOLEAN, 0);
  static final int TRUE = combine(TYPE_BOOLEAN, 1);
  static final int INTEGER_ZERO = combine(TYPE_NUMBER, NUMBER_ZERO);
  static final int INTEGER_BYTE = combine(TYPE_NUMBER, NUMBER_BYTE);
  static final int INTEGER_WORD = combine(TYPE_NUMBER, NUMBER_WORD);
  static final int INTEGER_DWORD = combine(TYPE_NUMBER, NUMBER_DWORD);
  static final int INTEGER_QWORD = combine(TYPE_NUMBER, NUMBER_QWORD);
  static final int REAL = combine(TYPE_NUMBER, NUMBER_REAL);
  static final int LONG_STRING_2 = combine(TYPE_LONG_STRING, 2);
  static final int LONG_STRING_4 = combine(TYPE_LONG_STRING, 4);

  private SkynetTags() {
  }

  static int combine(int type, int cookie) {
    return type | cookie << 3;
  }
}
