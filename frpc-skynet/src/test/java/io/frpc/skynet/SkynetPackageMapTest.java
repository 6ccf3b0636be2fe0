package io.frpc.skynet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.frpc.skynet.client.LuaReply;
import io.frpc.skynet.client.SkynetAliasCall;
import io.frpc.skynet.client.SkynetAllNodesAliasCall;
import io.frpc.skynet.client.SkynetAllNodesBroadcastCall;
import io.frpc.skynet.client.SkynetAllNodesCall;
import io.frpc.skynet.client.SkynetBroadcastCall;
import io.frpc.skynet.client.SkynetChannels;
import io.frpc.skynet.client.SkynetModuleCall;
import io.frpc.skynet.client.SkynetNodeListener;
import io.frpc.skynet.client.SkynetNodes;
import io.frpc.skynet.client.SkynetRemoteNode;
import io.frpc.skynet.client.SkynetTemplate;
import io.frpc.skynet.internal.client.CallTarget;
import io.frpc.skynet.internal.client.ClientSettings;
import io.frpc.skynet.internal.client.NodeConnections;
import io.frpc.skynet.internal.client.NodeEvents;
import io.frpc.skynet.internal.client.RemoteNodeSettings;
import io.frpc.skynet.internal.client.SessionCounter;
import io.frpc.skynet.internal.client.SkynetCalls;
import io.frpc.skynet.internal.client.SkynetHandshake;
import io.frpc.skynet.internal.client.SkynetWatches;
import io.frpc.skynet.internal.client.WatchListener;
import io.frpc.skynet.internal.frame.PackIds;
import io.frpc.skynet.internal.frame.SkynetFrameException;
import io.frpc.skynet.internal.frame.SkynetMessage;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder;
import io.frpc.skynet.internal.frame.SkynetMessageEncoder;
import io.frpc.skynet.internal.frame.SkynetPush;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.frpc.skynet.internal.discovery.SkynetNode;
import io.frpc.skynet.internal.discovery.RegisteredNodeListener;
import io.frpc.skynet.internal.discovery.SkynetNodeRegistrar;
import io.frpc.skynet.internal.discovery.SkynetNodeWatcher;
import io.frpc.skynet.internal.handshake.SkynetClientHandshake;
import io.frpc.skynet.internal.handshake.SkynetCrypto;
import io.frpc.skynet.internal.handshake.SkynetCryptoException;
import io.frpc.skynet.internal.handshake.SkynetHandshakeCompleted;
import io.frpc.skynet.internal.handshake.SkynetHandshakeException;
import io.frpc.skynet.internal.handshake.SkynetPeerIdentified;
import io.frpc.skynet.internal.handshake.SkynetSecurity;
import io.frpc.skynet.internal.handshake.SkynetServerHandshake;
import org.junit.jupiter.api.Test;

/**
 * The packages of frpc-skynet: a small public API ({@code io.frpc.skynet}: the Lua values, skynet.pack and the
 * binding) that uses none of the internals, the client's API in {@code io.frpc.skynet.client}, the wire format in
 * {@code io.frpc.skynet.internal.frame}, the handshake in {@code io.frpc.skynet.internal.handshake}, the client's
 * connections, calls and subscriptions in {@code io.frpc.skynet.internal.client}, skynet_fly's Redis registrations
 * in {@code io.frpc.skynet.internal.discovery} (the only package that uses Spring: Spring Data Redis), no cycle,
 * only frpc-core's public API and its shared helpers.
 */
class SkynetPackageMapTest {

  private static final JavaClasses MODULE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.frpc.skynet");

  @Test
  void thePublicApiIsTheLuaValuesSkynetPackAndTheBinding() {
    assertThat(MODULE.stream().filter(type -> type.getPackageName().equals("io.frpc.skynet"))
        .filter(SkynetPackageMapTest::reachableFromOutside).map(JavaClass::getName))
        .containsExactlyInAnyOrder(LuaValue.class.getName(), LuaNil.class.getName(), LuaBoolean.class.getName(),
            LuaInteger.class.getName(), LuaNumber.class.getName(), LuaString.class.getName(),
            LuaTable.class.getName(), LuaTable.Builder.class.getName(), SkynetPack.class.getName(),
            SkynetFormatException.class.getName(), LuaBinding.class.getName());
  }

