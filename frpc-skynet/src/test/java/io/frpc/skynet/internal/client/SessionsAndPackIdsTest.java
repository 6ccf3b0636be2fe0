package io.frpc.skynet.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Sessions and pack ids as skynet_fly's client chooses them. */
class SessionsAndPackIdsTest {

  @Test
  void sessionsCountUpFromOne() {
    SessionCounter sessions = new SessionCounter();

    assertThat(sessions.next()).isEqualTo(1);
    assertThat(sessions.next()).isEqualTo(2);
  }

  @Test
  void sessionsWrapFromTheLargestUnsigned32BitNumberToOneNeverZero() {
    SessionCounter sessions = new SessionCounter(0xFFFFFFFEL);

    assertThat(sessions.next()).isEqualTo(0xFFFFFFFFL);
    assertThat(sessions.next()).isEqualTo(1);
  }

  @Test
  void packIdsFollowSkynetFlysTable() {
    CallTarget target = CallTarget.of("lua", "m");
    CallTarget byName = target.withInstanceName("x");

    assertThat(target.packId(false)).isEqualTo(100);
    assertThat(target.withSelection(CallTarget.Selection.MOD, 3).packId(false)).isEqualTo(101);
    assertThat(target.withSelection(CallTarget.Selection.BROADCAST, 0).packId(true)).isEqualTo(202);
    assertThat(byName.packId(true)).isEqualTo(203);
    assertThat(byName.withSelection(CallTarget.Selection.MOD, 3).packId(true)).isEqualTo(204);
    assertThat(byName.withSelection(CallTarget.Selection.BROADCAST, 0).packId(false)).isEqualTo(105);
    assertThat(CallTarget.alias("lua", ".svc").packId(false)).isEqualTo(106);
    assertThat(CallTarget.alias("lua", ".svc").packId(true)).isEqualTo(206);
  }

  @Test
  void aModKeyOfZeroBecomesTheFixedNonZeroKeyAndOtherSelectionsCarryNone() {
    CallTarget target = CallTarget.of("lua", "m");

    assertThat(target.withSelection(CallTarget.Selection.MOD, 0).modKey()).isEqualTo(CallTarget.ZERO_MOD_KEY)
        .isNotZero();
    assertThat(target.withSelection(CallTarget.Selection.MOD, 9).modKey()).isEqualTo(9);
    assertThat(target.withSelection(CallTarget.Selection.MOD, 9).withSelection(CallTarget.Selection.BALANCE, 0)
        .modKey()).isZero();
    assertThat(target.timeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void skynetFlysErrorTextsMapToCodes() {
    assertThat(SkynetCalls.errorCode(" module_name not exists :missing_m"))
        .isEqualTo(io.frpc.RemoteErrorCode.UNKNOWN_MODULE);
    assertThat(SkynetCalls.errorCode("call err /x/skynet.lua:817: call failed"))
        .isEqualTo(io.frpc.RemoteErrorCode.COMMAND_FAILED);
  }
}