  @Test
  void theClientApiIsTheNodesTheTemplateItsChainsTheReplyAndTheChannels() {
    assertThat(MODULE.stream().filter(type -> type.getPackageName().equals("io.frpc.skynet.client"))
        .filter(SkynetPackageMapTest::reachableFromOutside).map(JavaClass::getName))
        .containsExactlyInAnyOrder(SkynetNodes.class.getName(), SkynetNodes.Builder.class.getName(),
            SkynetRemoteNode.class.getName(), SkynetNodeListener.class.getName(), SkynetTemplate.class.getName(),
            SkynetModuleCall.class.getName(), SkynetBroadcastCall.class.getName(),
            SkynetAllNodesCall.class.getName(), SkynetAllNodesBroadcastCall.class.getName(),
            SkynetAliasCall.class.getName(), SkynetAllNodesAliasCall.class.getName(), LuaReply.class.getName(),
            SkynetChannels.class.getName());
  }

  @Test
  void theClientsInternalsShowWhatItsApiUses() {
    assertThat(MODULE.stream().filter(type -> type.getPackageName().equals("io.frpc.skynet.internal.client"))
        .filter(SkynetPackageMapTest::reachableFromOutside).map(JavaClass::getName))
        .containsExactlyInAnyOrder(NodeConnections.class.getName(), ClientSettings.class.getName(),
            RemoteNodeSettings.class.getName(), NodeEvents.class.getName(), SessionCounter.class.getName(),
            SkynetHandshake.class.getName(), CallTarget.class.getName(), CallTarget.Selection.class.getName(),
            SkynetCalls.class.getName(), SkynetCalls.ReplyDecoder.class.getName(), SkynetWatches.class.getName(),
            WatchListener.class.getName());
  }

  @Test
  void theFrameCodecShowsItsMessagesEncoderAndDecoderOnly() {
    assertThat(MODULE.stream().filter(type -> type.getPackageName().equals("io.frpc.skynet.internal.frame"))
        .filter(SkynetPackageMapTest::reachableFromOutside).map(JavaClass::getName))
        .containsExactlyInAnyOrder(SkynetMessage.class.getName(), SkynetRequest.class.getName(),
            SkynetResponse.class.getName(), SkynetPush.class.getName(), SkynetMessageDecoder.class.getName(),
            SkynetMessageDecoder.Direction.class.getName(), SkynetMessageEncoder.class.getName(),
            SkynetFrameException.class.getName(), PackIds.class.getName());
  }

  @Test
  void theHandshakeShowsItsTwoHandlersTheirEventsAndTheCryptoPrimitives() {
    assertThat(MODULE.stream().filter(type -> type.getPackageName().equals("io.frpc.skynet.internal.handshake"))
        .filter(SkynetPackageMapTest::reachableFromOutside).map(JavaClass::getName))
        .containsExactlyInAnyOrder(SkynetClientHandshake.class.getName(), SkynetServerHandshake.class.getName(),
            SkynetSecurity.class.getName(), SkynetHandshakeCompleted.class.getName(),
            SkynetPeerIdentified.class.getName(), SkynetHandshakeException.class.getName(),
            SkynetCrypto.class.getName(), SkynetCryptoException.class.getName());
  }

  @Test
  void theDiscoveryShowsItsRegistrarWatcherListenerAndNode() {
    assertThat(MODULE.stream().filter(type -> type.getPackageName().equals("io.frpc.skynet.internal.discovery"))
        .filter(SkynetPackageMapTest::reachableFromOutside).map(JavaClass::getName))
        .containsExactlyInAnyOrder(SkynetNodeRegistrar.class.getName(), SkynetNodeWatcher.class.getName(),
            RegisteredNodeListener.class.getName(), SkynetNode.class.getName());
  }

  @Test
  void theApiUsesNoInternalPackage() {
    noClasses().that().resideInAPackage("io.frpc.skynet")
        .should().dependOnClassesThat().resideInAPackage("io.frpc.skynet.internal..")
        .check(MODULE);
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching("io.frpc.skynet.(**)").should().beFreeOfCycles().check(MODULE);
  }

  @Test
  void onlyFrpcCoresPublicApiAndSharedHelpersAreUsedAndSpringOnlyByTheRedisDiscovery() {
    // io.frpc.internal itself holds the helpers other modules share (escaping untrusted text, back-off, names)
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.frpc.internal.*..").check(MODULE);
    noClasses().that().resideOutsideOfPackage("io.frpc.skynet.internal.discovery")
        .should().dependOnClassesThat().resideInAnyPackage("org.springframework..").check(MODULE);
  }

  /** Public, and so is every type it is nested in. */
  private static boolean reachableFromOutside(JavaClass type) {
    return type.getModifiers().contains(JavaModifier.PUBLIC)
        && type.getEnclosingClass().map(SkynetPackageMapTest::reachableFromOutside).orElse(true);
  }
}
